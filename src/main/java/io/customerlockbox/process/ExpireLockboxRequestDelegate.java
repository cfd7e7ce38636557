package io.customerlockbox.process;

import io.customerlockbox.request.LockboxRequestService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component("expireLockboxRequestDelegate")
class ExpireLockboxRequestDelegate implements JavaDelegate {

  private final LockboxRequestService lockboxRequests;

  ExpireLockboxRequestDelegate(LockboxRequestService lockboxRequests) {
    this.lockboxRequests = lockboxRequests;
  }

  @Override
  public void execute(DelegateExecution execution) {
    lockboxRequests.expire(Steps.requestId(execution), Steps.key(execution));
  }
}
