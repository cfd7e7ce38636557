package io.customerlockbox.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** A tenant's webhook. The secret is shown once, in the answer that registers it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Webhook(String id, String tenantId, String url, String secret, Instant createdAt, String createdBy) {

  Webhook withoutSecret() {
    return new Webhook(id, tenantId, url, null, createdAt, createdBy);
  }
}
