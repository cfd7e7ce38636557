package io.customerlockbox.process;

import io.customerlockbox.request.AccessRequestLifecycle;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Asks the customer's lockbox policy whether this environment needs their approval. */
@Component("lockboxGateDelegate")
class LockboxGateDelegate implements JavaDelegate {

  private final AccessRequestLifecycle lifecycle;

  LockboxGateDelegate(AccessRequestLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public void execute(DelegateExecution execution) {
    execution.setVariable(ProcessModel.LOCKBOX_REQUIRED, lifecycle.lockboxRequired(Steps.context(execution)));
  }
}
