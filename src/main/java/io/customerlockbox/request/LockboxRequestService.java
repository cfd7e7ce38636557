package io.customerlockbox.request;

import io.customerlockbox.Refusal;
import io.customerlockbox.Times;
import io.customerlockbox.access.AccessGrantService;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.process.InstanceMessages;
import io.customerlockbox.process.ProcessModel;
import io.customerlockbox.security.IdentityDirectory;
import io.customerlockbox.security.LockboxUser;
import io.customerlockbox.security.RoleMatrix;
import io.customerlockbox.web.PrintableText;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.exception.NotFoundException;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The customer's side: lockbox requests, their decisions and the tenant's Recent table. */
@Service
@Transactional
public class LockboxRequestService {

  private final AccessRequestRepository repository;
  private final TaskService taskService;
  private final IdentityDirectory directory;
  private final AccessRequestLifecycle lifecycle;
  private final PolicyService policies;
  private final AccessGrantService grants;
  private final RuntimeService runtimeService;

  LockboxRequestService(AccessRequestRepository repository, TaskService taskService, IdentityDirectory directory,
      AccessRequestLifecycle lifecycle, PolicyService policies, AccessGrantService grants,
      RuntimeService runtimeService) {
    this.repository = repository;
    this.taskService = taskService;
    this.directory = directory;
    this.lifecycle = lifecycle;
    this.policies = policies;
    this.grants = grants;
    this.runtimeService = runtimeService;
  }

  /**
   * The latest lockbox request of an access request (its extension, if one was asked for), if it
   * needed one (for the model's steps and Tasklist, no user check).
   */
  @Transactional(readOnly = true)
  public Optional<LockboxRequest> ofAccessRequest(String accessRequestId) {
    return repository.lockboxOf(accessRequestId);
  }

  /**
   * Access request {@code accessRequestId} with its latest lockbox request and that one's number of
   * approvals (for notifications, no user check).
   */
  @Transactional(readOnly = true)
  public AccessRequestWithLockbox withLatestLockbox(String accessRequestId) {
    return repository.withLatestLockbox(accessRequestId)
        .orElseThrow(() -> new IllegalStateException("No access request " + accessRequestId));
  }

  /** The approvals of lockbox request {@code lockboxId}, oldest first (for Tasklist, no user check). */
  @Transactional(readOnly = true)
  public List<LockboxApproval> approvals(String lockboxId) {
    return repository.approvals(lockboxId);
  }

  /** {@code lockbox} with its approvals, as the API shows it. */
  @Transactional(readOnly = true)
  public LockboxRequestView view(LockboxRequest lockbox) {
    return LockboxRequestView.of(lockbox, repository.approvals(lockbox.id()));
  }

  // --- the API

  public LockboxRequest get(String lockboxId, LockboxUser user) {
    return repository.findLockbox(lockboxId)
        .filter(lockbox -> RoleMatrix.canReadTenant(user, lockbox.tenantId()))
        .orElseThrow(() -> Refusal.notFound("No lockbox request " + lockboxId));
  }

  /**
   * Decides through the same Camunda user task Tasklist completes, as {@code user}: the engine
   * checks the task's candidate groups and tenant, and the task's listener records the decision.
   * An approval adds one of the approvals the lockbox request needs; the answer shows how many it has.
   */
  public LockboxRequest decide(String lockboxId, Decision decision, String comment, LockboxUser user) {
    LockboxRequest found = get(lockboxId, user);
    if (Deciders.decidesAs(Deciders.Kind.CUSTOMER, user, found.tenantId(), null, found.approverGroups()).isEmpty()) {
      throw Refusal.notAllowed("Only members of " + String.join(", ", found.approverGroups()) + " of "
          + found.tenantId() + " decide this lockbox request.");
    }
    // Waits for a concurrent decision or expiry to commit, then reads what it left.
    AccessRequest request = repository.lock(found.accessRequestId()).orElseThrow();
    // An approver who asked for this access themselves: refused as the engine refuses them (403).
    Deciders.require(Deciders.Kind.CUSTOMER, user, found.tenantId(), request.requestedBy(), found.approverGroups());
    if (decision.lacksReason(comment)) {
      // The API's and the page's own field; Tasklist's form names the task's variable.
      throw Refusal.invalid("comment", "comment: say why you deny the request");
    }
    LockboxRequest lockbox = repository.findLockbox(lockboxId).orElseThrow();
    if (lockbox.status() != LockboxStatus.ACTION_NEEDED) {
      throw Refusal.conflict("The lockbox request is already " + lockbox.status() + ".");
    }
    if (!Times.now().isBefore(lockbox.expiresAt())) {
      // The deadline is the domain's: past it, no decision counts, whether or not the timer fired.
      throw Refusal.conflict("The lockbox request expired at " + lockbox.expiresAt() + ".");
    }
    if (decision == Decision.APPROVE) {
      // Each person counts once: a second approval is a conflict with their first, not a new one.
      var earlier = repository.approvals(lockboxId).stream().filter(a -> a.by().equals(user.id())).findFirst();
      if (earlier.isPresent()) {
        throw Refusal.conflict(AccessRequestLifecycle.alreadyApproved(user.id(), earlier.get(), lockbox));
      }
    }
    Task task = taskService.createTaskQuery().processInstanceId(request.processInstanceId())
        .taskDefinitionKey(lockbox.extension() ? ProcessModel.EXTENSION_REVIEW_TASK : ProcessModel.CUSTOMER_APPROVAL_TASK)
        .singleResult();
    if (task == null) {
      // Still ACTION_NEEDED but no task: the approvers are being notified and the task follows.
      throw Refusal.conflict("The lockbox request is still being prepared; try again in a moment.");
    }
    try {
      directory.asEngineUser(user, () -> {
        taskService.complete(task.getId(), Variables.createVariables()
            .putValue(ProcessModel.LOCKBOX_DECISION, decision.name())
            .putValue(ProcessModel.LOCKBOX_COMMENT, comment));
        return null;
      });
    } catch (NotFoundException | NullValueException gone) {
      // Between finding the task and completing it, another approver or the expiry timer ended it.
      throw Refusal.conflict("The lockbox request was decided or expired a moment ago; reload it.");
    }
    return repository.findLockbox(lockboxId).orElseThrow();
  }

  /**
   * Whether {@code user} may end the access of {@code lockbox} now: the tenant's policy lets its
   * approvers revoke, they are one ({@link Deciders#revokesAs}), and the access is running. The
   * page shows its Revoke button only then.
   */
  @Transactional(readOnly = true)
  public boolean mayRevoke(LockboxRequest lockbox, LockboxUser user) {
    AccessRequest request = repository.get(lockbox.accessRequestId());
    return Deciders.revokesAs(user, lockbox.tenantId(), request.requestedBy()).isPresent()
        && policies.customerMayRevoke(lockbox.tenantId()) && accessRuns(request);
  }

  /** Granted, and its grant neither ended nor past its end. */
  private boolean accessRuns(AccessRequest request) {
    return request.status() == AccessRequestStatus.ACCESS_GRANTED
        && grants.forRequest(request.id()).map(grant -> grant.activeAt(Times.now())).orElse(false);
  }

  /**
   * Ends the approved access of {@code lockboxId} at once, for the customer: the domain writes the
   * revocation (the data plane's check refuses from this commit), then the process hears of it in
   * the same transaction and tells the engineer and the other approvers.
   */
  public LockboxRequest revoke(String lockboxId, String comment, LockboxUser user) {
    LockboxRequest found = get(lockboxId, user);
    AccessRequest request = repository.get(found.accessRequestId());
    if (Deciders.revokesAs(user, found.tenantId(), request.requestedBy()).isEmpty()) {
      throw Refusal.notAllowed(user.id().equals(request.requestedBy())
          ? "User " + user.id() + " holds this access and cannot revoke it for the customer; release it instead."
          : "Only lockbox approvers and tenant admins of " + found.tenantId() + " revoke access here.");
    }
    if (comment == null || comment.isBlank()) {
      throw Refusal.invalid("comment", "comment: say why you revoke the access");
    }
    PrintableText.require("comment", comment);
    if (!policies.customerMayRevoke(found.tenantId())) {
      throw Refusal.conflict("The lockbox policy of " + found.tenantId() + " does not let approvers revoke access; "
          + "a tenant admin turns on customerMayRevoke.");
    }
    // Waits for a concurrent end of access (the timer, the engineer's release) to commit, then reads what it left.
    repository.lock(request.id());
    AccessRequest current = repository.get(request.id());
    if (!accessRuns(current)) {
      throw Refusal.conflict("Access is not active (status " + current.status() + ").");
    }
    lifecycle.revokeForCustomer(current.id(), comment.strip(), user);
    // An instance of a model version before revoke existed does not wait for the message; the
    // whole revocation rolls back rather than leave it waiting for a grant that has ended.
    InstanceMessages.tell(runtimeService, ProcessModel.CUSTOMER_REVOKED_ACCESS_MESSAGE, current.processInstanceId(),
        "This access was granted under an earlier version of the process, which cannot be "
            + "revoked early; it ends by its access period or the engineer's release.");
    return repository.findLockbox(lockboxId).orElseThrow();
  }

  @Transactional(readOnly = true)
  public List<RecentLockboxRequest> recent(String tenantId, int days, LockboxUser user) {
    RoleMatrix.requireReadTenant(user, tenantId);
    return repository.recent(tenantId, Times.now().minus(Duration.ofDays(days)));
  }
}
