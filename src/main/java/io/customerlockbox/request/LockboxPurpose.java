package io.customerlockbox.request;

/** What a lockbox request asks the customer for: the access itself, or more time for access already granted. */
public enum LockboxPurpose { ACCESS, EXTENSION }
