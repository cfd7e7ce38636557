package io.customerlockbox.process;

import io.customerlockbox.Times;
import io.customerlockbox.request.LockboxRequest;
import io.customerlockbox.request.LockboxRequestService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Opens the customer's lockbox request; its expiry and access period come from the model's timers. */
@Component("createLockboxRequestDelegate")
class CreateLockboxRequestDelegate implements JavaDelegate {

  private final LockboxRequestService lockboxRequests;

  CreateLockboxRequestDelegate(LockboxRequestService lockboxRequests) {
    this.lockboxRequests = lockboxRequests;
  }

  @Override
  public void execute(DelegateExecution execution) {
    LockboxRequest lockbox = lockboxRequests.open(Steps.requestId(execution),
        ProcessModel.timerDuration(execution, ProcessModel.APPROVAL_OVERDUE_TIMER),
        ProcessModel.timerDuration(execution, ProcessModel.ACCESS_PERIOD_TIMER), Steps.key(execution));
    execution.setVariable("lockboxRequestId", lockbox.id());
    // Shown as they are by the Tasklist form: times as people read them, the period in words.
    execution.setVariable("lockboxRequestedAt", Times.display(lockbox.requestedAt()));
    execution.setVariable("lockboxExpiresAt", Times.display(lockbox.expiresAt()));
    execution.setVariable("accessPeriod", lockbox.accessPeriod());
    execution.setVariable("accessPeriodInWords", Times.inWords(lockbox.accessPeriod()) + ", then access ends on its own");
  }
}
