package io.customerlockbox.process;

import io.customerlockbox.Times;
import io.customerlockbox.request.LockboxRequest;
import io.customerlockbox.request.AccessRequestLifecycle;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Opens the customer's lockbox request; its expiry and access period come from the model's timers. */
@Component("createLockboxRequestDelegate")
class CreateLockboxRequestDelegate implements JavaDelegate {

  private final AccessRequestLifecycle lifecycle;

  CreateLockboxRequestDelegate(AccessRequestLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public void execute(DelegateExecution execution) {
    LockboxRequest lockbox = lifecycle.openLockboxRequest(Steps.context(execution),
        ProcessModel.timerDuration(execution, ProcessModel.APPROVAL_OVERDUE_TIMER),
        ProcessModel.timerDuration(execution, ProcessModel.ACCESS_PERIOD_TIMER));
    execution.setVariable(ProcessModel.LOCKBOX_REQUEST_ID, lockbox.id());
    // Shown as they are by the Tasklist form: times as people read them, the period in words.
    execution.setVariable(ProcessModel.LOCKBOX_REQUESTED_AT, Times.display(lockbox.requestedAt()));
    execution.setVariable(ProcessModel.LOCKBOX_EXPIRES_AT, Times.display(lockbox.expiresAt()));
    execution.setVariable(ProcessModel.ACCESS_PERIOD, lockbox.accessPeriod());
    execution.setVariable(ProcessModel.ACCESS_PERIOD_IN_WORDS, Times.inWords(lockbox.accessPeriod()) + ", then access ends on its own");
  }
}
