package io.customerlockbox.request;

import static io.customerlockbox.request.AccessRequestStatus.DENIED;
import static io.customerlockbox.request.AccessRequestStatus.EXPIRED;
import static io.customerlockbox.request.AccessRequestStatus.PENDING_CUSTOMER_APPROVAL;
import static io.customerlockbox.request.AccessRequestStatus.PENDING_INTERNAL_APPROVAL;
import static io.customerlockbox.request.AccessRequestStatus.SUBMITTED;

import io.customerlockbox.Times;
import io.customerlockbox.audit.AuditEventType;
import io.customerlockbox.process.ProcessModel;
import io.customerlockbox.security.Groups;
import io.customerlockbox.security.IdentityDirectory;
import io.customerlockbox.security.LockboxUser;
import io.customerlockbox.security.TenantAccess;
import io.customerlockbox.web.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.variable.Variables;
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

  LockboxRequestService(AccessRequestRepository repository, AccessRequestLifecycle lifecycle, TaskService taskService,
      IdentityDirectory directory) {
    this.repository = repository;
    this.lifecycle = lifecycle;
    this.taskService = taskService;
    this.directory = directory;
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
    lifecycle.record(AuditEventType.LOCKBOX_REQUEST_CREATED, repository.get(accessRequestId), null,
        "the customer decides until " + lockbox.expiresAt(), stepKey);
    return lockbox;
  }

  /** Records an approver's decision (the task's complete listener); answers whether access may be granted. */
  public boolean recordDecision(String accessRequestId, Decision decision, String comment, String decidedBy,
      String stepKey) {
    AccessRequest request = repository.get(accessRequestId);
    SeparationOfDuties.ensureMayDecide(request, decidedBy);
    if (decision == Decision.DENY && (comment == null || comment.isBlank())) {
      throw new BadUserRequestException(ProcessModel.LOCKBOX_COMMENT + ": say why you deny the request");
    }
    LockboxStatus status = decision == Decision.APPROVE ? LockboxStatus.APPROVED : LockboxStatus.DENIED;
    if (!repository.closeLockbox(accessRequestId, status, decidedBy, comment)) {
      // The task exists only while the request waits; the engine's task locking guards races.
      throw new IllegalStateException("Lockbox request of " + accessRequestId + " is not waiting for a decision");
    }
    if (decision == Decision.DENY) {
      repository.transition(accessRequestId, DENIED, "denied by the customer", PENDING_CUSTOMER_APPROVAL);
    }
    lifecycle.record(decision == Decision.APPROVE ? AuditEventType.LOCKBOX_APPROVED : AuditEventType.LOCKBOX_DENIED,
        repository.get(accessRequestId), decidedBy, comment, stepKey);
    return decision == Decision.APPROVE;
  }

  public void expire(String accessRequestId, String stepKey) {
    repository.closeLockbox(accessRequestId, LockboxStatus.EXPIRED, null, null);
    repository.transition(accessRequestId, EXPIRED, "no approver answered in time", PENDING_CUSTOMER_APPROVAL);
    lifecycle.record(AuditEventType.LOCKBOX_EXPIRED, repository.get(accessRequestId), null,
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
        .filter(lockbox -> TenantAccess.canRead(user, lockbox.tenantId()))
        .orElseThrow(() -> ApiException.notFound("No lockbox request " + lockboxId));
  }

  /**
   * Decides through the same Camunda user task Tasklist completes, as {@code user}: the engine
   * checks the task's candidate groups and tenant, and the task's listener records the decision.
   */
  public LockboxRequest decide(String lockboxId, Decision decision, String comment, LockboxUser user) {
    LockboxRequest lockbox = get(lockboxId, user);
    if (!user.actsFor(lockbox.tenantId(), Groups.LOCKBOX_APPROVERS, Groups.TENANT_ADMINS)) {
      throw ApiException.forbidden("Only lockbox approvers and tenant admins of " + lockbox.tenantId() + " decide here.");
    }
    if (lockbox.status() != LockboxStatus.ACTION_NEEDED) {
      throw ApiException.conflict("The lockbox request is already " + lockbox.status() + ".");
    }
    AccessRequest request = repository.get(lockbox.accessRequestId());
    Task task = taskService.createTaskQuery().processInstanceId(request.processInstanceId())
        .taskDefinitionKey(ProcessModel.CUSTOMER_APPROVAL_TASK).singleResult();
    if (task == null) {
      throw ApiException.conflict("The lockbox request is no longer waiting for a decision.");
    }
    directory.asEngineUser(user, () -> {
      taskService.complete(task.getId(), Variables.createVariables()
          .putValue(ProcessModel.LOCKBOX_DECISION, decision.name())
          .putValue(ProcessModel.LOCKBOX_COMMENT, comment));
      return null;
    });
    return repository.findLockbox(lockboxId).orElseThrow();
  }

  @Transactional(readOnly = true)
  public List<RecentLockboxRequest> recent(String tenantId, int days, LockboxUser user) {
    TenantAccess.requireRead(user, tenantId);
    return repository.recent(tenantId, Times.now().minus(Duration.ofDays(days)));
  }
}
