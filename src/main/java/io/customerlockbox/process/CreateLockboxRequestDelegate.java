package io.customerlockbox.process;

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
    execution.setVariable("lockboxRequestedAt", lockbox.requestedAt().toString());
    execution.setVariable("lockboxExpiresAt", lockbox.expiresAt().toString());
    execution.setVariable("accessPeriod", lockbox.accessPeriod());
  }
}
