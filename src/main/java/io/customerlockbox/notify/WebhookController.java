package io.customerlockbox.notify;

import io.customerlockbox.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Tenant admins register the URLs their chat tools or ticket systems receive notifications at. */
@RestController
class WebhookController {

  private final WebhookService webhooks;

  WebhookController(WebhookService webhooks) {
    this.webhooks = webhooks;
  }

  record NewWebhook(@NotBlank @Size(max = 2000) String url) {}

  /** 201 with the secret: the only time it is shown. */
  @PostMapping("/api/tenants/{tenantId}/webhooks")
  ResponseEntity<Webhook> register(@PathVariable String tenantId, @Valid @RequestBody NewWebhook body) {
    Webhook webhook = webhooks.register(tenantId, body.url(), CurrentUser.get());
    return ResponseEntity.created(URI.create("/api/tenants/" + tenantId + "/webhooks/" + webhook.id())).body(webhook);
  }

  @GetMapping("/api/tenants/{tenantId}/webhooks")
  List<Webhook> list(@PathVariable String tenantId) {
    return webhooks.list(tenantId, CurrentUser.get());
  }

  @DeleteMapping("/api/tenants/{tenantId}/webhooks/{id}")
  ResponseEntity<Void> delete(@PathVariable String tenantId, @PathVariable String id) {
    webhooks.delete(tenantId, id, CurrentUser.get());
    return ResponseEntity.noContent().build();
  }
}
