package io.customerlockbox.request;

import java.time.Instant;

/** One row of access_request: what an engineer asked for and where it stands. */
public record AccessRequest(
    String id, String tenantId, String environmentId, String supportTicketId, String justification,
    AccessLevel accessLevel, boolean isolatedIdentity, boolean mfaVerified, boolean breakGlass,
    String incidentId, String requestedBy, Instant requestedAt, AccessRequestStatus status,
    String statusReason, String processInstanceId, String jitOutcome, String internalDecidedBy,
    Instant internalDecidedAt, String internalComment) {}
