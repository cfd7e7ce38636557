package io.customerlockbox.process;

import io.customerlockbox.notify.LockboxNotifier;
import io.customerlockbox.notify.Occasion;
import io.customerlockbox.request.AccessRequestLifecycle;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * The step after the revoke message ("Tell the engineer and approvers"): the domain confirms the
 * customer revoked (a message correlated without the domain's record is refused here, and the
 * instance keeps waiting), then the engineer and the other approvers are told.
 */
@Component("customerRevokedAccessDelegate")
class CustomerRevokedAccessDelegate implements JavaDelegate {

  private final AccessRequestLifecycle lifecycle;
  private final LockboxNotifier notifier;

  CustomerRevokedAccessDelegate(AccessRequestLifecycle lifecycle, LockboxNotifier notifier) {
    this.lifecycle = lifecycle;
    this.notifier = notifier;
  }

  @Override
  public void execute(DelegateExecution execution) {
    lifecycle.confirmCustomerRevocation(Steps.context(execution));
    notifier.request(Occasion.ACCESS_REVOKED_BY_CUSTOMER, Steps.requestId(execution));
  }
}
