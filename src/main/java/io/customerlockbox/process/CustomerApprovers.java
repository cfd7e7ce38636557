package io.customerlockbox.process;

import io.customerlockbox.request.LockboxRequest;
import io.customerlockbox.request.LockboxRequestService;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Who the customer's approval task is offered to (its candidate groups): the approver groups the
 * open lockbox request recorded from the customer's approval rules, never a process variable.
 */
@Component("customerApprovers")
public class CustomerApprovers {

  private final LockboxRequestService lockboxRequests;

  CustomerApprovers(LockboxRequestService lockboxRequests) {
    this.lockboxRequests = lockboxRequests;
  }

  public List<String> groups(DelegateExecution execution) {
    return lockboxRequests.ofAccessRequest(Steps.requestId(execution)).map(LockboxRequest::approverGroups)
        .orElseThrow(() -> new IllegalStateException("Access request " + Steps.requestId(execution)
            + " has no lockbox request to approve"));
  }
}
