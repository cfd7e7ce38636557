package io.customerlockbox.process;

import io.customerlockbox.StepRefused;
import io.customerlockbox.request.ApprovalRule;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.springframework.stereotype.Component;

/**
 * Hands the customer's approval rules' answer to the next step, "Create lockbox request", which
 * runs in the same transaction and records it on the lockbox request. The answer never becomes a
 * process variable: it is held for this instance until the transaction ends, so nothing written
 * through the engine REST API can stand in for it, and a "Create lockbox request" started
 * without the rules (a Cockpit modification) finds none.
 */
@Component("approvalRulesEvaluatedListener")
class ApprovalRulesEvaluatedListener implements ExecutionListener {

  static final String APPROVAL_RULES = "LockboxApprovalRules";

  /** The table's answer and the rules that gave it. */
  record Answer(ApprovalRule rule, String matchedRules) {}

  private final DecisionCapture decisions;
  private final ThreadLocal<Map<String, Answer>> answers = ThreadLocal.withInitial(HashMap::new);

  ApprovalRulesEvaluatedListener(DecisionCapture decisions) {
    this.decisions = decisions;
  }

  @Override
  public void notify(DelegateExecution execution) {
    DecisionCapture.Evaluation evaluation = decisions.take(APPROVAL_RULES);
    // Refuses an answer nobody could approve (no group, 0 approvers) before any lockbox request exists.
    ApprovalRule rule = ApprovalRule.of(evaluation.outputs().get(ProcessModel.APPROVALS_REQUIRED),
        evaluation.outputs().get(ProcessModel.APPROVER_GROUPS));
    String instance = execution.getProcessInstanceId();
    answers.get().put(instance, new Answer(rule, evaluation.rules()));
    var transaction = Context.getCommandContext().getTransactionContext();
    transaction.addTransactionListener(TransactionState.COMMITTED, context -> answers.get().remove(instance));
    transaction.addTransactionListener(TransactionState.ROLLED_BACK, context -> answers.get().remove(instance));
  }

  /**
   * The answer the rules gave this instance in this transaction, for the step that records it
   * ({@code execution}): refused when {@code rulesTask} did not run right before it.
   */
  Answer require(DelegateExecution execution, String rulesTask) {
    return take(execution.getProcessInstanceId()).orElseThrow(() -> new StepRefused(
        "The customer's approval rules did not answer in this step's transaction: "
            + rulesTask + " must run right before " + execution.getCurrentActivityId()));
  }

  /** The answer the rules gave instance {@code processInstanceId} in this transaction, once. */
  Optional<Answer> take(String processInstanceId) {
    return Optional.ofNullable(answers.get().remove(processInstanceId));
  }
}
