package io.customerlockbox.request;

import io.customerlockbox.Refusal;
import io.customerlockbox.Times;
import io.customerlockbox.process.ProcessModel;
import io.customerlockbox.security.IdentityDirectory;
import io.customerlockbox.security.LockboxUser;
import io.customerlockbox.security.RoleMatrix;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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

  LockboxRequestService(AccessRequestRepository repository, TaskService taskService, IdentityDirectory directory) {
    this.repository = repository;
    this.taskService = taskService;
    this.directory = directory;
  }

  /**
   * The latest lockbox request of an access request (its extension, if one was asked for), if it
   * needed one (for notifications, no user check).
   */
  @Transactional(readOnly = true)
  public Optional<LockboxRequest> ofAccessRequest(String accessRequestId) {
    return repository.lockboxOf(accessRequestId);
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
   */
  public LockboxRequest decide(String lockboxId, Decision decision, String comment, LockboxUser user) {
    LockboxRequest found = get(lockboxId, user);
    if (!Deciders.mayDecide(Deciders.Kind.CUSTOMER, user, found.tenantId(), null)) {
      throw Refusal.notAllowed("Only lockbox approvers and tenant admins of " + found.tenantId() + " decide here.");
    }
    // An approver who asked for this access themselves: refused as the engine refuses them (403).
    Deciders.require(Deciders.Kind.CUSTOMER, user, found.tenantId(), repository.get(found.accessRequestId()).requestedBy());
    if (decision.lacksReason(comment)) {
      // The API's and the page's own field; Tasklist's form names the task's variable.
      throw Refusal.invalid("comment", "comment: say why you deny the request");
    }
    // Waits for a concurrent decision or expiry to commit, then reads what it left.
    repository.lock(found.accessRequestId());
    LockboxRequest lockbox = repository.findLockbox(lockboxId).orElseThrow();
    if (lockbox.status() != LockboxStatus.ACTION_NEEDED) {
      throw Refusal.conflict("The lockbox request is already " + lockbox.status() + ".");
    }
    if (!Times.now().isBefore(lockbox.expiresAt())) {
      // The deadline is the domain's: past it, no decision counts, whether or not the timer fired.
      throw Refusal.conflict("The lockbox request expired at " + lockbox.expiresAt() + ".");
    }
    AccessRequest request = repository.get(lockbox.accessRequestId());
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

  @Transactional(readOnly = true)
  public List<RecentLockboxRequest> recent(String tenantId, int days, LockboxUser user) {
    RoleMatrix.requireReadTenant(user, tenantId);
    return repository.recent(tenantId, Times.now().minus(Duration.ofDays(days)));
  }
}
