package io.customerlockbox.process;

import io.customerlockbox.notify.LockboxNotifier;
import io.customerlockbox.notify.Occasion;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * The model's "notify" tasks: starts a notification (the task's {@code notification} input names
 * the occasion) in this step's transaction. No mail leaves here, so the task needs no async point;
 * the notification process sends in its own retried job.
 */
@Component("notifyDelegate")
class NotifyDelegate implements JavaDelegate {

  private final LockboxNotifier notifier;

  NotifyDelegate(LockboxNotifier notifier) {
    this.notifier = notifier;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Occasion occasion = Steps.occasion(execution);
    notifier.request(occasion, Steps.requestId(execution));
  }
}
