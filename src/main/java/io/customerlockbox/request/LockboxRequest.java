package io.customerlockbox.request;

import java.time.Instant;

/**
 * One row of lockbox_request: the customer's approval of one access request ({@code ACCESS}), or of
 * more time for it ({@code EXTENSION}, with the engineer's {@code justification}; an access request
 * has one ACCESS request and at most the tenant's limit of extensions).
 */
public record LockboxRequest(
    String id, String accessRequestId, String tenantId, LockboxStatus status, Instant requestedAt,
    Instant expiresAt, String accessPeriod, String decidedBy, Instant decidedAt, String comment,
    LockboxPurpose purpose, String justification) {

  /** The approval of the access itself. */
  public LockboxRequest(String id, String accessRequestId, String tenantId, LockboxStatus status, Instant requestedAt,
      Instant expiresAt, String accessPeriod, String decidedBy, Instant decidedAt, String comment) {
    this(id, accessRequestId, tenantId, status, requestedAt, expiresAt, accessPeriod, decidedBy, decidedAt, comment,
        LockboxPurpose.ACCESS, null);
  }

  /** Whether it asks for more time for access already granted (the mails and pages say so). */
  public boolean extension() {
    return purpose == LockboxPurpose.EXTENSION;
  }
}
