package io.customerlockbox.request;

import java.time.Instant;

/** One row of lockbox_request: the customer's approval of one access request. */
public record LockboxRequest(
    String id, String accessRequestId, String tenantId, LockboxStatus status, Instant requestedAt,
    Instant expiresAt, String accessPeriod, String decidedBy, Instant decidedAt, String comment) {}
