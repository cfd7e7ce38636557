package io.customerlockbox.process;

import io.customerlockbox.notify.LockboxNotifier;
import io.customerlockbox.notify.Occasion;
import io.customerlockbox.request.AccessRequest;
import io.customerlockbox.request.AccessRequestLifecycle;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
import org.springframework.stereotype.Component;

/**
 * The customer's approval task. On create it takes the customer's tenant, so Camunda's tenant
 * checks show it only to that tenant's approvers, and removes decision variables set before it
 * existed; on complete the domain records the decision of the person completing it (who may
 * decide: {@code Deciders}; until when: the lockbox request's deadline; how many must approve:
 * the lockbox request, as the customer's approval rules decided). The model offers the task again
 * until the customer has decided.
 */
@Component("customerApprovalListener")
class CustomerApprovalListener implements TaskListener {

  private final AccessRequestLifecycle lifecycle;
  private final RequesterExclusion requesterExclusion;
  private final LockboxNotifier notifier;

  CustomerApprovalListener(AccessRequestLifecycle lifecycle, RequesterExclusion requesterExclusion,
      LockboxNotifier notifier) {
    this.lifecycle = lifecycle;
    this.requesterExclusion = requesterExclusion;
    this.notifier = notifier;
  }

  @Override
  public void notify(DelegateTask task) {
    if (EVENTNAME_CREATE.equals(task.getEventName())) {
      // The process itself belongs to the provider; only this task is the customer's.
      AccessRequest request = lifecycle.get(Steps.requestId(task));
      ((TaskEntity) task).setTenantId(request.tenantId());
      Steps.clearDecision(task, ProcessModel.LOCKBOX_DECISION, ProcessModel.LOCKBOX_COMMENT);
      requesterExclusion.exclude(task, request.requestedBy());
    } else if (EVENTNAME_COMPLETE.equals(task.getEventName())) {
      boolean approved = lifecycle.recordCustomerDecision(Steps.context(task),
          task.getVariable(ProcessModel.LOCKBOX_DECISION), Steps.comment(task, ProcessModel.LOCKBOX_COMMENT),
          Steps.currentPerson(task));
      task.getExecution().setVariable(ProcessModel.LOCKBOX_APPROVED, approved);
      // Once the customer has decided (the last approval needed, or a denial), the requester learns
      // the answer, and the other approvers that nobody else needs to act.
      if (lifecycle.customerDecided(Steps.requestId(task))) {
        notifier.request(Occasion.CUSTOMER_DECIDED, Steps.requestId(task));
      }
    }
  }
}
