package io.customerlockbox.audit;

/**
 * The answer of a chain walk. {@code events}: how many events the chain holds now (after any
 * purge); {@code firstBrokenEventId}: the first event that is not what the chain says it should
 * be, null when valid; {@code reason} says what is wrong with it, in words. {@code signedThrough}:
 * the last position a signed chain head vouches for (0 without signing).
 */
public record ChainVerification(String chain, boolean valid, long events, String firstBrokenEventId, String reason,
    long anchorSeq, String anchorHash, long signedThrough) {}
