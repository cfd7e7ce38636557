package io.customerlockbox.process;

import io.customerlockbox.notify.LockboxNotifier;
import io.customerlockbox.notify.Occasion;
import io.customerlockbox.request.AccessRequestLifecycle;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * A support lead's task: marks the request as waiting, then records the lead's decision. The
 * decision counts only as the completing person submits it: variables of the same name set on the
 * instance before the task existed are removed when it is created.
 */
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
      lifecycle.awaitInternalApproval(Steps.context(task));
      Steps.clearDecision(task, ProcessModel.INTERNAL_DECISION, ProcessModel.INTERNAL_COMMENT);
      requesterExclusion.exclude(task, lifecycle.get(requestId).requestedBy());
    } else if (EVENTNAME_COMPLETE.equals(task.getEventName())) {
      boolean approved = lifecycle.recordInternalDecision(Steps.context(task),
          task.getVariable(ProcessModel.INTERNAL_DECISION), Steps.comment(task, ProcessModel.INTERNAL_COMMENT),
          Steps.currentPerson(task));
      task.getExecution().setVariable(ProcessModel.INTERNAL_APPROVED, approved);
      notifier.request(Occasion.INTERNAL_DECIDED, requestId);
    }
  }
}
