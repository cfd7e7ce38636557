package io.customerlockbox.process;

import io.customerlockbox.request.AccessRequestLifecycle;
import io.customerlockbox.notify.LockboxNotifier;
import io.customerlockbox.notify.Occasion;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Grants access until the model's access-period timer falls due (normal and break-glass paths alike). */
@Component("grantAccessDelegate")
class GrantAccessDelegate implements JavaDelegate {

  private final AccessRequestLifecycle lifecycle;
  private final LockboxNotifier notifier;

  GrantAccessDelegate(AccessRequestLifecycle lifecycle, LockboxNotifier notifier) {
    this.lifecycle = lifecycle;
    this.notifier = notifier;
  }

  @Override
  public void execute(DelegateExecution execution) {
    lifecycle.grant(Steps.context(execution), ProcessModel.accessPeriod(execution));
    notifier.request(Occasion.ACCESS_GRANTED, Steps.requestId(execution));
  }
}
