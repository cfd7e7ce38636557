package io.customerlockbox.access;

import java.time.Instant;

/**
 * The data plane's answer: may this user touch this environment now, and until when. When allowed,
 * {@code grantId} names the grant (activity is reported against it) and {@code signedGrant} is its
 * compact JWS, which the data plane can verify offline with the keys of {@code GET /api/access-grants/jwks}.
 */
public record AccessCheck(boolean allowed, Instant expiresAt, String grantId, String signedGrant) {

  static AccessCheck refused() {
    return new AccessCheck(false, null, null, null);
  }

  static AccessCheck of(AccessGrant grant) {
    return new AccessCheck(true, grant.expiresAt(), grant.id(), grant.signature());
  }
}
