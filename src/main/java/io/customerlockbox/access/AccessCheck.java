package io.customerlockbox.access;

import java.time.Instant;

/** The data plane's answer: may this user touch this environment now, and until when. */
public record AccessCheck(boolean allowed, Instant expiresAt) {}
