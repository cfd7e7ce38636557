package io.customerlockbox.process;

import io.customerlockbox.StepRefused;
import io.customerlockbox.policy.Environment;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.request.AccessRequest;
import io.customerlockbox.request.AccessRequestLifecycle;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The inputs of the customer's approval rules, read from the domain (the access request as filed,
 * its environment as configured now), never from process variables anyone allowed to write them
 * could have changed while the instance waited. The model maps each into the business rule task
 * ("Evaluate the customer's approval rules"), so a process owner sees them in Modeler.
 */
@Component("approvalRuleFacts")
public class ApprovalRuleFacts {

  /** What the decision table LockboxApprovalRules decides on. */
  public record Facts(String tenantId, String environmentId, boolean environmentManaged, String environmentTier,
      String accessLevel, boolean breakGlass) {}

  private final AccessRequestLifecycle lifecycle;
  private final PolicyService policies;

  ApprovalRuleFacts(AccessRequestLifecycle lifecycle, PolicyService policies) {
    this.lifecycle = lifecycle;
    this.policies = policies;
  }

  public Facts of(DelegateExecution execution) {
    AccessRequest request = lifecycle.get(Steps.requestId(execution));
    Environment environment = policies.environment(request.environmentId())
        .orElseThrow(() -> new StepRefused("Environment " + request.environmentId() + " no longer exists"));
    return new Facts(request.tenantId(), environment.id(), environment.managed(), environment.tier(),
        request.accessLevel().name(), request.breakGlass());
  }
}
