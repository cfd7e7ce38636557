package io.customerlockbox.request;

import java.time.Instant;

/** One person's approval of a lockbox request (a row of lockbox_approval), in the group they approved as. */
public record LockboxApproval(String by, Instant at, String comment, String decidedAs) {}
