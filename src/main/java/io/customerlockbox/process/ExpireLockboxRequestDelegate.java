package io.customerlockbox.process;

import io.customerlockbox.request.LockboxRequestService;
import io.customerlockbox.notify.LockboxNotifier;
import io.customerlockbox.notify.Occasion;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component("expireLockboxRequestDelegate")
class ExpireLockboxRequestDelegate implements JavaDelegate {

  private final LockboxRequestService lockboxRequests;
  private final LockboxNotifier notifier;

  ExpireLockboxRequestDelegate(LockboxRequestService lockboxRequests, LockboxNotifier notifier) {
    this.lockboxRequests = lockboxRequests;
    this.notifier = notifier;
  }

  @Override
  public void execute(DelegateExecution execution) {
    lockboxRequests.expire(Steps.requestId(execution), Steps.key(execution));
    notifier.request(Occasion.LOCKBOX_REQUEST_EXPIRED, Steps.requestId(execution));
  }
}
