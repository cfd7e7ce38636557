package io.customerlockbox.request;

import io.customerlockbox.access.AccessGrant;
import java.time.Instant;
import java.util.List;

/**
 * How the API shows an access request, with its customer and grant parts: {@code lockboxRequests}
 * are all of its lockbox requests oldest first (the access's own, then its extensions), and
 * {@code lockbox} is the latest of them.
 */
public record AccessRequestView(
    String id, String tenantId, String environmentId, String supportTicketId, String justification,
    AccessLevel accessLevel, String requestedBy, Instant requestedAt, AccessRequestStatus status,
    String statusReason, String processInstanceId, boolean breakGlass, String incidentId,
    Internal internalApproval, LockboxRequestView lockbox, List<LockboxRequestView> lockboxRequests, Grant grant) {

  public record Internal(String jitOutcome, String decidedBy, Instant decidedAt, String comment) {}

  public record Grant(String id, Instant grantedAt, Instant expiresAt, Instant endedAt, String endReason) {}

  /** {@code lockboxes}: the request's lockbox requests, oldest first, each with its approvals. */
  static AccessRequestView of(AccessRequest r, List<LockboxRequestView> lockboxes, AccessGrant g) {
    Internal internal = r.jitOutcome() == null ? null
        : new Internal(r.jitOutcome(), r.internalDecidedBy(), r.internalDecidedAt(), r.internalComment());
    LockboxRequestView lockbox = lockboxes.isEmpty() ? null : lockboxes.get(lockboxes.size() - 1);
    Grant grant = g == null ? null : new Grant(g.id(), g.grantedAt(), g.expiresAt(), g.endedAt(), g.endReason());
    return new AccessRequestView(r.id(), r.tenantId(), r.environmentId(), r.supportTicketId(), r.justification(),
        r.accessLevel(), r.requestedBy(), r.requestedAt(), r.status(), r.statusReason(), r.processInstanceId(),
        r.breakGlass(), r.incidentId(), internal, lockbox, List.copyOf(lockboxes), grant);
  }
}
