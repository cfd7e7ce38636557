package io.customerlockbox.process;

import io.customerlockbox.request.AccessRequestLifecycle;
import io.customerlockbox.request.ScopeViolation;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component("scopeCheckDelegate")
class ScopeCheckDelegate implements JavaDelegate {

  private final AccessRequestLifecycle lifecycle;

  ScopeCheckDelegate(AccessRequestLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public void execute(DelegateExecution execution) {
    try {
      // The break-glass gateway decides on the request as filed, whatever the variable said before.
      execution.setVariable(ProcessModel.BREAK_GLASS, lifecycle.checkScope(Steps.context(execution)));
    } catch (ScopeViolation violation) {
      execution.setVariable(ProcessModel.REJECTION_REASON, "out of scope: " + violation.getMessage());
      throw new BpmnError(ProcessModel.SCOPE_VIOLATION_ERROR, violation.getMessage());
    }
  }
}
