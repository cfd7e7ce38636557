package io.customerlockbox.process;

import io.customerlockbox.notify.LockboxNotifier;
import io.customerlockbox.notify.Occasion;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** The notification process's send step: e-mails everyone the occasion names, each message once. */
@Component("sendNotificationDelegate")
class SendNotificationDelegate implements JavaDelegate {

  private final LockboxNotifier notifier;

  SendNotificationDelegate(LockboxNotifier notifier) {
    this.notifier = notifier;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Occasion occasion = Steps.occasion(execution);
    notifier.send(occasion, Steps.requestId(execution), Steps.key(execution));
  }
}
