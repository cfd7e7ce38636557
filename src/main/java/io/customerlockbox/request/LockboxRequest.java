package io.customerlockbox.request;

import java.time.Instant;
import java.util.List;

/**
 * One row of lockbox_request: the customer's approval of one access request, with what the
 * approval rules asked of it (how many distinct approvers, of which groups). {@code decidedBy} is
 * who closed it: the last approval needed, or the denial.
 */
public record LockboxRequest(
    String id, String accessRequestId, String tenantId, LockboxStatus status, Instant requestedAt,
    Instant expiresAt, String accessPeriod, String decidedBy, Instant decidedAt, String comment,
    int approvalsRequired, List<String> approverGroups) {

  public LockboxRequest {
    approverGroups = approverGroups == null ? null : List.copyOf(approverGroups);
  }

  /** What the approval rules asked of this lockbox request. */
  public ApprovalRule rule() {
    return new ApprovalRule(approvalsRequired, approverGroups);
  }
}
