package io.customerlockbox.access;

/**
 * Why a grant exists, as the domain's own records show it: stored with the grant, written into its
 * audit event and signed with it. {@code decidedBy} is the person whose decision is the basis (the
 * approver, the support lead or auto-approval's rule, the break-glass requester).
 */
public record GrantBasis(Kind kind, String decidedBy, java.time.Instant decidedAt, String detail) {

  public enum Kind { CUSTOMER_APPROVAL, NO_LOCKBOX_NEEDED, BREAK_GLASS }
}
