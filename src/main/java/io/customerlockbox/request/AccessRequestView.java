package io.customerlockbox.request;

import io.customerlockbox.access.AccessGrant;
import java.time.Instant;

/** How the API shows an access request, with its customer and grant parts. */
public record AccessRequestView(
    String id, String tenantId, String environmentId, String supportTicketId, String justification,
    AccessLevel accessLevel, String requestedBy, Instant requestedAt, AccessRequestStatus status,
    String statusReason, String processInstanceId, boolean breakGlass, String incidentId,
    Internal internalApproval, LockboxRequestView lockbox, Grant grant) {

  public record Internal(String jitOutcome, String decidedBy, Instant decidedAt, String comment) {}

  public record Grant(String id, Instant grantedAt, Instant expiresAt, Instant endedAt, String endReason) {}

  static AccessRequestView of(AccessRequest r, LockboxRequestView lockbox, AccessGrant g) {
    Internal internal = r.jitOutcome() == null ? null
        : new Internal(r.jitOutcome(), r.internalDecidedBy(), r.internalDecidedAt(), r.internalComment());
    Grant grant = g == null ? null : new Grant(g.id(), g.grantedAt(), g.expiresAt(), g.endedAt(), g.endReason());
    return new AccessRequestView(r.id(), r.tenantId(), r.environmentId(), r.supportTicketId(), r.justification(),
        r.accessLevel(), r.requestedBy(), r.requestedAt(), r.status(), r.statusReason(), r.processInstanceId(),
        r.breakGlass(), r.incidentId(), internal, lockbox, grant);
  }
}
