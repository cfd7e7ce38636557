package io.customerlockbox.process;

import io.customerlockbox.request.ApprovalRule;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

/**
 * Hands the customer's approval rules' answer to the next step, "Create lockbox request", which
 * runs in the same transaction and records it on the lockbox request. The answer travels as
 * transient variables: the engine never stores them, so nobody can set or change them through
 * the engine REST API, and a "Create lockbox request" started without the rules finds none.
 */
@Component("approvalRulesEvaluatedListener")
class ApprovalRulesEvaluatedListener implements ExecutionListener {

  static final String APPROVAL_RULES = "LockboxApprovalRules";

  private final DecisionCapture decisions;

  ApprovalRulesEvaluatedListener(DecisionCapture decisions) {
    this.decisions = decisions;
  }

  @Override
  public void notify(DelegateExecution execution) {
    DecisionCapture.Evaluation evaluation = decisions.take(APPROVAL_RULES);
    // Refuses an answer nobody could approve (no group, 0 approvers) before any lockbox request exists.
    ApprovalRule rule = ApprovalRule.of(evaluation.outputs().get(ProcessModel.APPROVALS_REQUIRED),
        evaluation.outputs().get(ProcessModel.APPROVER_GROUPS));
    DelegateExecution instance = execution.getProcessInstance();
    // A stored variable of the same name (set through the engine REST API) would hide the answer.
    for (String name : ProcessModel.APPROVAL_RULES_ANSWER) {
      instance.removeVariable(name);
    }
    instance.setVariableLocal(ProcessModel.APPROVALS_REQUIRED, Variables.integerValue(rule.approvalsRequired(), true));
    instance.setVariableLocal(ProcessModel.APPROVER_GROUPS, Variables.stringValue(rule.groupsText(), true));
    instance.setVariableLocal(ProcessModel.APPROVAL_RULES_MATCHED, Variables.stringValue(evaluation.rules(), true));
  }
}
