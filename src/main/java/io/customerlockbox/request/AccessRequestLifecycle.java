package io.customerlockbox.request;

import io.customerlockbox.Refusal;
import io.customerlockbox.StepRefused;
import io.customerlockbox.Times;
import io.customerlockbox.access.AccessGrant;
import io.customerlockbox.access.AccessGrantService;
import io.customerlockbox.access.GrantBasis;
import io.customerlockbox.audit.AuditEvent;
import io.customerlockbox.audit.AuditEventType;
import io.customerlockbox.audit.AuditTrail;
import io.customerlockbox.audit.ClientAddress;
import io.customerlockbox.policy.Environment;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.process.ProcessModel;
import io.customerlockbox.request.AccessRequestRepository.Evidence;
import io.customerlockbox.request.Deciders.Kind;
import io.customerlockbox.request.RequestStateMachine.Step;
import io.customerlockbox.security.Groups;
import io.customerlockbox.security.LockboxUser;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The only writer of access-request, lockbox-request and grant state: one method per step of the
 * model. Each step locks the request's row, checks that the instance asking is the one bound to
 * the request and that the state machine ({@link RequestStateMachine}) allows the step from the
 * request's status, and refuses otherwise ({@link StepRefused}, with a security event that survives
 * the rollback). Decisions are checked against {@link Deciders} and the lockbox request's deadline;
 * a grant against its basis ({@link GrantBases}). Called by the delegates and listeners inside the
 * engine's transaction; the step's key makes a repeated step write its audit event once.
 */
@Service
@Transactional
public class AccessRequestLifecycle {

  private final AccessRequestRepository repository;
  private final PolicyService policies;
  private final AccessGrantService grants;
  private final AuditTrail audit;
  private final GrantBases bases;
  private final StepRefusals refusals;
  private final ApplicationEventPublisher events;

  AccessRequestLifecycle(AccessRequestRepository repository, PolicyService policies, AccessGrantService grants,
      AuditTrail audit, GrantBases bases, StepRefusals refusals, ApplicationEventPublisher events) {
    this.repository = repository;
    this.policies = policies;
    this.grants = grants;
    this.audit = audit;
    this.bases = bases;
    this.refusals = refusals;
    this.events = events;
  }

  /** Whether a support lead approved request {@code id}, as the domain recorded it (the model's gateway asks this). */
  public boolean internallyApproved(String id) {
    return Decision.APPROVE.name().equals(repository.evidence(id).internalDecision());
  }

  /** Whether the customer approved request {@code id}, as the domain recorded it (the model's gateway asks this). */
  public boolean customerApproved(String id) {
    LockboxRequest lockbox = repository.evidence(id).lockbox();
    return lockbox != null && lockbox.status() == LockboxStatus.APPROVED;
  }

  /** Whether the customer approved the request's latest extension, as the domain recorded it (the extension's gateway). */
  public boolean extensionApproved(String id) {
    return repository.lockboxOf(id).filter(LockboxRequest::extension)
        .map(extension -> extension.status() == LockboxStatus.APPROVED).orElse(false);
  }

  public AccessRequest get(String id) {
    return repository.get(id);
  }

  /**
   * Stores a request {@code user} files (the API and the start form checked it), with whether they
   * were in break-glass as they filed it: a break-glass grant rests on that record.
   */
  public void file(AccessRequest request, LockboxUser user) {
    repository.insert(request, user.inGroup(Groups.BREAK_GLASS));
    record(AuditEventType.REQUEST_CREATED, request.id(), user.id(), null, (request.breakGlass() ? "break-glass " : "")
        + request.accessLevel() + " access" + (request.supportTicketId() == null ? ", provider initiated"
        : " for support ticket " + request.supportTicketId()), null);
  }

  /**
   * Binds a request to the process instance that works for it, once: the instance the API or the
   * start form started for it. A second instance claiming the same request is refused.
   */
  public void bind(String requestId, String processInstanceId) {
    StepContext step = new StepContext(requestId, processInstanceId, null, null);
    if (requestId == null) {
      throw refused(step, Step.BIND_INSTANCE, "an instance must work for an access request");
    }
    repository.lock(requestId);
    AccessRequest request = repository.find(requestId)
        .orElseThrow(() -> refused(step, Step.BIND_INSTANCE, "no access request " + requestId));
    check(step, request, Step.BIND_INSTANCE);
    if (!repository.bindProcessInstance(requestId, processInstanceId)) {
      throw refused(step, Step.BIND_INSTANCE, "the request is bound to instance " + request.processInstanceId()
          + " already");
    }
  }

  /**
   * A start from outside the application (the engine REST API, Tasklist) that names request
   * {@code claimedId}: refused, and recorded against {@code actor}.
   */
  public void refuseStartFromOutside(String claimedId, String processInstanceId, String actor) {
    throw refused(new StepContext(claimedId, processInstanceId, null, actor), Step.BIND_INSTANCE,
        "a start from outside the application names request " + claimedId
            + "; only the application's own start works for a stored request");
  }

  // --- the steps of the model, in its order

  /**
   * The environment still exists and belongs to the tenant, and a break-glass request names its
   * incident. Answers whether the request was filed as break-glass (the model's next gateway).
   */
  public boolean checkScope(StepContext step) throws ScopeViolation {
    AccessRequest request = begin(step, Step.CHECK_SCOPE);
    Optional<Environment> environment = policies.environment(request.environmentId());
    if (environment.isEmpty() || !environment.get().tenantId().equals(request.tenantId())) {
      throw new ScopeViolation("environment " + request.environmentId() + " is not in tenant " + request.tenantId());
    }
    if (request.breakGlass() && request.incidentId() == null) {
      throw new ScopeViolation("break-glass access needs an incident id");
    }
    return request.breakGlass();
  }

  /** {@code rule} names the decision table rule(s) that fired ("unknown" when none was seen). */
  public void recordJitOutcome(StepContext step, String outcome, String rule) {
    AccessRequest request = begin(step, Step.RECORD_JIT_OUTCOME);
    repository.recordJitOutcome(request.id(), outcome);
    record(AuditEventType.JIT_EVALUATED, request.id(), null, null, "outcome " + outcome + " by rule " + rule + " for "
        + request.accessLevel() + " access (MFA " + request.mfaVerified() + ", isolated identity "
        + request.isolatedIdentity() + ")", step.key());
  }

  public void reject(StepContext step, String reason) {
    move(step, Step.REJECT, reason);
    record(AuditEventType.REQUEST_REJECTED, step.requestId(), null, null, reason, step.key());
  }

  public void awaitInternalApproval(StepContext step) {
    move(step, Step.AWAIT_INTERNAL_APPROVAL, null);
    record(AuditEventType.INTERNAL_APPROVAL_REQUESTED, step.requestId(), null, null, "a support lead decides", step.key());
  }

  /**
   * Records a support lead's decision (the task's complete listener), as submitted with the task's
   * completion by {@code decider}; answers whether the request may go on.
   */
  public boolean recordInternalDecision(StepContext step, Object submitted, String comment, LockboxUser decider) {
    AccessRequest request = bound(step, Step.APPROVE_INTERNALLY);
    String decidedAs = Deciders.require(Kind.INTERNAL, decider, request.tenantId(), request.requestedBy());
    Decision decision = Decision.of(submitted, ProcessModel.INTERNAL_DECISION);
    Step kind = decision == Decision.APPROVE ? Step.APPROVE_INTERNALLY : Step.DENY_INTERNALLY;
    check(step, request, kind);
    repository.recordInternalDecision(request.id(), decision, decider.id(), decidedAs, comment);
    moveTo(request, kind, decision == Decision.DENY ? "denied by support lead " + decider.id() : null);
    record(decision == Decision.APPROVE ? AuditEventType.INTERNAL_APPROVED : AuditEventType.INTERNAL_DENIED,
        request.id(), decider.id(), comment, "decided by support lead " + decider.id(), step.key());
    return decision == Decision.APPROVE;
  }

  /**
   * Whether the customer must approve, decided by the domain from the policy and environment now,
   * and recorded on the request (a grant without a lockbox request rests on this record). Only
   * after the just-in-time rules allowed the request; when no approval is needed the trail says why.
   */
  public boolean lockboxRequired(StepContext step) {
    AccessRequest request = begin(step, Step.CHECK_LOCKBOX_GATE);
    try {
      bases.jitAllowedBy(request, repository.evidence(request.id()));
    } catch (StepRefused notAllowed) {
      throw refused(step, Step.CHECK_LOCKBOX_GATE, notAllowed.getMessage());
    }
    PolicyService.LockboxGate gate = policies.lockboxGate(request.tenantId(), request.environmentId());
    repository.recordLockboxGate(request.id(), gate.required(), gate.reason());
    if (!gate.required()) {
      record(AuditEventType.LOCKBOX_NOT_REQUIRED, request.id(), null, null, gate.reason(), step.key());
    }
    return gate.required();
  }

  /** Opens the customer's lockbox request for {@code approvalPeriod} (ISO-8601, the model's approval timer). */
  public LockboxRequest openLockboxRequest(StepContext step, String approvalPeriod, String accessPeriod) {
    AccessRequest request = begin(step, Step.OPEN_LOCKBOX_REQUEST);
    Evidence evidence = repository.evidence(request.id());
    if (!Evidence.GATE_REQUIRED.equals(evidence.lockboxGate()) || evidence.lockbox() != null) {
      throw refused(step, Step.OPEN_LOCKBOX_REQUEST, evidence.lockbox() != null ? "the request has a lockbox request"
          : "the lockbox gate did not ask for the customer's approval");
    }
    Instant now = Times.now();
    LockboxRequest lockbox = new LockboxRequest(UUID.randomUUID().toString(), request.id(), request.tenantId(),
        LockboxStatus.ACTION_NEEDED, now, Times.plus(now, approvalPeriod), accessPeriod, null, null, null);
    repository.insertLockbox(lockbox);
    moveTo(request, Step.OPEN_LOCKBOX_REQUEST, null);
    record(AuditEventType.LOCKBOX_REQUEST_CREATED, request.id(), null, null,
        "the customer decides until " + lockbox.expiresAt(), step.key());
    return lockbox;
  }

  /**
   * Records an approver's decision, as submitted with the task's completion by {@code decider}
   * (the task's complete listener): only before the lockbox
   * request's deadline, whether or not the timer has fired; answers whether access may be granted.
   */
  public boolean recordCustomerDecision(StepContext step, Object submitted, String comment, LockboxUser decider) {
    AccessRequest request = bound(step, Step.APPROVE_FOR_CUSTOMER);
    String decidedAs = Deciders.require(Kind.CUSTOMER, decider, request.tenantId(), request.requestedBy());
    Decision decision = Decision.of(submitted, ProcessModel.LOCKBOX_DECISION);
    // The open lockbox request is the latest: the access's own, or an extension of granted access.
    Optional<LockboxRequest> latest = repository.lockboxOf(request.id());
    boolean extension = latest.map(LockboxRequest::extension).orElse(false);
    Step kind = extension ? (decision == Decision.APPROVE ? Step.APPROVE_EXTENSION : Step.DENY_EXTENSION)
        : (decision == Decision.APPROVE ? Step.APPROVE_FOR_CUSTOMER : Step.DENY_FOR_CUSTOMER);
    check(step, request, kind);
    if (decision.lacksReason(comment)) {
      throw new BadUserRequestException(ProcessModel.LOCKBOX_COMMENT + ": say why you deny the request");
    }
    LockboxRequest open = latest.orElseThrow(() -> refused(step, kind, "the request has no lockbox request"));
    if (open.status() != LockboxStatus.ACTION_NEEDED) {
      // Another approver or the expiry decided it in a transaction that committed after this one
      // read the task: the engine's word for that is optimistic locking (the API answers 409).
      throw new OptimisticLockingException("The lockbox request of " + request.id() + " was decided or expired concurrently");
    }
    if (isPast(open.expiresAt())) {
      throw refused(step, kind, "the lockbox request expired at " + open.expiresAt() + "; no decision counts after it");
    }
    LockboxStatus status = decision == Decision.APPROVE ? LockboxStatus.APPROVED : LockboxStatus.DENIED;
    repository.closeLockbox(request.id(), status, decider.id(), decidedAs, comment);
    moveTo(request, kind, decision == Decision.DENY && !extension ? "denied by the customer" : null);
    repository.lockboxOf(request.id()).ifPresent(lockbox -> events.publishEvent(new LockboxDecided(request.id(),
        decision == Decision.APPROVE, lockbox.requestedAt(), lockbox.decidedAt())));
    String decided = (decision == Decision.APPROVE ? "approved" : "denied") + " by " + decider.id() + " for the customer";
    // Each extension is decided at the same task of the model: its key names the extension.
    record(decision == Decision.APPROVE ? AuditEventType.LOCKBOX_APPROVED : AuditEventType.LOCKBOX_DENIED,
        request.id(), decider.id(), comment, extension ? EXTENSION + " " + open.id() + " " + decided : decided,
        extension ? step.key() + "/" + open.id() : step.key());
    return decision == Decision.APPROVE;
  }

  /**
   * The approval timer: expires the lockbox request. A late timer on a request that has expired
   * already changes nothing and answers false.
   */
  public boolean expireLockboxRequest(StepContext step) {
    AccessRequest request = bound(step, Step.EXPIRE);
    if (RequestStateMachine.alreadyDone(request.status(), Step.EXPIRE)) {
      return false;
    }
    check(step, request, Step.EXPIRE);
    if (!repository.closeLockbox(request.id(), LockboxStatus.EXPIRED, null, null, null)) {
      throw new OptimisticLockingException("The lockbox request of " + request.id() + " was decided concurrently");
    }
    moveTo(request, Step.EXPIRE, "no approver answered in time");
    record(AuditEventType.LOCKBOX_EXPIRED, request.id(), null, null,
        "nobody decided before the request expired; nothing was granted", step.key());
    return true;
  }

  /**
   * Grants access for {@code accessPeriod} (ISO-8601, the model's access-period timer), only on a
   * basis the domain's records show ({@link GrantBases}); the basis is stored with the grant and
   * written into its ACCESS_GRANTED event.
   */
  public AccessGrant grant(StepContext step, String accessPeriod) {
    AccessRequest request = begin(step, Step.GRANT);
    GrantBasis basis;
    try {
      basis = bases.basisFor(request, repository.evidence(request.id()));
    } catch (StepRefused noBasis) {
      throw refused(step, Step.GRANT, noBasis.getMessage());
    }
    AccessGrant grant = grants.grant(request.id(), request.tenantId(), request.environmentId(), request.requestedBy(),
        request.breakGlass(), accessPeriod, basis);
    moveTo(request, Step.GRANT, null);
    if (basis.kind() == GrantBasis.Kind.BREAK_GLASS) {
      record(AuditEventType.BREAK_GLASS_USED, request.id(), null, null, "break-glass access for incident "
          + request.incidentId() + " without the customer's approval, until " + grant.expiresAt(),
          step.key() + "/break-glass");
    }
    // The basis and the signed grant the data plane honours, in the evidence (docs/audit.md, "Events").
    record(AuditEventType.ACCESS_GRANTED, request.id(), null, null, "access until " + grant.expiresAt() + "; basis "
        + basis.kind() + ": " + basis.detail() + "; signed grant " + grant.signature(), step.key());
    return grant;
  }

  public enum EndReason { EXPIRED, RELEASED }

  /**
   * Ends access; an extension still undecided closes as expired (the end stood). Whatever ends
   * access comes here, so no extension outlives the access it would extend.
   */
  public void endAccess(StepContext step, EndReason reason) {
    AccessRequest request = begin(step, Step.END_ACCESS);
    repository.lockboxOf(request.id()).filter(LockboxRequest::extension)
        .filter(open -> open.status() == LockboxStatus.ACTION_NEEDED).ifPresent(open -> {
          repository.closeLockbox(request.id(), LockboxStatus.EXPIRED, null, null, null);
          record(AuditEventType.LOCKBOX_EXPIRED, request.id(), null, null, EXTENSION + " " + open.id()
              + ": access ended before anybody decided; its end stood", step.key() + "/" + open.id());
        });
    grants.end(request.id(), reason.name());
    moveTo(request, Step.END_ACCESS, reason == EndReason.RELEASED ? "released early by the engineer"
        : "access period over");
    if (reason == EndReason.RELEASED) {
      // Our API releases for the requester alone; anyone else reaching the release (a message
      // correlated through the engine REST API) is named as who did it.
      String releasedBy = step.actor() != null ? step.actor() : request.requestedBy();
      record(AuditEventType.ACCESS_RELEASED, request.id(), releasedBy, null,
          "released before the access period ended", step.key());
    } else {
      record(AuditEventType.ACCESS_ENDED, request.id(), null, null, "access period over: access revoked", step.key());
    }
  }

  // --- extensions of granted access

  /** How the trail's details begin for an extension's events (the customer's page words them apart). */
  public static final String EXTENSION = "extension";

  /**
   * The engineer asks for more time (our API, for the requester alone, in the API's transaction
   * before it tells the model): while the grant is active, with no extension open, and fewer
   * extensions so far than the tenant's policy allows. The customer decides until the grant's
   * current end; {@code accessPeriod} is the model's access period, the time an approval adds.
   */
  public LockboxRequest askForExtension(String requestId, LockboxUser engineer, String justification,
      String accessPeriod) {
    repository.lock(requestId);
    AccessRequest request = repository.get(requestId);
    if (!engineer.id().equals(request.requestedBy())) {
      throw Refusal.notAllowed("Only " + request.requestedBy() + ", who asked for this access, asks for more time.");
    }
    if (!RequestStateMachine.allows(request.status(), Step.ASK_FOR_EXTENSION)) {
      throw Refusal.conflict("Access is not granted (status " + request.status() + ").");
    }
    Instant now = Times.now();
    AccessGrant grant = grants.forRequest(requestId).filter(running -> running.activeAt(now))
        .orElseThrow(() -> Refusal.conflict("Access has ended; ask for access anew."));
    List<LockboxRequest> extensions = repository.lockboxesOf(requestId).stream()
        .filter(LockboxRequest::extension).toList();
    if (extensions.stream().anyMatch(open -> open.status() == LockboxStatus.ACTION_NEEDED)) {
      throw Refusal.conflict("An extension of this access is waiting for the customer's decision already.");
    }
    int allowed = policies.policy(request.tenantId()).maxExtensions();
    if (extensions.size() >= allowed) {
      throw Refusal.conflict("Tenant " + request.tenantId() + " allows " + allowed + " extension(s) of an access; "
          + "this access has had " + extensions.size() + ".");
    }
    LockboxRequest extension = new LockboxRequest(UUID.randomUUID().toString(), request.id(), request.tenantId(),
        LockboxStatus.ACTION_NEEDED, now, grant.expiresAt(), accessPeriod, null, null, null, LockboxPurpose.EXTENSION,
        justification);
    repository.insertLockbox(extension);
    record(AuditEventType.EXTENSION_REQUESTED, request.id(), engineer.id(), justification, EXTENSION + " "
        + extension.id() + ": " + accessPeriod + " more asked for; the customer decides until " + grant.expiresAt(),
        null);
    return extension;
  }

  /**
   * The model takes up the extension our API recorded: a message that reached the model without
   * that record (correlated through the engine REST API) is refused, and changes nothing.
   */
  public LockboxRequest openExtension(StepContext step) {
    AccessRequest request = begin(step, Step.OPEN_EXTENSION);
    LockboxRequest open = repository.lockboxOf(request.id()).filter(LockboxRequest::extension)
        .filter(extension -> extension.status() == LockboxStatus.ACTION_NEEDED)
        .orElseThrow(() -> refused(step, Step.OPEN_EXTENSION,
            "no extension was asked for through the application; only the requester asks, through the API"));
    record(AuditEventType.LOCKBOX_REQUEST_CREATED, request.id(), null, null, EXTENSION + " " + open.id()
        + ": the customer decides until " + open.expiresAt(), step.key() + "/" + open.id());
    return open;
  }

  /**
   * Moves the grant's end by {@code accessPeriod} (the model's access period) on the basis of the
   * extension the customer approved ({@link GrantBases#extensionBasis}), signed anew; once per extension.
   */
  public AccessGrant extendAccess(StepContext step, String accessPeriod) {
    AccessRequest request = begin(step, Step.EXTEND_ACCESS);
    LockboxRequest extension = repository.lockboxOf(request.id()).orElse(null);
    AccessGrant grant = grants.forRequest(request.id()).orElse(null);
    String basis;
    try {
      basis = bases.extensionBasis(request, grant, extension,
          extension == null ? null : repository.decidedAs(extension.id()),
          extension == null ? null : repository.extensionGrantedUntil(extension.id()), Times.now());
    } catch (StepRefused noBasis) {
      throw refused(step, Step.EXTEND_ACCESS, noBasis.getMessage());
    }
    AccessGrant extended = grants.extend(grant, Times.plus(grant.expiresAt(), accessPeriod));
    repository.markExtensionGranted(extension.id(), extended.expiresAt());
    record(AuditEventType.ACCESS_EXTENDED, request.id(), null, null, "access until " + extended.expiresAt()
        + " (was " + grant.expiresAt() + "); basis " + basis + "; signed grant " + extended.signature(),
        step.key() + "/" + extension.id());
    return extended;
  }

  /**
   * What the engineer did during access, as the data plane reported it. {@code activityId} is the
   * data plane's own id for the report, so a report sent twice is recorded once.
   */
  public AuditEvent recordActivity(AccessGrant grant, String activity, String engineerIp, String reportedBy,
      String activityId) {
    if (!grant.activeAt(Times.now())) {
      throw new StepRefused("Access of grant " + grant.id() + " has ended; no activity can happen under it.");
    }
    String key = activityId == null ? null : "activity/" + grant.id() + "/" + activityId;
    return audit.record(repository.auditFacts(grant.accessRequestId()).entry(AuditEventType.ACCESS_ACTIVITY,
        grant.userId(), null, activity + " (reported by " + reportedBy + ")", engineerIp), key);
  }

  /**
   * Records a step of request {@code id} with the request's state as it is now: status, ticket,
   * justification, the customer's deadline and the grant's end. A person's step ({@code actor} not
   * null) carries the address of the HTTP request they acted through.
   */
  public void record(AuditEventType type, String id, String actor, String comment, String detail, String stepKey) {
    audit.recordAtCommit(repository.auditFacts(id).entry(type, actor, comment, detail,
        actor == null ? null : ClientAddress.ofCurrentRequest()), stepKey == null ? null : stepKey + "/" + type);
  }

  // --- the checks every step makes

  /** Locks the request, checks the instance and the state machine; answers the request as it is now. */
  private AccessRequest begin(StepContext step, Step kind) {
    AccessRequest request = bound(step, kind);
    check(step, request, kind);
    return request;
  }

  /** Locks the request and checks that the instance asking is the one bound to it. */
  private AccessRequest bound(StepContext step, Step kind) {
    if (step.requestId() == null) {
      throw refused(step, kind, "instance " + step.processInstanceId() + " works for no access request");
    }
    repository.lock(step.requestId());
    AccessRequest request = repository.find(step.requestId())
        .orElseThrow(() -> refused(step, kind, "no access request " + step.requestId()));
    if (!Objects.equals(request.processInstanceId(), step.processInstanceId())) {
      throw refused(step, kind, "instance " + step.processInstanceId() + " is not the request's own ("
          + request.processInstanceId() + ")");
    }
    return request;
  }

  private void check(StepContext step, AccessRequest request, Step kind) {
    if (RequestStateMachine.lostRace(request.status(), kind)) {
      throw new OptimisticLockingException("Access request " + request.id() + " became " + request.status()
          + " while " + kind + " waited for it");
    }
    if (!RequestStateMachine.allows(request.status(), kind)) {
      throw refused(step, kind, "the request is " + request.status() + "; " + kind + " starts only from "
          + kind.from());
    }
  }

  private void move(StepContext step, Step kind, String reason) {
    moveTo(begin(step, kind), kind, reason);
  }

  /** Moves a request {@link #begin} checked (its row is locked, so the move cannot lose a race). */
  private void moveTo(AccessRequest request, Step kind, String reason) {
    AccessRequestStatus to = RequestStateMachine.next(request.id(), request.status(), kind);
    if (to != request.status() && !repository.transition(request.id(), to, reason, request.status())) {
      throw new OptimisticLockingException("Access request " + request.id() + " left " + request.status()
          + " while locked");
    }
  }

  private StepRefused refused(StepContext step, Step kind, String reason) {
    refusals.record(step, kind, reason);
    return new StepRefused("Refused " + kind + " of access request " + step.requestId() + ": " + reason);
  }

  private static boolean isPast(Instant deadline) {
    return !Times.now().isBefore(deadline);
  }
}
