package io.customerlockbox.request;

import static io.customerlockbox.request.AccessRequestStatus.DENIED;
import static io.customerlockbox.request.AccessRequestStatus.EXPIRED;
import static io.customerlockbox.request.AccessRequestStatus.PENDING_CUSTOMER_APPROVAL;
import static io.customerlockbox.request.AccessRequestStatus.PENDING_INTERNAL_APPROVAL;
import static io.customerlockbox.request.AccessRequestStatus.SUBMITTED;

import io.customerlockbox.Times;
import io.customerlockbox.audit.AuditEventType;
import io.customerlockbox.process.ProcessModel;
import io.customerlockbox.security.IdentityDirectory;
import io.customerlockbox.security.LockboxUser;
import io.customerlockbox.security.RoleMatrix;
import io.customerlockbox.web.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.exception.NotFoundException;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The customer's side: lockbox requests, their decisions and the tenant's Recent table. */
@Service
@Transactional
public class LockboxRequestService {

  private final AccessRequestRepository repository;
  private final AccessRequestLifecycle lifecycle;
  private final TaskService taskService;
  private final IdentityDirectory directory;
  private final ApplicationEventPublisher events;

  LockboxRequestService(AccessRequestRepository repository, AccessRequestLifecycle lifecycle, TaskService taskService,
      IdentityDirectory directory, ApplicationEventPublisher events) {
    this.repository = repository;
    this.lifecycle = lifecycle;
    this.taskService = taskService;
    this.directory = directory;
    this.events = events;
  }

  // --- steps of the process

  /** Opens the request for {@code approvalPeriod} (ISO-8601, the model's approval timer). */
  public LockboxRequest open(String accessRequestId, String approvalPeriod, String accessPeriod, String stepKey) {
    LockboxRequest existing = repository.lockboxOf(accessRequestId).orElse(null);
    if (existing != null) {
      return existing;
    }
    AccessRequest request = repository.get(accessRequestId);
    Instant now = Times.now();
    LockboxRequest lockbox = new LockboxRequest(UUID.randomUUID().toString(), accessRequestId, request.tenantId(),
        LockboxStatus.ACTION_NEEDED, now, Times.plus(now, approvalPeriod), accessPeriod, null, null, null);
    repository.insertLockbox(lockbox);
    repository.transition(accessRequestId, PENDING_CUSTOMER_APPROVAL, null, SUBMITTED, PENDING_INTERNAL_APPROVAL);
    lifecycle.record(AuditEventType.LOCKBOX_REQUEST_CREATED, accessRequestId, null, null,
        "the customer decides until " + lockbox.expiresAt(), stepKey);
    return lockbox;
  }

  /** Records an approver's decision (the task's complete listener); answers whether access may be granted. */
  public boolean recordDecision(String accessRequestId, Decision decision, String comment, String decidedBy,
      String stepKey) {
    repository.lock(accessRequestId);
    AccessRequest request = repository.get(accessRequestId);
    SeparationOfDuties.ensureMayDecide(request, decidedBy);
    if (decision == Decision.DENY && (comment == null || comment.isBlank())) {
      throw new BadUserRequestException(ProcessModel.LOCKBOX_COMMENT + ": say why you deny the request");
    }
    LockboxStatus status = decision == Decision.APPROVE ? LockboxStatus.APPROVED : LockboxStatus.DENIED;
    if (!repository.closeLockbox(accessRequestId, status, decidedBy, comment)) {
      // Another approver or the expiry timer closed it a moment ago, in a transaction that
      // committed after this one read the task: the engine's word for that is optimistic locking,
      // which rolls this one back, retries a job, and answers an API caller 409.
      throw new OptimisticLockingException("The lockbox request of " + accessRequestId
          + " was decided or expired concurrently");
    }
    if (decision == Decision.DENY) {
      repository.transition(accessRequestId, DENIED, "denied by the customer", PENDING_CUSTOMER_APPROVAL);
    }
    repository.lockboxOf(accessRequestId).ifPresent(lockbox -> events.publishEvent(new LockboxDecided(accessRequestId,
        decision == Decision.APPROVE, lockbox.requestedAt(), lockbox.decidedAt())));
    lifecycle.record(decision == Decision.APPROVE ? AuditEventType.LOCKBOX_APPROVED : AuditEventType.LOCKBOX_DENIED,
        accessRequestId, decidedBy, comment, (decision == Decision.APPROVE ? "approved" : "denied") + " by "
        + decidedBy + " for the customer", stepKey);
    return decision == Decision.APPROVE;
  }

  public void expire(String accessRequestId, String stepKey) {
    repository.lock(accessRequestId);
    repository.closeLockbox(accessRequestId, LockboxStatus.EXPIRED, null, null);
    repository.transition(accessRequestId, EXPIRED, "no approver answered in time", PENDING_CUSTOMER_APPROVAL);
    lifecycle.record(AuditEventType.LOCKBOX_EXPIRED, accessRequestId, null, null,
        "nobody decided before the request expired; nothing was granted", stepKey);
  }

  /** The lockbox request of an access request, if it needed one (for notifications, no user check). */
  @Transactional(readOnly = true)
  public Optional<LockboxRequest> ofAccessRequest(String accessRequestId) {
    return repository.lockboxOf(accessRequestId);
  }

  // --- the API

  public LockboxRequest get(String lockboxId, LockboxUser user) {
    return repository.findLockbox(lockboxId)
        .filter(lockbox -> RoleMatrix.canReadTenant(user, lockbox.tenantId()))
        .orElseThrow(() -> ApiException.notFound("No lockbox request " + lockboxId));
  }

  /**
   * Decides through the same Camunda user task Tasklist completes, as {@code user}: the engine
   * checks the task's candidate groups and tenant, and the task's listener records the decision.
   */
  public LockboxRequest decide(String lockboxId, Decision decision, String comment, LockboxUser user) {
    LockboxRequest found = get(lockboxId, user);
    RoleMatrix.requireDecideLockbox(user, found.tenantId());
    // Waits for a concurrent decision or expiry to commit, then reads what it left.
    repository.lock(found.accessRequestId());
    LockboxRequest lockbox = repository.findLockbox(lockboxId).orElseThrow();
    if (lockbox.status() != LockboxStatus.ACTION_NEEDED) {
      throw ApiException.conflict("The lockbox request is already " + lockbox.status() + ".");
    }
    AccessRequest request = repository.get(lockbox.accessRequestId());
    Task task = taskService.createTaskQuery().processInstanceId(request.processInstanceId())
        .taskDefinitionKey(ProcessModel.CUSTOMER_APPROVAL_TASK).singleResult();
    if (task == null) {
      // Still ACTION_NEEDED but no task: the approvers are being notified and the task follows.
      throw ApiException.conflict("The lockbox request is still being prepared; try again in a moment.");
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
      throw ApiException.conflict("The lockbox request was decided or expired a moment ago; reload it.");
    }
    return repository.findLockbox(lockboxId).orElseThrow();
  }

  @Transactional(readOnly = true)
  public List<RecentLockboxRequest> recent(String tenantId, int days, LockboxUser user) {
    RoleMatrix.requireReadTenant(user, tenantId);
    return repository.recent(tenantId, Times.now().minus(Duration.ofDays(days)));
  }
}
