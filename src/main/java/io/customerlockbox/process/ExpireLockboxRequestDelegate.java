package io.customerlockbox.process;

import io.customerlockbox.request.AccessRequestLifecycle;
import io.customerlockbox.notify.LockboxNotifier;
import io.customerlockbox.notify.Occasion;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component("expireLockboxRequestDelegate")
class ExpireLockboxRequestDelegate implements JavaDelegate {

  private final AccessRequestLifecycle lifecycle;
  private final LockboxNotifier notifier;

  ExpireLockboxRequestDelegate(AccessRequestLifecycle lifecycle, LockboxNotifier notifier) {
    this.lifecycle = lifecycle;
    this.notifier = notifier;
  }

  @Override
  public void execute(DelegateExecution execution) {
    // A late timer on a request that expired already changes nothing and tells nobody again.
    if (lifecycle.expireLockboxRequest(Steps.context(execution))) {
      notifier.request(Occasion.LOCKBOX_REQUEST_EXPIRED, Steps.requestId(execution));
    }
  }
}
