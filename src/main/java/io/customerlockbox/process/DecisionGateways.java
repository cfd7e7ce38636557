package io.customerlockbox.process;

import io.customerlockbox.request.AccessRequestLifecycle;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * What the model's decision gateways ask ("Approved by the lead?", "Enough approvals?", "Approved
 * by the customer?"):
 * the domain's record of the decision, never a process variable, which anyone allowed to write
 * variables could set while the instance waits after the task.
 */
@Component(ProcessModel.DECISION_GATEWAYS)
public class DecisionGateways {

  private final AccessRequestLifecycle lifecycle;

  DecisionGateways(AccessRequestLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  public boolean internallyApproved(DelegateExecution execution) {
    return lifecycle.internallyApproved(Steps.requestId(execution));
  }

  /** Enough distinct approvals, or a denial: the customer decided, and the approval loop ends. */
  public boolean customerDecided(DelegateExecution execution) {
    return lifecycle.customerDecided(Steps.requestId(execution));
  }

  public boolean customerApproved(DelegateExecution execution) {
    return lifecycle.customerApproved(Steps.requestId(execution));
  }

  /** "More time approved?": the customer's recorded decision on the request's latest extension. */
  public boolean extensionApproved(DelegateExecution execution) {
    return lifecycle.extensionApproved(Steps.requestId(execution));
  }
}
