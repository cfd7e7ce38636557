package io.customerlockbox.process;

import io.customerlockbox.notify.LockboxNotifier;
import io.customerlockbox.notify.LockboxNotifier.Occasion;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Tells the customer's approvers; the model names the occasion in the task's {@code notification} input. */
@Component("notifyDelegate")
class NotifyDelegate implements JavaDelegate {

  private final LockboxNotifier notifier;

  NotifyDelegate(LockboxNotifier notifier) {
    this.notifier = notifier;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Occasion occasion = Occasion.valueOf((String) execution.getVariableLocal("notification"));
    notifier.notifyApprovers(occasion, Steps.requestId(execution), Steps.key(execution));
  }
}
