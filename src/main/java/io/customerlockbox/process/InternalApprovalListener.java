package io.customerlockbox.process;

import io.customerlockbox.notify.LockboxNotifier;
import io.customerlockbox.notify.Occasion;
import io.customerlockbox.request.AccessRequestLifecycle;
import io.customerlockbox.request.Decision;
import io.customerlockbox.security.LockboxUser;
import io.customerlockbox.security.RoleMatrix;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/** A support lead's task: marks the request as waiting, then records the lead's decision. */
@Component("internalApprovalListener")
class InternalApprovalListener implements TaskListener {

  private final AccessRequestLifecycle lifecycle;
  private final RequesterExclusion requesterExclusion;
  private final LockboxNotifier notifier;

  InternalApprovalListener(AccessRequestLifecycle lifecycle, RequesterExclusion requesterExclusion,
      LockboxNotifier notifier) {
    this.lifecycle = lifecycle;
    this.requesterExclusion = requesterExclusion;
    this.notifier = notifier;
  }

  @Override
  public void notify(DelegateTask task) {
    String requestId = Steps.requestId(task);
    if (EVENTNAME_CREATE.equals(task.getEventName())) {
      lifecycle.awaitInternalApproval(requestId, Steps.key(task));
      requesterExclusion.exclude(task, lifecycle.get(requestId).requestedBy());
    } else if (EVENTNAME_COMPLETE.equals(task.getEventName())) {
      LockboxUser decider = Steps.currentPerson(task);
      if (decider != null && !RoleMatrix.mayDecideInternally(decider)) {
        throw new AuthorizationException("User " + decider.id() + " is no support lead and cannot decide "
            + "internal approvals.");
      }
      Decision decision = Decision.of(task.getVariable(ProcessModel.INTERNAL_DECISION), ProcessModel.INTERNAL_DECISION);
      boolean approved = lifecycle.recordInternalDecision(requestId, decision,
          Steps.comment(task, ProcessModel.INTERNAL_COMMENT), Steps.currentUser(task), Steps.key(task));
      task.getExecution().setVariable("internalApproved", approved);
      notifier.request(Occasion.INTERNAL_DECIDED, requestId);
    }
  }
}
