package io.customerlockbox.audit;

/**
 * The answer of a chain walk. {@code events}: how many events the chain holds now (after any
 * purge); {@code firstBrokenEventId}: the first event that is not what the chain says it should
 * be, null when valid; {@code reason} says what is wrong with it, in words. {@code signedThrough}:
 * the last position a nightly signed head vouches for (0 without signing). {@code lastSeq} and
 * {@code lastHash}: where the chain's head stands, the position a customer may keep and check an
 * export against later. {@code headSigned}: the head carries the operator's signature of that
 * position and hash, so no event after it was removed and the head was not moved back.
 * {@code notice}: what this answer cannot tell (without a signing key), null when nothing.
 */
public record ChainVerification(String chain, boolean valid, long events, String firstBrokenEventId, String reason,
    long anchorSeq, String anchorHash, long signedThrough, long lastSeq, String lastHash, boolean headSigned,
    String notice) {}
