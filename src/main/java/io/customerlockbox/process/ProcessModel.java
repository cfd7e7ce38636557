package io.customerlockbox.process;

import org.camunda.bpm.engine.delegate.BpmnModelExecutionContext;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;

/**
 * The names Java shares with {@code processes/LockboxAccessRequestProcess.bpmn}. Durations are
 * not here: they are read from the model's timers, so a process owner changes them in Modeler.
 */
public final class ProcessModel {

  public static final String PROCESS_KEY = "LockboxAccessRequestProcess";
  /** One instance per notification: its send job retries, and fails into an incident, on its own. */
  public static final String NOTIFICATION_PROCESS_KEY = "LockboxNotificationProcess";
  /** The bean the notification model's gateway asks ({@link NotificationGateways}). */
  public static final String NOTIFICATION_GATEWAYS = "notificationGateways";
  public static final String INTERNAL_APPROVAL_TASK = "Task_ReviewInternalApproval";
  public static final String CUSTOMER_APPROVAL_TASK = "Task_ReviewLockboxRequest";
  /** The business rule task that asks the customer's approval rules (LockboxApprovalRules). */
  public static final String APPROVAL_RULES_TASK = "Task_EvaluateApprovalRules";
  /** The extension section asks the same approval rules before it opens the extension. */
  public static final String EXTENSION_APPROVAL_RULES_TASK = "Task_EvaluateExtensionApprovalRules";
  public static final String APPROVAL_OVERDUE_TIMER = "BoundaryEvent_ApprovalOverdue";
  public static final String ACCESS_PERIOD_TIMER = "Event_AccessPeriodOver";
  /** The access timer's extension property: how long access lasts, and how much more an extension gives. */
  public static final String ACCESS_PERIOD_PROPERTY = "accessPeriod";
  public static final String ACCESS_RELEASED_MESSAGE = "AccessReleased";
  /** Sent by the lockbox API after the domain wrote the customer's revocation. */
  public static final String CUSTOMER_REVOKED_ACCESS_MESSAGE = "CustomerRevokedAccess";
  /** Sent by our API alone, after the domain recorded the engineer's ask ({@code AccessRequestService}). */
  public static final String EXTENSION_ASKED_MESSAGE = "ExtensionAsked";
  public static final String EXTENSION_REVIEW_TASK = "Task_ReviewExtension";
  /** The bean the access timers ask for the grant's end ({@link AccessEnds}). */
  public static final String ACCESS_ENDS = "accessEnds";
  public static final String SCOPE_VIOLATION_ERROR = "ScopeViolation";

  /**
   * Process variables. What the product sets for the models' gateways and forms; none is
   * evidence of anything: the domain re-reads its own records at every step.
   */
  public static final String ACCESS_REQUEST_ID = "accessRequestId";
  /** The request as the forms show it, set by the API's start or the start form's listener. */
  public static final String TENANT_ID = "tenantId";
  public static final String ENVIRONMENT_ID = "environmentId";
  public static final String SUPPORT_TICKET_ID = "supportTicketId";
  public static final String SUPPORT_TICKET = "supportTicket";
  public static final String JUSTIFICATION = "justification";
  public static final String ACCESS_LEVEL = "accessLevel";
  public static final String ISOLATED_IDENTITY = "isolatedIdentity";
  public static final String MFA_VERIFIED = "mfaVerified";
  public static final String BREAK_GLASS = "breakGlass";
  public static final String REQUESTED_BY = "requestedBy";
  /** The bean the decision gateways ask ({@link DecisionGateways}). */
  public static final String DECISION_GATEWAYS = "decisionGateways";
  /**
   * Gateway inputs, each set by the product's own step from the domain's answer. The decision
   * gateways no longer read the two *Approved variables (they ask {@link #DECISION_GATEWAYS});
   * the listeners still set them for instances waiting under earlier model versions.
   */
  public static final String JIT_OUTCOME = "jitOutcome";
  public static final String INTERNAL_APPROVED = "internalApproved";
  public static final String LOCKBOX_REQUIRED = "lockboxRequired";
  public static final String LOCKBOX_APPROVED = "lockboxApproved";
  public static final String REJECTION_REASON = "rejectionReason";
  /** Task inputs: what the completing person submits (removed when the task is created). */
  public static final String INTERNAL_DECISION = "internalDecision";
  public static final String INTERNAL_COMMENT = "internalComment";
  public static final String LOCKBOX_DECISION = "lockboxDecision";
  public static final String LOCKBOX_COMMENT = "lockboxComment";
  /** The customer approval form's display variables. */
  public static final String LOCKBOX_REQUESTED_AT = "lockboxRequestedAt";
  public static final String LOCKBOX_EXPIRES_AT = "lockboxExpiresAt";
  public static final String ACCESS_PERIOD_IN_WORDS = "accessPeriodInWords";
  /**
   * The outputs of the customer's approval rules (LockboxApprovalRules). Never process
   * variables: the rules' task hands them to "Create lockbox request" in memory.
   */
  public static final String APPROVALS_REQUIRED = "approvalsRequired";
  public static final String APPROVER_GROUPS = "approverGroups";
  /** The end-access tasks' input (EXPIRED or RELEASED). */
  public static final String END_REASON = "endReason";
  /** The audit retention process's results. */
  public static final String PURGED_EVENTS = "purgedEvents";
  public static final String SIGNED_CHAIN_HEADS = "signedChainHeads";
  /**
   * The occasion of a notification: the notify tasks' input; the variable of notification
   * instances started before the occasion moved into their business key.
   */
  public static final String NOTIFICATION = "notification";
  /** Between the access request's id and the occasion in a notification instance's business key. */
  private static final char OCCASION_SEPARATOR = '/';

  private ProcessModel() {}

  /**
   * A notification instance's business key: its access request's id, then the occasion
   * ({@code <request id>/EXPIRED}). Carried there instead of in a variable, the instance has
   * none, and the engine writes, reads and deletes none for it (docs/benchmarks.md).
   */
  public static String notificationKey(String accessRequestId, String occasion) {
    return accessRequestId + OCCASION_SEPARATOR + occasion;
  }

  /** The access request an instance's business key names: an access request's own, or a notification's. */
  public static String requestOf(String businessKey) {
    int separator = businessKey == null ? -1 : businessKey.indexOf(OCCASION_SEPARATOR);
    return separator < 0 ? businessKey : businessKey.substring(0, separator);
  }

  /** The occasion a notification's business key names; null for any other key, or an earlier notification's. */
  public static String occasionOf(String businessKey) {
    int separator = businessKey == null ? -1 : businessKey.indexOf(OCCASION_SEPARATOR);
    return separator < 0 ? null : businessKey.substring(separator + 1);
  }

  /**
   * The access period (ISO-8601) of the model {@code execution} runs on: the access timer's
   * {@value #ACCESS_PERIOD_PROPERTY} property (the timer itself fires at the grant's end, which
   * each extension moves), or in model versions before extensions the timer's own duration.
   */
  public static String accessPeriod(BpmnModelExecutionContext execution) {
    return accessPeriod(execution.getBpmnModelInstance());
  }

  public static String accessPeriod(BpmnModelInstance model) {
    BaseElement timer = model.getModelElementById(ACCESS_PERIOD_TIMER);
    if (timer == null) {
      throw new IllegalStateException("The deployed model has no timer event " + ACCESS_PERIOD_TIMER);
    }
    return timer.getChildElementsByType(org.camunda.bpm.model.bpmn.instance.ExtensionElements.class).stream()
        .flatMap(extensions -> extensions.getElementsQuery().filterByType(
            org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties.class).list().stream())
        .flatMap(properties -> properties.getCamundaProperties().stream())
        .filter(property -> ACCESS_PERIOD_PROPERTY.equals(property.getCamundaName()))
        .map(CamundaProperty::getCamundaValue).map(String::trim).findFirst()
        .orElseGet(() -> timerDuration(model, ACCESS_PERIOD_TIMER));
  }

  /** The ISO-8601 duration of timer event {@code eventId} as the deployed model defines it. */
  public static String timerDuration(BpmnModelExecutionContext execution, String eventId) {
    return timerDuration(execution.getBpmnModelInstance(), eventId);
  }

  private static String timerDuration(BpmnModelInstance model, String eventId) {
    var event = model.getModelElementById(eventId);
    if (event == null) {
      throw new IllegalStateException("The deployed model has no timer event " + eventId);
    }
    var timer = event.getChildElementsByType(TimerEventDefinition.class).stream().findFirst()
        .orElseThrow(() -> new IllegalStateException(eventId + " is not a timer event"));
    if (timer.getTimeDuration() == null) {
      throw new IllegalStateException(eventId + " has no time duration");
    }
    return timer.getTimeDuration().getTextContent().trim();
  }
}
