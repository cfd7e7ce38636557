package io.customerlockbox.process;

import io.customerlockbox.request.AccessRequestLifecycle;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component("rejectRequestDelegate")
class RejectRequestDelegate implements JavaDelegate {

  private final AccessRequestLifecycle lifecycle;

  RejectRequestDelegate(AccessRequestLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public void execute(DelegateExecution execution) {
    lifecycle.reject(Steps.context(execution), (String) execution.getVariable(ProcessModel.REJECTION_REASON));
  }
}
