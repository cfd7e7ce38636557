package io.customerlockbox.request;

import static io.customerlockbox.request.AccessRequestStatus.ACCESS_GRANTED;
import static io.customerlockbox.request.AccessRequestStatus.PENDING_INTERNAL_APPROVAL;
import static io.customerlockbox.request.AccessRequestStatus.SUBMITTED;

import io.customerlockbox.Refusal;
import io.customerlockbox.Times;
import io.customerlockbox.access.AccessGrantService;
import io.customerlockbox.audit.AuditEvent;
import io.customerlockbox.audit.AuditTrail;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.process.InstanceMessages;
import io.customerlockbox.process.ProcessModel;
import io.customerlockbox.security.IdentityDirectory;
import io.customerlockbox.security.LockboxUser;
import io.customerlockbox.security.RoleMatrix;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.exception.NotFoundException;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The provider's side of the API: engineers ask for access, leads decide, engineers release. */
@Service
@Transactional
public class AccessRequestService {

  static final int LIST_LIMIT = 500;

  private final AccessRequestRepository repository;
  private final AccessRequestLifecycle lifecycle;
  private final PolicyService policies;
  private final AccessGrantService grants;
  private final RuntimeService runtimeService;
  private final RepositoryService repositoryService;
  private final TaskService taskService;
  private final IdentityDirectory directory;
  private final AuditTrail audit;

  AccessRequestService(AccessRequestRepository repository, AccessRequestLifecycle lifecycle, PolicyService policies,
      AccessGrantService grants, RuntimeService runtimeService, RepositoryService repositoryService,
      TaskService taskService, IdentityDirectory directory, AuditTrail audit) {
    this.repositoryService = repositoryService;
    this.repository = repository;
    this.lifecycle = lifecycle;
    this.policies = policies;
    this.grants = grants;
    this.runtimeService = runtimeService;
    this.taskService = taskService;
    this.directory = directory;
    this.audit = audit;
  }

  /** The request whose instance this thread's {@link #create} is starting now (the app's own start). */
  private static final ThreadLocal<String> STARTING = new ThreadLocal<>();

  /**
   * Stores the request and starts its process, as the application itself: only this start binds
   * an instance to a stored request ({@link #bindStartingInstance}); a start through the engine
   * REST API or Tasklist files a new request with every check. The process is asynchronous from
   * its first service task, so the caller gets its answer as soon as the request is safely stored.
   */
  public AccessRequestView create(NewAccessRequest in, LockboxUser user) {
    AccessRequest request = store(in, user);
    STARTING.set(request.id());
    try {
      runtimeService.createProcessInstanceByKey(ProcessModel.PROCESS_KEY)
          .businessKey(request.id())
          .setVariables(processVariables(request))
          .execute();
    } finally {
      STARTING.remove();
    }
    return view(repository.get(request.id()));
  }

  /**
   * Called by the process's start listener: when this thread's {@link #create} is starting the
   * instance, binds it to its request and answers the request's id; otherwise empty (a start
   * from outside, which must file its own request).
   */
  public Optional<String> bindStartingInstance(String processInstanceId) {
    String id = STARTING.get();
    if (id == null) {
      return Optional.empty();
    }
    STARTING.remove();
    lifecycle.bind(id, processInstanceId);
    return Optional.of(id);
  }

  /**
   * Stores a request an engineer filed through Tasklist's start form, for the process instance
   * that form started; answers the variables the process needs, as {@link #create} sets them.
   * Whatever variables the start carried are replaced by these.
   */
  public Map<String, Object> fileFromStartForm(NewAccessRequest in, LockboxUser user, String processInstanceId) {
    if (in.isBreakGlass()) {
      throw Refusal.invalid("breakGlass", "breakGlass: break-glass access is asked for through the API only");
    }
    AccessRequest request = store(in, user);
    lifecycle.bind(request.id(), processInstanceId);
    return processVariables(request);
  }

  /** Checks who may ask for what, stores the request and audits it. */
  private AccessRequest store(NewAccessRequest in, LockboxUser user) {
    RoleMatrix.requireCreateAccessRequest(user, in.isBreakGlass());
    if (in.isBreakGlass() && in.incidentId() == null) {
      throw Refusal.invalid("incidentId", "incidentId: break-glass access needs the incident it answers");
    }
    if (!in.isBreakGlass() && in.incidentId() != null) {
      throw Refusal.invalid("incidentId", "incidentId: only break-glass requests name an incident");
    }
    if (!policies.tenantExists(in.tenantId())) {
      throw Refusal.invalid("tenantId", "tenantId: no tenant " + in.tenantId());
    }
    boolean inTenant = policies.environment(in.environmentId())
        .map(environment -> environment.tenantId().equals(in.tenantId())).orElse(false);
    if (!inTenant) {
      throw Refusal.invalid("environmentId",
          "environmentId: no environment " + in.environmentId() + " in tenant " + in.tenantId());
    }
    AccessRequest request = new AccessRequest(UUID.randomUUID().toString(), in.tenantId(), in.environmentId(),
        in.supportTicketId(), in.justification(), in.accessLevel(), in.isolatedIdentity(), in.mfaVerified(),
        in.isBreakGlass(), in.incidentId(), user.id(), Times.now(), SUBMITTED, null, null, null, null, null, null);
    lifecycle.file(request, user);
    return request;
  }

  private static Map<String, Object> processVariables(AccessRequest request) {
    return Variables.createVariables()
        .putValue(ProcessModel.ACCESS_REQUEST_ID, request.id())
        .putValue(ProcessModel.TENANT_ID, request.tenantId())
        .putValue(ProcessModel.ENVIRONMENT_ID, request.environmentId())
        .putValue(ProcessModel.ACCESS_LEVEL, request.accessLevel().name())
        .putValue(ProcessModel.ISOLATED_IDENTITY, request.isolatedIdentity())
        .putValue(ProcessModel.MFA_VERIFIED, request.mfaVerified())
        .putValue(ProcessModel.BREAK_GLASS, request.breakGlass())
        .putValue(ProcessModel.REQUESTED_BY, request.requestedBy())
        .putValue(ProcessModel.SUPPORT_TICKET, request.supportTicketId() == null ? "Provider initiated" : request.supportTicketId())
        .putValue(ProcessModel.JUSTIFICATION, request.justification());
  }

  @Transactional(readOnly = true)
  public AccessRequestView get(String id, LockboxUser user) {
    return view(visible(id, user));
  }

  /** Newest first, at most {@value #LIST_LIMIT}; each person sees what is theirs to see. */
  @Transactional(readOnly = true)
  public List<AccessRequestView> list(AccessRequestStatus status, String tenantId, LockboxUser user) {
    RoleMatrix.ListScope scope = RoleMatrix.accessRequestList(user, tenantId);
    return repository.list(status, scope.tenantId(), scope.requestedBy(), LIST_LIMIT).stream().map(this::view).toList();
  }

  /** The request's audit events in the order they happened, for whoever may see the request. */
  @Transactional(readOnly = true)
  public List<AuditEvent> timeline(String id, LockboxUser user) {
    return audit.forRequest(visible(id, user).id());
  }

  /** The engineer ends their own access before the access period is over. */
  public AccessRequestView release(String id, LockboxUser user) {
    AccessRequest found = visible(id, user);
    RoleMatrix.requireRelease(user, found.requestedBy());
    // Waits for a concurrent revoke by the access-period timer to commit, then reads what it left.
    repository.lock(id);
    AccessRequest request = repository.get(id);
    if (request.status() != ACCESS_GRANTED) {
      throw Refusal.conflict("Access is not granted (status " + request.status() + ").");
    }
    InstanceMessages.tell(runtimeService, ProcessModel.ACCESS_RELEASED_MESSAGE, request.processInstanceId(),
        "Access has already ended.");
    return view(repository.get(id));
  }

  /**
   * The engineer asks for more time while access is granted: the domain records the extension (a
   * new lockbox request of this access request), then the model hears of it and asks the
   * customer's approvers. The time an approval adds is the access period of the model the
   * request's instance runs on.
   */
  public LockboxRequest askForExtension(String id, String justification, LockboxUser user) {
    AccessRequest found = visible(id, user);
    RoleMatrix.requireExtension(user, found.requestedBy());
    ProcessInstance instance = found.processInstanceId() == null ? null : runtimeService.createProcessInstanceQuery()
        .processInstanceId(found.processInstanceId()).singleResult();
    if (instance == null) {
      throw Refusal.conflict("Access is not granted (status " + found.status() + ").");
    }
    String accessPeriod = ProcessModel.accessPeriod(repositoryService.getBpmnModelInstance(
        instance.getProcessDefinitionId()));
    LockboxRequest extension = lifecycle.askForExtension(id, user, justification, accessPeriod);
    // No waiting branch: an instance of a model version before extensions, or one ending access right now.
    InstanceMessages.tell(runtimeService, ProcessModel.EXTENSION_ASKED_MESSAGE, instance.getId(),
        "This access cannot be extended: its process does not take extensions "
            + "(it started under an earlier version of the model) or access is ending.");
    return extension;
  }

  /** A support lead's decision, through the same user task Tasklist completes. */
  public AccessRequestView decideInternally(String id, boolean approved, String comment, LockboxUser user) {
    AccessRequest found = visible(id, user);
    Deciders.require(Deciders.Kind.INTERNAL, user, found.tenantId(), found.requestedBy());
    // Waits for another lead's concurrent decision to commit, then reads what it left.
    repository.lock(id);
    AccessRequest request = repository.get(id);
    if (request.status() != PENDING_INTERNAL_APPROVAL) {
      throw Refusal.conflict("The request is not waiting for internal approval (status " + request.status() + ").");
    }
    Task task = taskService.createTaskQuery().processInstanceId(request.processInstanceId())
        .taskDefinitionKey(ProcessModel.INTERNAL_APPROVAL_TASK).singleResult();
    if (task == null) {
      throw Refusal.conflict("The request is no longer waiting for internal approval.");
    }
    try {
      directory.asEngineUser(user, () -> {
        taskService.complete(task.getId(), Variables.createVariables()
            .putValue(ProcessModel.INTERNAL_DECISION, (approved ? Decision.APPROVE : Decision.DENY).name())
            .putValue(ProcessModel.INTERNAL_COMMENT, comment));
        return null;
      });
    } catch (NotFoundException | NullValueException gone) {
      // Another lead completed the task between our finding and completing it.
      throw Refusal.conflict("The request was decided a moment ago; reload it.");
    }
    return view(repository.get(id));
  }

  private AccessRequest visible(String id, LockboxUser user) {
    return repository.find(id)
        .filter(request -> RoleMatrix.canReadAccessRequest(user, request.tenantId(), request.requestedBy()))
        .orElseThrow(() -> Refusal.notFound("No access request " + id));
  }

  private AccessRequestView view(AccessRequest request) {
    return AccessRequestView.of(request, repository.lockboxesOf(request.id()).stream()
            .map(lockbox -> LockboxRequestView.of(lockbox, repository.approvals(lockbox.id()))).toList(),
        grants.forRequest(request.id()).orElse(null));
  }
}
