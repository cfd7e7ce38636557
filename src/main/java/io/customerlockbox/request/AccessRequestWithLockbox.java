package io.customerlockbox.request;

/**
 * An access request with its latest lockbox request (null before one; an extension once one was
 * asked for) and how many approvals that lockbox request has.
 */
public record AccessRequestWithLockbox(AccessRequest request, LockboxRequest lockbox, int approvals) {}
