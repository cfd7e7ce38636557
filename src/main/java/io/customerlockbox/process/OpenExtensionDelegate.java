package io.customerlockbox.process;

import io.customerlockbox.Times;
import io.customerlockbox.request.AccessRequestLifecycle;
import io.customerlockbox.request.LockboxRequest;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Takes up the extension the engineer asked for through our API (the domain refuses when there is
 * none), records on it what the customer's approval rules just decided for it, and shows it on the
 * approval form: these variables are the extension section's own, so
 * the access's own stay as they were.
 */
@Component("openExtensionDelegate")
class OpenExtensionDelegate implements JavaDelegate {

  private final AccessRequestLifecycle lifecycle;
  private final ApprovalRulesEvaluatedListener approvalRules;

  OpenExtensionDelegate(AccessRequestLifecycle lifecycle, ApprovalRulesEvaluatedListener approvalRules) {
    this.lifecycle = lifecycle;
    this.approvalRules = approvalRules;
  }

  @Override
  public void execute(DelegateExecution execution) {
    // Decided under the same approval rules as the access: evaluated for it right before.
    ApprovalRulesEvaluatedListener.Answer rules =
        approvalRules.require(execution, ProcessModel.EXTENSION_APPROVAL_RULES_TASK);
    LockboxRequest extension = lifecycle.openExtension(Steps.context(execution), rules.rule(), rules.matchedRules());
    execution.setVariableLocal(ProcessModel.JUSTIFICATION, extension.justification());
    CreateLockboxRequestDelegate.showOnTheForm(execution::setVariableLocal, extension,
        Times.inWords(extension.accessPeriod()) + " more, added to the end of access (now "
            + Times.display(extension.expiresAt()) + ")");
  }
}
