package io.customerlockbox.request;

/** The customer's view of a lockbox request. */
public enum LockboxStatus { ACTION_NEEDED, APPROVED, DENIED, EXPIRED }
