package io.customerlockbox.request;

import java.time.Instant;
import java.util.List;

/**
 * How the API shows a lockbox request (on its own, and as one of an access request's {@code
 * lockboxRequests}): its {@code purpose} (ACCESS, or EXTENSION with the engineer's {@code
 * justification}), with how many distinct approvals the customer's approval rules asked for, of
 * which groups, and every approval given so far, oldest first.
 */
public record LockboxRequestView(
    String id, String accessRequestId, String tenantId, LockboxStatus status, Instant requestedAt,
    Instant expiresAt, String accessPeriod, String decidedBy, Instant decidedAt, String comment,
    int approvalsRequired, List<String> approverGroups, List<Approval> approvals, LockboxPurpose purpose,
    String justification) {

  /** One person's approval. */
  public record Approval(String by, Instant at, String comment) {}

  /** Whether it asks for more time for access already granted. */
  public boolean extension() {
    return purpose == LockboxPurpose.EXTENSION;
  }

  static LockboxRequestView of(LockboxRequest l, List<LockboxApproval> approvals) {
    return new LockboxRequestView(l.id(), l.accessRequestId(), l.tenantId(), l.status(), l.requestedAt(),
        l.expiresAt(), l.accessPeriod(), l.decidedBy(), l.decidedAt(), l.comment(), l.approvalsRequired(),
        l.approverGroups(), approvals.stream().map(a -> new Approval(a.by(), a.at(), a.comment())).toList(),
        l.purpose(), l.justification());
  }
}
