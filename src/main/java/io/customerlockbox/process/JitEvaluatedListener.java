package io.customerlockbox.process;

import io.customerlockbox.request.AccessRequestLifecycle;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/** Records the just-in-time rules' outcome once the decision table has answered. */
@Component("jitEvaluatedListener")
class JitEvaluatedListener implements ExecutionListener {

  static final String JIT_RULES = "JitAccessRules";

  private final AccessRequestLifecycle lifecycle;
  private final DecisionCapture decisions;

  JitEvaluatedListener(AccessRequestLifecycle lifecycle, DecisionCapture decisions) {
    this.lifecycle = lifecycle;
    this.decisions = decisions;
  }

  @Override
  public void notify(DelegateExecution execution) {
    String outcome = (String) execution.getVariable(ProcessModel.JIT_OUTCOME);
    lifecycle.recordJitOutcome(Steps.context(execution), outcome, decisions.take(JIT_RULES).rules());
    if ("REJECT".equals(outcome)) {
      execution.setVariable(ProcessModel.REJECTION_REASON, "rejected by the just-in-time rules");
    }
  }
}
