package io.customerlockbox.access;

import java.time.Instant;

/**
 * One row of access_grant. {@code basis} says why it exists; {@code signature} is the compact JWS
 * over its fields (null on grants written before grants were signed, and on none since).
 */
public record AccessGrant(
    String id, String accessRequestId, String tenantId, String environmentId, String userId,
    boolean breakGlass, Instant grantedAt, Instant expiresAt, Instant endedAt, String endReason,
    GrantBasis basis, String signature) {

  public boolean activeAt(Instant now) {
    return endedAt == null && expiresAt.isAfter(now);
  }
}
