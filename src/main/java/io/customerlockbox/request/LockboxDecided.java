package io.customerlockbox.request;

import java.time.Instant;

/** Published when a customer's approver decided a lockbox request (for metrics). */
public record LockboxDecided(String accessRequestId, boolean approved, Instant requestedAt, Instant decidedAt) {}
