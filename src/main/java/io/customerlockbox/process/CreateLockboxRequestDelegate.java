package io.customerlockbox.process;

import io.customerlockbox.Times;
import io.customerlockbox.request.AccessRequestLifecycle;
import io.customerlockbox.request.ApprovalRule;
import io.customerlockbox.request.LockboxRequest;
import java.util.function.BiConsumer;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Opens the customer's lockbox request: its expiry and access period come from the model's
 * timers, who approves and how many must from the customer's approval rules just evaluated.
 */
@Component("createLockboxRequestDelegate")
class CreateLockboxRequestDelegate implements JavaDelegate {

  private final AccessRequestLifecycle lifecycle;
  private final ApprovalRulesEvaluatedListener approvalRules;

  CreateLockboxRequestDelegate(AccessRequestLifecycle lifecycle, ApprovalRulesEvaluatedListener approvalRules) {
    this.lifecycle = lifecycle;
    this.approvalRules = approvalRules;
  }

  @Override
  public void execute(DelegateExecution execution) {
    ApprovalRulesEvaluatedListener.Answer rules = approvalRules(execution);
    LockboxRequest lockbox = lifecycle.openLockboxRequest(Steps.context(execution),
        ProcessModel.timerDuration(execution, ProcessModel.APPROVAL_OVERDUE_TIMER),
        ProcessModel.accessPeriod(execution), rules.rule(), rules.matchedRules());
    showOnTheForm(execution::setVariable, lockbox, Times.inWords(lockbox.accessPeriod()) + ", then access ends on its own");
  }

  /**
   * What the customer's approval form shows of {@code lockbox}, set with {@code variables}: times
   * as people read them, the period in words. Nothing the form does not show: each variable is a
   * row the engine writes, keeps in its history and deletes again.
   */
  static void showOnTheForm(BiConsumer<String, Object> variables, LockboxRequest lockbox, String periodInWords) {
    variables.accept(ProcessModel.LOCKBOX_REQUESTED_AT, Times.display(lockbox.requestedAt()));
    variables.accept(ProcessModel.LOCKBOX_EXPIRES_AT, Times.display(lockbox.expiresAt()));
    variables.accept(ProcessModel.ACCESS_PERIOD_IN_WORDS, periodInWords);
  }

  /**
   * What the customer's approval rules answered this instance in this transaction. A model
   * version without the rules' task asks what the product always asked: one lockbox approver or
   * tenant admin.
   */
  private ApprovalRulesEvaluatedListener.Answer approvalRules(DelegateExecution execution) {
    if (execution.getBpmnModelInstance().getModelElementById(ProcessModel.APPROVAL_RULES_TASK) == null) {
      return new ApprovalRulesEvaluatedListener.Answer(ApprovalRule.BEFORE_RULES,
          "none (this model version has no approval rules)");
    }
    return approvalRules.require(execution, ProcessModel.APPROVAL_RULES_TASK);
  }
}
