package io.customerlockbox.process;

import io.customerlockbox.notify.LockboxNotifier;
import io.customerlockbox.notify.Occasion;
import io.customerlockbox.request.AccessRequest;
import io.customerlockbox.request.AccessRequestLifecycle;
import io.customerlockbox.request.Decision;
import io.customerlockbox.request.LockboxRequestService;
import io.customerlockbox.security.LockboxUser;
import io.customerlockbox.security.RoleMatrix;
import org.camunda.bpm.engine.AuthorizationException;
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
  private final AccessRequestLifecycle lifecycle;
  private final RequesterExclusion requesterExclusion;
  private final LockboxNotifier notifier;

  CustomerApprovalListener(LockboxRequestService lockboxRequests, AccessRequestLifecycle lifecycle,
      RequesterExclusion requesterExclusion, LockboxNotifier notifier) {
    this.lockboxRequests = lockboxRequests;
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
      requesterExclusion.exclude(task, request.requestedBy());
    } else if (EVENTNAME_COMPLETE.equals(task.getEventName())) {
      // Candidate groups let the engine's administrators complete any task; a customer's
      // decision is its own approvers' alone, however the task is completed.
      LockboxUser decider = Steps.currentPerson(task);
      String tenantId = lifecycle.get(Steps.requestId(task)).tenantId();
      if (decider != null && !RoleMatrix.mayDecideLockbox(decider, tenantId)) {
        throw new AuthorizationException("User " + decider.id() + " is no lockbox approver or tenant admin of "
            + tenantId + " and cannot decide its lockbox requests.");
      }
      Decision decision = Decision.of(task.getVariable(ProcessModel.LOCKBOX_DECISION), ProcessModel.LOCKBOX_DECISION);
      boolean approved = lockboxRequests.recordDecision(Steps.requestId(task), decision,
          Steps.comment(task, ProcessModel.LOCKBOX_COMMENT), Steps.currentUser(task), Steps.key(task));
      task.getExecution().setVariable("lockboxApproved", approved);
      // The requester learns the answer, and the other approvers that nobody else needs to act.
      notifier.request(Occasion.CUSTOMER_DECIDED, Steps.requestId(task));
    }
  }
}
