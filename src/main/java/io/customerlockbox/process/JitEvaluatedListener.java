package io.customerlockbox.process;

import io.customerlockbox.request.AccessRequestLifecycle;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/** Records the just-in-time rules' outcome once the decision table has answered. */
@Component("jitEvaluatedListener")
class JitEvaluatedListener implements ExecutionListener {

  private final AccessRequestLifecycle lifecycle;

  JitEvaluatedListener(AccessRequestLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public void notify(DelegateExecution execution) {
    String outcome = (String) execution.getVariable("jitOutcome");
    lifecycle.recordJitOutcome(Steps.requestId(execution), outcome, Steps.key(execution));
    if ("REJECT".equals(outcome)) {
      execution.setVariable("rejectionReason", "rejected by the just-in-time rules");
    }
  }
}
