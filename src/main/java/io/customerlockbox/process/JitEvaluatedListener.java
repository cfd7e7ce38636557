package io.customerlockbox.process;

import io.customerlockbox.request.AccessRequestLifecycle;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/** Records the just-in-time rules' outcome once the decision table has answered. */
@Component("jitEvaluatedListener")
class JitEvaluatedListener implements ExecutionListener {

  private final AccessRequestLifecycle lifecycle;
  private final JitRuleCapture rules;

  JitEvaluatedListener(AccessRequestLifecycle lifecycle, JitRuleCapture rules) {
    this.lifecycle = lifecycle;
    this.rules = rules;
  }

  @Override
  public void notify(DelegateExecution execution) {
    String outcome = (String) execution.getVariable(ProcessModel.JIT_OUTCOME);
    lifecycle.recordJitOutcome(Steps.context(execution), outcome, rules.take());
    if ("REJECT".equals(outcome)) {
      execution.setVariable(ProcessModel.REJECTION_REASON, "rejected by the just-in-time rules");
    }
  }
}
