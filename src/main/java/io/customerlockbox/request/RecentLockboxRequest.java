package io.customerlockbox.request;

import java.time.Instant;

/** A row of the customer's "Recent" table; an extension is a row of its own. */
public record RecentLockboxRequest(
    String id, String accessRequestId, String supportTicketId, String environmentId, LockboxStatus status,
    Instant requestedAt, Instant expiresAt, String accessPeriod, Instant accessExpiresAt, String decidedBy,
    LockboxPurpose purpose) {}
