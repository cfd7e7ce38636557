package io.customerlockbox.process;

import io.customerlockbox.request.AccessRequestLifecycle;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Grants access until the model's access-period timer falls due (normal and break-glass paths alike). */
@Component("grantAccessDelegate")
class GrantAccessDelegate implements JavaDelegate {

  private final AccessRequestLifecycle lifecycle;

  GrantAccessDelegate(AccessRequestLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public void execute(DelegateExecution execution) {
    lifecycle.grant(Steps.requestId(execution),
        ProcessModel.timerDuration(execution, ProcessModel.ACCESS_PERIOD_TIMER), Steps.key(execution));
  }
}
