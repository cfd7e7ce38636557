package io.customerlockbox.process;

import io.customerlockbox.Times;
import java.util.function.BiConsumer;
import io.customerlockbox.request.LockboxRequest;
import io.customerlockbox.request.AccessRequestLifecycle;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Opens the customer's lockbox request; its expiry and access period come from the model's timers. */
@Component("createLockboxRequestDelegate")
class CreateLockboxRequestDelegate implements JavaDelegate {

  private final AccessRequestLifecycle lifecycle;

  CreateLockboxRequestDelegate(AccessRequestLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public void execute(DelegateExecution execution) {
    LockboxRequest lockbox = lifecycle.openLockboxRequest(Steps.context(execution),
        ProcessModel.timerDuration(execution, ProcessModel.APPROVAL_OVERDUE_TIMER),
        ProcessModel.accessPeriod(execution));
    showOnTheForm(execution::setVariable, lockbox, Times.inWords(lockbox.accessPeriod()) + ", then access ends on its own");
  }

  /**
   * What the customer's approval form shows of {@code lockbox}, set with {@code variables}: times
   * as people read them, the period in words.
   */
  static void showOnTheForm(BiConsumer<String, Object> variables, LockboxRequest lockbox, String periodInWords) {
    variables.accept(ProcessModel.LOCKBOX_REQUEST_ID, lockbox.id());
    variables.accept(ProcessModel.LOCKBOX_REQUESTED_AT, Times.display(lockbox.requestedAt()));
    variables.accept(ProcessModel.LOCKBOX_EXPIRES_AT, Times.display(lockbox.expiresAt()));
    variables.accept(ProcessModel.ACCESS_PERIOD, lockbox.accessPeriod());
    variables.accept(ProcessModel.ACCESS_PERIOD_IN_WORDS, periodInWords);
  }
}
