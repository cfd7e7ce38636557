package io.customerlockbox.audit;

public enum AuditEventType {
  REQUEST_CREATED,
  REQUEST_REJECTED,
  JIT_EVALUATED,
  INTERNAL_APPROVAL_REQUESTED,
  INTERNAL_APPROVED,
  INTERNAL_DENIED,
  LOCKBOX_NOT_REQUIRED,
  LOCKBOX_REQUEST_CREATED,
  APPROVERS_NOTIFIED,
  /** One approval of several the customer's approval rules ask for; the customer still decides. */
  LOCKBOX_APPROVAL_COUNTED,
  LOCKBOX_APPROVED,
  LOCKBOX_DENIED,
  LOCKBOX_EXPIRED,
  ACCESS_GRANTED,
  BREAK_GLASS_USED,
  /** A grant the domain's records did not support was refused (a security event: it survives the step's rollback). */
  GRANT_REFUSED,
  /** Any other step refused by the state machine or the instance binding (a security event). */
  STEP_REFUSED,
  /** What the engineer did during access, as the data plane reported it. */
  ACCESS_ACTIVITY,
  ACCESS_RELEASED,
  /** The engineer asked for more time while access was granted (an extension lockbox request). */
  EXTENSION_REQUESTED,
  /** An approved extension moved the grant's end: the new end and the new signed grant. */
  ACCESS_EXTENDED,
  ACCESS_ENDED,
  /** A lockbox approver or tenant admin ended active access at once, for the customer (the tenant's policy allows it). */
  ACCESS_REVOKED_BY_CUSTOMER,
  /** A person acted on the request in the engine itself (Cockpit, Tasklist, the engine REST API): who, and what. */
  MANUAL_ACTION,
  /** A person tried to act on the request in the engine and was refused, or the step refused to run. */
  MANUAL_ACTION_REFUSED,
  POLICY_CHANGED,
  ENVIRONMENT_CHANGED,
  AUDIT_RETENTION_CHANGED,
  /** The retention purge removed the oldest events of a chain and anchored the rest. */
  AUDIT_EVENTS_PURGED,
  /** Someone searched the chain's events: who, the filter, how many events of this chain they saw. */
  AUDIT_TRAIL_SEARCHED,
  /** Someone exported the chain's events: who, the filter, how many events of this chain went out. */
  AUDIT_TRAIL_EXPORTED,
  /** Someone verified the chain: who, how many events, the outcome. */
  AUDIT_TRAIL_VERIFIED
}
