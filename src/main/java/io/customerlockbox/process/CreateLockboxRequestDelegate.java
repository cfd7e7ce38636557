package io.customerlockbox.process;

import io.customerlockbox.StepRefused;
import io.customerlockbox.Times;
import io.customerlockbox.request.ApprovalRule;
import io.customerlockbox.request.LockboxRequest;
import io.customerlockbox.request.AccessRequestLifecycle;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.springframework.stereotype.Component;

/**
 * Opens the customer's lockbox request: its expiry and access period come from the model's
 * timers, who approves and how many must from the customer's approval rules just evaluated.
 */
@Component("createLockboxRequestDelegate")
class CreateLockboxRequestDelegate implements JavaDelegate {

  private final AccessRequestLifecycle lifecycle;

  CreateLockboxRequestDelegate(AccessRequestLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public void execute(DelegateExecution execution) {
    LockboxRequest lockbox = lifecycle.openLockboxRequest(Steps.context(execution),
        ProcessModel.timerDuration(execution, ProcessModel.APPROVAL_OVERDUE_TIMER),
        ProcessModel.timerDuration(execution, ProcessModel.ACCESS_PERIOD_TIMER), approvalRule(execution),
        matchedRules(execution));
    execution.setVariable(ProcessModel.LOCKBOX_REQUEST_ID, lockbox.id());
    // Shown as they are by the Tasklist form: times as people read them, the period in words.
    execution.setVariable(ProcessModel.LOCKBOX_REQUESTED_AT, Times.display(lockbox.requestedAt()));
    execution.setVariable(ProcessModel.LOCKBOX_EXPIRES_AT, Times.display(lockbox.expiresAt()));
    execution.setVariable(ProcessModel.ACCESS_PERIOD, lockbox.accessPeriod());
    execution.setVariable(ProcessModel.ACCESS_PERIOD_IN_WORDS, Times.inWords(lockbox.accessPeriod()) + ", then access ends on its own");
  }

  /**
   * What the customer's approval rules answered in this transaction (transient variables the
   * engine never stores). A model version without the rules' task asks what the product always
   * asked: one lockbox approver or tenant admin.
   */
  private static ApprovalRule approvalRule(DelegateExecution execution) {
    if (execution.getBpmnModelInstance().getModelElementById(ProcessModel.APPROVAL_RULES_TASK) == null) {
      return ApprovalRule.BEFORE_RULES;
    }
    TypedValue count = execution.getVariableTyped(ProcessModel.APPROVALS_REQUIRED);
    TypedValue groups = execution.getVariableTyped(ProcessModel.APPROVER_GROUPS);
    if (count == null || groups == null || !count.isTransient() || !groups.isTransient()) {
      throw new StepRefused("The customer's approval rules did not answer in this step's transaction: "
          + ProcessModel.APPROVAL_RULES_TASK + " must run right before " + execution.getCurrentActivityId());
    }
    return ApprovalRule.of(count.getValue(), groups.getValue());
  }

  /** Which rules of the table answered, for the audit trail. */
  private static String matchedRules(DelegateExecution execution) {
    Object matched = execution.getVariable(ProcessModel.APPROVAL_RULES_MATCHED);
    return matched instanceof String rules ? rules : "none (this model version has no approval rules)";
  }
}
