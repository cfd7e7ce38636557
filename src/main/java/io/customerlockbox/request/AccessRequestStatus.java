package io.customerlockbox.request;

/** The provider's view of an access request. */
public enum AccessRequestStatus {
  /** Stored; the scope check and the just-in-time rules are running. */
  SUBMITTED,
  PENDING_INTERNAL_APPROVAL,
  REJECTED,
  PENDING_CUSTOMER_APPROVAL,
  DENIED,
  EXPIRED,
  ACCESS_GRANTED,
  ACCESS_ENDED;

  public boolean isFinal() {
    return this == REJECTED || this == DENIED || this == EXPIRED || this == ACCESS_ENDED;
  }
}
