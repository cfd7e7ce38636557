package io.customerlockbox.request;

import java.time.Instant;
import java.util.List;

/**
 * One row of lockbox_request: the customer's approval of one access request ({@code ACCESS}), or of
 * more time for it ({@code EXTENSION}, with the engineer's {@code justification}; an access request
 * has one ACCESS request and at most the tenant's limit of extensions). Either is decided alike:
 * with what the approval rules asked of it (how many distinct approvers, of which groups).
 * {@code decidedBy} is who closed it: the last approval needed, or the denial.
 */
public record LockboxRequest(
    String id, String accessRequestId, String tenantId, LockboxStatus status, Instant requestedAt,
    Instant expiresAt, String accessPeriod, String decidedBy, Instant decidedAt, String comment,
    int approvalsRequired, List<String> approverGroups, LockboxPurpose purpose, String justification) {

  public LockboxRequest {
    approverGroups = approverGroups == null ? null : List.copyOf(approverGroups);
  }

  /** What the approval rules asked of this lockbox request. */
  public ApprovalRule rule() {
    return new ApprovalRule(approvalsRequired, approverGroups);
  }

  /** Whether it asks for more time for access already granted (the mails and pages say so). */
  public boolean extension() {
    return purpose == LockboxPurpose.EXTENSION;
  }
}
