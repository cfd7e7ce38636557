package io.customerlockbox.process;

import io.customerlockbox.Times;
import io.customerlockbox.request.AccessRequestLifecycle;
import io.customerlockbox.request.LockboxRequest;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Takes up the extension the engineer asked for through our API (the domain refuses when there is
 * none) and shows it on the approval form: these variables are the extension section's own, so
 * the access's own stay as they were.
 */
@Component("openExtensionDelegate")
class OpenExtensionDelegate implements JavaDelegate {

  private final AccessRequestLifecycle lifecycle;

  OpenExtensionDelegate(AccessRequestLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public void execute(DelegateExecution execution) {
    LockboxRequest extension = lifecycle.openExtension(Steps.context(execution));
    execution.setVariableLocal(ProcessModel.JUSTIFICATION, extension.justification());
    CreateLockboxRequestDelegate.showOnTheForm(execution::setVariableLocal, extension,
        Times.inWords(extension.accessPeriod()) + " more, added to the end of access (now "
            + Times.display(extension.expiresAt()) + ")");
  }
}
