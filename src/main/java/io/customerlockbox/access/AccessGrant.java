package io.customerlockbox.access;

import java.time.Instant;

public record AccessGrant(
    String id, String accessRequestId, String tenantId, String environmentId, String userId,
    boolean breakGlass, Instant grantedAt, Instant expiresAt, Instant endedAt, String endReason) {

  public boolean activeAt(Instant now) {
    return endedAt == null && expiresAt.isAfter(now);
  }
}
