package io.customerlockbox.process;

import io.customerlockbox.request.AccessRequestLifecycle;
import io.customerlockbox.request.AccessRequestLifecycle.EndReason;
import io.customerlockbox.notify.LockboxNotifier;
import io.customerlockbox.notify.Occasion;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Ends access: the model says why in the task's {@code endReason} input (EXPIRED or RELEASED). */
@Component("endAccessDelegate")
class EndAccessDelegate implements JavaDelegate {

  private final AccessRequestLifecycle lifecycle;
  private final LockboxNotifier notifier;

  EndAccessDelegate(AccessRequestLifecycle lifecycle, LockboxNotifier notifier) {
    this.lifecycle = lifecycle;
    this.notifier = notifier;
  }

  @Override
  public void execute(DelegateExecution execution) {
    EndReason reason = EndReason.valueOf((String) execution.getVariableLocal(ProcessModel.END_REASON));
    lifecycle.endAccess(Steps.context(execution), reason);
    notifier.request(Occasion.ACCESS_ENDED, Steps.requestId(execution));
  }
}
