package io.customerlockbox.process;

import io.customerlockbox.notify.LockboxNotifier;
import io.customerlockbox.notify.Occasion;
import io.customerlockbox.request.AccessRequestLifecycle;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Moves the grant's end by the model's access period, on the extension the customer approved. */
@Component("extendAccessDelegate")
class ExtendAccessDelegate implements JavaDelegate {

  private final AccessRequestLifecycle lifecycle;
  private final LockboxNotifier notifier;

  ExtendAccessDelegate(AccessRequestLifecycle lifecycle, LockboxNotifier notifier) {
    this.lifecycle = lifecycle;
    this.notifier = notifier;
  }

  @Override
  public void execute(DelegateExecution execution) {
    lifecycle.extendAccess(Steps.context(execution), ProcessModel.accessPeriod(execution));
    notifier.request(Occasion.ACCESS_EXTENDED, Steps.requestId(execution));
  }
}
