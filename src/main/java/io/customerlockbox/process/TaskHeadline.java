package io.customerlockbox.process;

import io.customerlockbox.Times;
import io.customerlockbox.policy.Environment;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.request.AccessRequest;
import io.customerlockbox.request.AccessRequestLifecycle;
import io.customerlockbox.request.LockboxRequest;
import io.customerlockbox.request.LockboxRequestService;
import java.util.Optional;
import java.util.Date;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * What Tasklist shows of a decision task, so that an approver tells one request from the next: a
 * name with the ticket, the environment and the requester, a description with what is asked and
 * why, and as due date the moment the request expires (the customer's task). The internal task's
 * due date is the model's own ({@code camunda:dueDate}). When the customer's approval rules ask
 * several approvers, the customer's task says how far the approvals got. Runs on create, after the
 * task's own listener.
 */
@Component("taskHeadline")
class TaskHeadline implements TaskListener {

  /** The engine's column for a task's name. */
  private static final int MAX_NAME = 255;
  private static final int MAX_DESCRIPTION = 4000;

  private final AccessRequestLifecycle lifecycle;
  private final LockboxRequestService lockboxRequests;
  private final PolicyService policies;

  TaskHeadline(AccessRequestLifecycle lifecycle, LockboxRequestService lockboxRequests, PolicyService policies) {
    this.lifecycle = lifecycle;
    this.lockboxRequests = lockboxRequests;
    this.policies = policies;
  }

  @Override
  public void notify(DelegateTask task) {
    AccessRequest request = lifecycle.get(Steps.requestId(task));
    String environment = policies.environment(request.environmentId()).map(Environment::name)
        .filter(name -> !name.isBlank()).map(name -> name + " (" + request.environmentId() + ")")
        .orElse(request.environmentId());
    String ticket = request.supportTicketId() == null ? "provider initiated" : request.supportTicketId();
    boolean extension = ProcessModel.EXTENSION_REVIEW_TASK.equals(task.getTaskDefinitionKey());
    boolean customers = extension || ProcessModel.CUSTOMER_APPROVAL_TASK.equals(task.getTaskDefinitionKey());
    String what = extension ? "Extension of access " : customers ? "Lockbox request " : "Internal approval ";
    var lockbox = customers ? lockboxRequests.ofAccessRequest(request.id()) : Optional.<LockboxRequest>empty();
    // Several approvers: each round of the task says how far the approvals got ("1 of 2 approvals"),
    // of the access and of an extension alike.
    String progress = lockbox.filter(open -> open.approvalsRequired() > 1)
        .map(open -> open.rule().progress(lockboxRequests.approvals(open.id()).size())).orElse(null);
    task.setName(cut(what + ticket + " · " + environment + " · from " + request.requestedBy()
        + (progress == null ? "" : " · " + progress), MAX_NAME));
    String description;
    if (extension && lockbox.isPresent()) {
      description = request.requestedBy() + " asks for " + Times.inWords(lockbox.get().accessPeriod())
          + " more of their " + request.accessLevel() + " access to " + environment + ", support ticket " + ticket
          + ". Why: " + lockbox.get().justification();
    } else {
      description = request.requestedBy() + " asks for " + request.accessLevel() + " access to " + environment
          + (customers ? "" : " of tenant " + request.tenantId()) + ", support ticket " + ticket + ". Why: "
          + request.justification();
    }
    if (progress != null) {
      description += " " + progress + " so far; each approver counts once, and one denial denies.";
    }
    if (lockbox.isPresent()) {
      description += " Decide before " + Times.display(lockbox.get().expiresAt()) + (extension
          ? ", when access ends; without a decision it ends then." : "; without a decision nothing is granted.");
    }
    lockbox.ifPresent(open -> task.setDueDate(Date.from(open.expiresAt())));
    task.setDescription(cut(description, MAX_DESCRIPTION));
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
