package io.customerlockbox.process;

import org.camunda.bpm.engine.delegate.BpmnModelExecutionContext;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;

/**
 * The names Java shares with {@code processes/LockboxAccessRequestProcess.bpmn}. Durations are
 * not here: they are read from the model's timers, so a process owner changes them in Modeler.
 */
public final class ProcessModel {

  public static final String PROCESS_KEY = "LockboxAccessRequestProcess";
  /** One instance per notification: its send job retries, and fails into an incident, on its own. */
  public static final String NOTIFICATION_PROCESS_KEY = "LockboxNotificationProcess";
  public static final String INTERNAL_APPROVAL_TASK = "Task_ReviewInternalApproval";
  public static final String CUSTOMER_APPROVAL_TASK = "Task_ReviewLockboxRequest";
  public static final String APPROVAL_OVERDUE_TIMER = "BoundaryEvent_ApprovalOverdue";
  public static final String ACCESS_PERIOD_TIMER = "Event_AccessPeriodOver";
  public static final String ACCESS_RELEASED_MESSAGE = "AccessReleased";
  public static final String SCOPE_VIOLATION_ERROR = "ScopeViolation";

  /** Process variables. */
  public static final String ACCESS_REQUEST_ID = "accessRequestId";
  public static final String INTERNAL_DECISION = "internalDecision";
  public static final String INTERNAL_COMMENT = "internalComment";
  public static final String LOCKBOX_DECISION = "lockboxDecision";
  public static final String LOCKBOX_COMMENT = "lockboxComment";
  /** The occasion of a notification (the notify tasks' input, the notification process's variable). */
  public static final String NOTIFICATION = "notification";

  private ProcessModel() {}

  /** The ISO-8601 duration of timer event {@code eventId} as the deployed model defines it. */
  public static String timerDuration(BpmnModelExecutionContext execution, String eventId) {
    var event = execution.getBpmnModelInstance().getModelElementById(eventId);
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
