package io.customerlockbox.page;

import io.customerlockbox.Times;
import io.customerlockbox.audit.AuditEvent;
import io.customerlockbox.audit.AuditEventType;
import io.customerlockbox.notify.Occasion;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestLifecycle;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.request.ApprovalRule;
import io.customerlockbox.request.LockboxRequestView;
import io.customerlockbox.request.LockboxStatus;
import java.time.Instant;
import java.util.Map;

/**
 * What the customer's page says, in the customer's words: a request's access state, one sentence
 * per audit event, access levels. The engine's and the provider's vocabulary (AUTO_APPROVE, rule
 * ids, event type names, ISO timestamps) stays in the API and the provider's views; every time is
 * written the one way {@link Times#display} writes it.
 */
final class CustomerWords {

  private CustomerWords() {}

  /** A grant that ended because its engineer gave it back early (the access grant's end reason). */
  static final String RELEASED = "RELEASED";
  /** A grant your organization ended at once (the access grant's end reason). */
  static final String REVOKED_BY_CUSTOMER = "REVOKED_BY_CUSTOMER";

  /**
   * Where a request's access stands: {@code label} is the short status, {@code detail} the time or
   * reason that goes with it (may be null), {@code cssClass} how the page colours it.
   */
  record AccessState(String label, String detail, String cssClass, boolean needsAction) {

    String text() {
      return detail == null ? label : label + ": " + detail;
    }
  }

  /** The access state of a lockbox or break-glass request, from the domain's view of it. */
  static AccessState state(AccessRequestView request) {
    AccessRequestView.Grant grant = request.grant();
    if (grant != null && grant.endedAt() != null) {
      return new AccessState("Access ended", (RELEASED.equals(grant.endReason())
          ? "released early by the engineer at " : REVOKED_BY_CUSTOMER.equals(grant.endReason())
          ? "revoked by your organization at " : "access period over at ") + Times.display(grant.endedAt()),
          "ended", false);
    }
    if (request.breakGlass()) {
      return grant == null
          ? new AccessState("Emergency access", "being given now", "break-glass", false)
          : new AccessState("Emergency access", "until " + Times.display(grant.expiresAt()), "break-glass", false);
    }
    LockboxRequestView lockbox = request.lockbox();
    if (lockbox == null) {
      return new AccessState("Not covered by your lockbox policy", null, "none", false);
    }
    if (lockbox.extension()) {
      // Access is running; the latest question is whether it may run longer.
      return lockbox.status() == LockboxStatus.ACTION_NEEDED
          ? new AccessState("Action needed", "more time asked for; " + progressSoFar(lockbox) + "decide by "
              + Times.display(lockbox.expiresAt()), "action-needed", true)
          : new AccessState("Approved", "access until " + Times.display(grant == null ? lockbox.expiresAt()
              : grant.expiresAt()), "approved", false);
    }
    return switch (lockbox.status()) {
      case ACTION_NEEDED -> new AccessState("Action needed", progressSoFar(lockbox) + "decide by "
          + Times.display(lockbox.expiresAt()), "action-needed", true);
      case DENIED -> new AccessState("Denied", null, "denied", false);
      case EXPIRED -> new AccessState("Expired", "nobody decided in time; no access was given", "expired", false);
      case APPROVED -> grant == null
          ? new AccessState("Approved", "access is being given now", "approved", false)
          : new AccessState("Approved", "access until " + Times.display(grant.expiresAt()), "approved", false);
    };
  }

  /** "1 of 2 approvals, " while several approvals are needed; nothing for a single approver. */
  private static String progressSoFar(LockboxRequestView lockbox) {
    return lockbox.approvalsRequired() > 1 ? approvalProgress(lockbox) + ", " : "";
  }

  /** "1 of 2 approvals": how far the approvals a request needs got. */
  static String approvalProgress(LockboxRequestView lockbox) {
    return new ApprovalRule(lockbox.approvalsRequired(), lockbox.approverGroups()).progress(lockbox.approvals().size());
  }

  static String accessLevel(AccessLevel level) {
    return switch (level) {
      case READ -> "Read only";
      case WRITE -> "Read and write";
      case ADMIN -> "Administrator";
    };
  }

  /** The status names of the lockbox request itself, as in Microsoft's Customer Lockbox. */
  static String label(LockboxStatus status) {
    return switch (status) {
      case ACTION_NEEDED -> "Action needed";
      case APPROVED -> "Approved";
      case DENIED -> "Denied";
      case EXPIRED -> "Expired";
    };
  }

  /**
   * What a request knows beyond its events, so that a sentence can name the environment and the
   * times; {@code request} is null in the tenant's audit search, where an event stands alone.
   */
  record Facts(AccessRequestView request, Map<String, String> environmentNames) {

    String environment(String environmentId) {
      return environmentId == null ? "an environment" : environmentNames.getOrDefault(environmentId, environmentId);
    }
  }

  /** One sentence a customer reads for {@code event}. */
  static String sentence(AuditEvent event, Facts facts) {
    AccessRequestView request = facts.request();
    String environment = facts.environment(event.environmentId() != null ? event.environmentId()
        : request == null ? null : request.environmentId());
    return switch (event.type()) {
      case REQUEST_CREATED -> request == null ? "A provider engineer asked for access to " + environment + "."
          : request.breakGlass()
              ? "A provider engineer asked for emergency (break-glass) access to " + environment + " for incident "
                  + request.incidentId() + "."
              : "A provider engineer asked for " + accessLevel(request.accessLevel()).toLowerCase() + " access to "
                  + environment + ".";
      case JIT_EVALUATED -> jitSentence(request);
      case REQUEST_REJECTED -> "The provider's internal rules refused this request; nobody was given access.";
      case INTERNAL_APPROVAL_REQUESTED -> "A support lead at the provider was asked to approve it first.";
      case INTERNAL_APPROVED -> "A support lead at the provider approved it.";
      case INTERNAL_DENIED -> "A support lead at the provider refused it; nobody was given access.";
      case LOCKBOX_NOT_REQUIRED -> "Your lockbox policy does not cover " + environment
          + ", so your approval was not needed.";
      case LOCKBOX_REQUEST_CREATED -> isExtension(event)
          ? "Your approval of more time for the access was requested; it can be given until "
              + Times.display(event.requestExpiresAt()) + "."
          : request != null && request.lockbox() != null
          ? "Your approval was requested; it can be given until " + Times.display(request.lockbox().expiresAt()) + "."
          : "Your approval was requested.";
      case APPROVERS_NOTIFIED -> notifiedSentence(event.detail());
      case LOCKBOX_APPROVAL_COUNTED -> isExtension(event)
          ? "One of your approvers approved more time for the access; more approvals are needed."
          : "One of your approvers approved the request; more approvals are needed.";
      case LOCKBOX_APPROVED -> isExtension(event) ? "Your organization approved more time for the access."
          : "Your organization approved the request.";
      case LOCKBOX_DENIED -> isExtension(event) ? "Your organization denied more time; the access ends as planned."
          : "Your organization denied the request.";
      case LOCKBOX_EXPIRED -> isExtension(event)
          ? "Nobody decided on more time before the access ended, so it ended as planned."
          : "Nobody decided before the request expired, so no access was given.";
      case EXTENSION_REQUESTED -> "The engineer asked for more time for the access to " + environment + ".";
      case ACCESS_EXTENDED -> "The access to " + environment + " was extended"
          + (event.accessExpiresAt() == null ? "." : " until " + Times.display(event.accessExpiresAt()) + ".");
      case ACCESS_GRANTED -> accessGrantedSentence(event, request, environment);
      case BREAK_GLASS_USED -> "The provider used emergency (break-glass) access to " + environment
          + " without waiting for your approval" + (request == null ? "." : ", for incident " + request.incidentId() + ".");
      case GRANT_REFUSED -> "Access was refused because your approval (or another basis for it) was not on record; "
          + "nobody was given access.";
      case STEP_REFUSED -> "An action on this request that did not follow its steps was refused; nothing changed.";
      case MANUAL_ACTION -> "Someone at the provider acted on this request by hand in the provider's operations tools; "
          + "it is recorded under their name.";
      case MANUAL_ACTION_REFUSED -> "Someone at the provider tried to act on this request by hand in the provider's "
          + "operations tools; it was refused.";
      case ACCESS_ACTIVITY -> "Activity in " + environment + " during the access was reported.";
      case ACCESS_RELEASED -> "The engineer gave the access back before the access period was over.";
      case ACCESS_ENDED -> "The access period was over and the access was removed.";
      case ACCESS_REVOKED_BY_CUSTOMER -> "Your organization revoked the access before the access period was over; "
          + "the engineer could no longer enter from that moment.";
      case POLICY_CHANGED -> "Your lockbox policy was changed.";
      case ENVIRONMENT_CHANGED -> "The settings of " + environment + " were changed.";
      case AUDIT_RETENTION_CHANGED -> "How long your audit trail is kept was changed.";
      case AUDIT_EVENTS_PURGED -> "Audit events older than your retention period were removed.";
      case AUDIT_TRAIL_SEARCHED -> "Your audit trail was searched.";
      case AUDIT_TRAIL_EXPORTED -> "Your audit trail was exported.";
      case AUDIT_TRAIL_VERIFIED -> "Your audit trail was checked for changes.";
    };
  }

  /** The words of an event type on its own, for the audit search's filter. */
  static String typeLabel(AuditEventType type) {
    return switch (type) {
      case REQUEST_CREATED -> "Access requested";
      case JIT_EVALUATED -> "Checked by the provider's internal rules";
      case REQUEST_REJECTED -> "Refused by the provider's internal rules";
      case INTERNAL_APPROVAL_REQUESTED -> "Sent to a support lead at the provider";
      case INTERNAL_APPROVED -> "Approved by a support lead at the provider";
      case INTERNAL_DENIED -> "Refused by a support lead at the provider";
      case LOCKBOX_NOT_REQUIRED -> "Your approval not needed";
      case LOCKBOX_REQUEST_CREATED -> "Your approval requested";
      case APPROVERS_NOTIFIED -> "Approvers notified";
      case LOCKBOX_APPROVAL_COUNTED -> "One approval of several given";
      case LOCKBOX_APPROVED -> "Approved by your organization";
      case LOCKBOX_DENIED -> "Denied by your organization";
      case LOCKBOX_EXPIRED -> "Expired without a decision";
      case ACCESS_GRANTED -> "Access given";
      case BREAK_GLASS_USED -> "Emergency (break-glass) access";
      case GRANT_REFUSED -> "Access refused: no approval on record";
      case STEP_REFUSED -> "Out-of-order action refused";
      case MANUAL_ACTION -> "Handled by hand at the provider";
      case MANUAL_ACTION_REFUSED -> "Handling by hand refused";
      case ACCESS_ACTIVITY -> "Activity during access";
      case ACCESS_RELEASED -> "Access given back early";
      case EXTENSION_REQUESTED -> "More time asked for";
      case ACCESS_EXTENDED -> "Access extended";
      case ACCESS_ENDED -> "Access period over";
      case ACCESS_REVOKED_BY_CUSTOMER -> "Access revoked by your organization";
      case POLICY_CHANGED -> "Lockbox policy changed";
      case ENVIRONMENT_CHANGED -> "Environment changed";
      case AUDIT_RETENTION_CHANGED -> "Audit retention changed";
      case AUDIT_EVENTS_PURGED -> "Old audit events removed";
      case AUDIT_TRAIL_SEARCHED -> "Audit trail searched";
      case AUDIT_TRAIL_EXPORTED -> "Audit trail exported";
      case AUDIT_TRAIL_VERIFIED -> "Audit trail checked";
    };
  }

  /**
   * The text that goes under a sentence: what a person wrote (a decision's comment) or what the
   * data plane reported the engineer did. Other events' details are the provider's record, in its
   * own words, and stay in the API and the export.
   */
  static String detail(AuditEvent event) {
    if (event.comment() != null && !event.comment().isBlank()) {
      return event.comment();
    }
    return event.type() == AuditEventType.ACCESS_ACTIVITY ? event.detail() : null;
  }

  /** Who acted, when a person did; what the system did on its own names nobody. */
  static String who(AuditEvent event) {
    return event.actorKind() == AuditEvent.ActorKind.USER ? event.actor() : null;
  }

  /** Whether a lockbox event is about an extension of granted access (its detail says so first). */
  private static boolean isExtension(AuditEvent event) {
    return event.detail() != null && event.detail().startsWith(AccessRequestLifecycle.EXTENSION + " ");
  }

  private static String jitSentence(AccessRequestView request) {
    String outcome = request == null || request.internalApproval() == null ? null : request.internalApproval().jitOutcome();
    if (outcome == null) {
      return "The provider's internal rules checked this request.";
    }
    return switch (outcome) {
      case "AUTO_APPROVE" -> "The provider's internal rules allowed this request without a second person at the provider.";
      case "INTERNAL_APPROVAL" -> "The provider's internal rules asked for a support lead's approval first.";
      case "REJECT" -> "The provider's internal rules refused this request.";
      default -> "The provider's internal rules checked this request.";
    };
  }

  private static String notifiedSentence(String detail) {
    if (detail != null && detail.contains("nobody")) {
      return "Nobody could be notified: your organization has no lockbox approvers.";
    }
    if (detail != null && detail.startsWith(Occasion.LOCKBOX_REQUEST_REMINDER.name())) {
      return "Your approvers were reminded by e-mail.";
    }
    if (detail != null && detail.startsWith(Occasion.BREAK_GLASS_USED.name())) {
      return "Your approvers were told of the emergency access by e-mail.";
    }
    return "Your approvers were notified by e-mail.";
  }

  private static String accessGrantedSentence(AuditEvent event, AccessRequestView request, String environment) {
    Instant until = event.accessExpiresAt() != null ? event.accessExpiresAt()
        : request != null && request.grant() != null ? request.grant().expiresAt() : null;
    return "The engineer was given access to " + environment + (until == null ? "." : " until " + Times.display(until) + ".");
  }
}
