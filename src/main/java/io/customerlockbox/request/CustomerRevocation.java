package io.customerlockbox.request;

import java.time.Instant;

/**
 * The customer's revocation of active access, as the domain wrote it: who ended it (and in which
 * group they acted), when, and the reason they gave.
 */
public record CustomerRevocation(String accessRequestId, String revokedBy, String revokedAs, Instant revokedAt,
    String comment) {}
