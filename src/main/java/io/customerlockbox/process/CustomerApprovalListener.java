package io.customerlockbox.process;

import io.customerlockbox.request.Decision;
import io.customerlockbox.request.LockboxRequestService;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
import org.springframework.stereotype.Component;

/**
 * The customer's approval task. On create it takes the customer's tenant, so Camunda's tenant
 * checks show it only to that tenant's approvers; on complete it records their decision.
 */
@Component("customerApprovalListener")
class CustomerApprovalListener implements TaskListener {

  private final LockboxRequestService lockboxRequests;

  CustomerApprovalListener(LockboxRequestService lockboxRequests) {
    this.lockboxRequests = lockboxRequests;
  }

  @Override
  public void notify(DelegateTask task) {
    if (EVENTNAME_CREATE.equals(task.getEventName())) {
      // The process itself belongs to the provider; only this task is the customer's.
      ((TaskEntity) task).setTenantId((String) task.getVariable("tenantId"));
    } else if (EVENTNAME_COMPLETE.equals(task.getEventName())) {
      Decision decision = Decision.of(task.getVariable(ProcessModel.LOCKBOX_DECISION), ProcessModel.LOCKBOX_DECISION);
      boolean approved = lockboxRequests.recordDecision(Steps.requestId(task), decision,
          Steps.comment(task, ProcessModel.LOCKBOX_COMMENT), Steps.currentUser(task), Steps.key(task));
      task.getExecution().setVariable("lockboxApproved", approved);
    }
  }
}
