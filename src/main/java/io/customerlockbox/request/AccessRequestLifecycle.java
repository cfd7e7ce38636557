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
    return Decision.APPROVE.name().equals(repository.internalDecision(id));
  }

  /**
   * Whether the customer has decided request {@code id}'s open lockbox request (enough distinct
   * approvals, or a denial), as the domain recorded it: the model's "Enough approvals?" asks this.
   */
  public boolean customerDecided(String id) {
    return repository.lockboxOf(id).map(lockbox -> lockbox.status() != LockboxStatus.ACTION_NEEDED).orElse(false);
  }

  /** Whether the customer approved request {@code id}, as the domain recorded it (the model's gateway asks this). */
  public boolean customerApproved(String id) {
    return repository.accessLockboxOf(id).map(lockbox -> lockbox.status() == LockboxStatus.APPROVED).orElse(false);
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
    AccessRequest request = repository.lock(requestId)
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

  /**
   * Opens the customer's lockbox request for {@code approvalPeriod} (ISO-8601, the model's approval
   * timer), with what the customer's approval rules decided ({@code rule}, by the table's
   * {@code matchedRules}): from here on the lockbox request's record of it counts, never what the
   * engine holds.
   */
  public LockboxRequest openLockboxRequest(StepContext step, String approvalPeriod, String accessPeriod,
      ApprovalRule rule, String matchedRules) {
    AccessRequest request = begin(step, Step.OPEN_LOCKBOX_REQUEST);
    Evidence evidence = repository.evidence(request.id());
    if (!Evidence.GATE_REQUIRED.equals(evidence.lockboxGate()) || evidence.lockbox() != null) {
      throw refused(step, Step.OPEN_LOCKBOX_REQUEST, evidence.lockbox() != null ? "the request has a lockbox request"
          : "the lockbox gate did not ask for the customer's approval");
    }
    Instant now = Times.now();
    LockboxRequest lockbox = new LockboxRequest(UUID.randomUUID().toString(), request.id(), request.tenantId(),
        LockboxStatus.ACTION_NEEDED, now, Times.plus(now, approvalPeriod), accessPeriod, null, null, null,
        rule.approvalsRequired(), rule.approverGroups(), LockboxPurpose.ACCESS, null);
    repository.insertLockbox(lockbox);
    moveTo(request, Step.OPEN_LOCKBOX_REQUEST, null);
    record(AuditEventType.LOCKBOX_REQUEST_CREATED, request.id(), null, null,
        "the customer decides until " + lockbox.expiresAt() + "; " + approversNeeded(rule) + " (approval rules: "
            + matchedRules + ")", step.key());
    return lockbox;
  }

  private static String approversNeeded(ApprovalRule rule) {
    return rule.approvalsRequired() + " distinct approver" + (rule.approvalsRequired() == 1 ? "" : "s") + " of "
        + String.join(", ", rule.approverGroups()) + " must approve";
  }

  /**
   * Records an approver's decision, as submitted with the task's completion by {@code decider}
   * (the task's complete listener), on the request's open lockbox request: only before its
   * deadline, whether or not the timer has fired, and only by a member of one of its approver
   * groups who did not ask for the access. A denial closes it DENIED; an approval counts once per
   * person, and the one that reaches the number the approval rules asked for closes it APPROVED.
   * Answers whether access may be granted now.
   */
  public boolean recordCustomerDecision(StepContext step, Object submitted, String comment, LockboxUser decider) {
    AccessRequest request = bound(step, Step.APPROVE_FOR_CUSTOMER);
    Decision decision = Decision.of(submitted, ProcessModel.LOCKBOX_DECISION);
    LockboxRequest open = repository.lockboxOf(request.id())
        .orElseThrow(() -> refused(step, Step.APPROVE_FOR_CUSTOMER, "the request has no lockbox request"));
    // The open lockbox request is the latest: the access's own, or an extension of granted access;
    // either is decided under what the approval rules recorded on it.
    boolean extension = open.extension();
    String decidedAs = Deciders.require(Kind.CUSTOMER, decider, request.tenantId(), request.requestedBy(),
        open.approverGroups());
    List<LockboxApproval> approvals = repository.approvals(open.id());
    boolean completes = decision == Decision.APPROVE && approvals.size() + 1 >= open.approvalsRequired();
    Step kind = decision == Decision.DENY ? (extension ? Step.DENY_EXTENSION : Step.DENY_FOR_CUSTOMER)
        : !completes ? (extension ? Step.COUNT_EXTENSION_APPROVAL : Step.COUNT_CUSTOMER_APPROVAL)
        : extension ? Step.APPROVE_EXTENSION : Step.APPROVE_FOR_CUSTOMER;
    check(step, request, kind);
    if (decision.lacksReason(comment)) {
      throw new BadUserRequestException(ProcessModel.LOCKBOX_COMMENT + ": say why you deny the request");
    }
    if (open.status() != LockboxStatus.ACTION_NEEDED) {
      // Another approver or the expiry decided it in a transaction that committed after this one
      // read the task: the engine's word for that is optimistic locking (the API answers 409).
      throw new OptimisticLockingException("The lockbox request of " + request.id() + " was decided or expired concurrently");
    }
    if (isPast(open.expiresAt())) {
      throw refused(step, kind, "the lockbox request expired at " + open.expiresAt() + "; no decision counts after it");
    }
    // Each extension is decided at the same task of the model: its events' details and keys name it.
    String about = extension ? EXTENSION + " " + open.id() + " " : "";
    String key = (extension ? step.key() + "/" + open.id() : step.key()) + "/" + decider.id();
    if (decision == Decision.APPROVE) {
      Optional<LockboxApproval> earlier = approvals.stream().filter(a -> a.by().equals(decider.id())).findFirst();
      if (earlier.isPresent()) {
        // Tasklist shows this message; the API answered 409 before the task was completed.
        throw new BadUserRequestException(alreadyApproved(decider.id(), earlier.get(), open));
      }
      repository.addApproval(open.id(), decider.id(), decidedAs, comment);
      String progress = open.rule().progress(approvals.size() + 1);
      if (!completes) {
        moveTo(request, kind, null);
        record(AuditEventType.LOCKBOX_APPROVAL_COUNTED, request.id(), decider.id(), comment, about + "approved by "
            + decider.id() + " (" + decidedAs + ") for the customer: " + progress + "; the customer still decides",
            key);
        return false;
      }
      repository.closeLockbox(request.id(), LockboxStatus.APPROVED, decider.id(), decidedAs, comment);
      moveTo(request, kind, null);
      publishDecided(request, true);
      record(AuditEventType.LOCKBOX_APPROVED, request.id(), decider.id(), comment, about + "approved by "
          + decider.id() + " for the customer: " + progress, key);
      return true;
    }
    repository.closeLockbox(request.id(), LockboxStatus.DENIED, decider.id(), decidedAs, comment);
    moveTo(request, kind, extension ? null : "denied by the customer");
    publishDecided(request, false);
    record(AuditEventType.LOCKBOX_DENIED, request.id(), decider.id(), comment, about + "denied by " + decider.id()
        + " for the customer" + (approvals.isEmpty() ? "" : " after " + open.rule().progress(approvals.size())),
        key);
    return false;
  }

  /** Why {@code approver} cannot approve again: the same words for Tasklist, the API and the page. */
  public static String alreadyApproved(String approver, LockboxApproval earlier, LockboxRequest lockbox) {
    return "You (" + approver + ") approved this lockbox request already at " + Times.display(earlier.at())
        + "; each person counts once, and " + (lockbox.approvalsRequired() > 1 ? "another approver must decide"
        : "it needs no more approvals") + ".";
  }

  private void publishDecided(AccessRequest request, boolean approved) {
    repository.lockboxOf(request.id()).ifPresent(lockbox -> events.publishEvent(new LockboxDecided(request.id(),
        approved, lockbox.requestedAt(), lockbox.decidedAt())));
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

  /** Why a grant ended (its {@code end_reason}); REVOKED_BY_CUSTOMER only through {@link #revokeForCustomer}. */
  public enum EndReason { EXPIRED, RELEASED, REVOKED_BY_CUSTOMER }

  /**
   * Ends access; an extension still undecided closes as expired (the end stood). Whatever ends
   * access comes here, so no extension outlives the access it would extend.
   */
  public void endAccess(StepContext step, EndReason reason) {
    if (reason == EndReason.REVOKED_BY_CUSTOMER) {
      throw refused(step, Step.END_ACCESS, "only the customer's own revocation ends access for the customer");
    }
    AccessRequest request = begin(step, Step.END_ACCESS);
    expireOpenExtension(request, step.key());
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

  /**
   * Closes the request's open extension, if any, as expired: access ends (its timer, the
   * engineer's release, the customer's revocation) before the customer decided it.
   */
  private void expireOpenExtension(AccessRequest request, String key) {
    repository.lockboxOf(request.id()).filter(LockboxRequest::extension)
        .filter(open -> open.status() == LockboxStatus.ACTION_NEEDED).ifPresent(open -> {
          repository.closeLockbox(request.id(), LockboxStatus.EXPIRED, null, null, null);
          record(AuditEventType.LOCKBOX_EXPIRED, request.id(), null, null, EXTENSION + " " + open.id()
              + ": access ended before anybody decided; its end stood", key + "/" + open.id());
        });
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
        LockboxStatus.ACTION_NEEDED, now, grant.expiresAt(), accessPeriod, null, null, null,
        ApprovalRule.BEFORE_RULES.approvalsRequired(), ApprovalRule.BEFORE_RULES.approverGroups(),
        LockboxPurpose.EXTENSION, justification);
    repository.insertLockbox(extension);
    record(AuditEventType.EXTENSION_REQUESTED, request.id(), engineer.id(), justification, EXTENSION + " "
        + extension.id() + ": " + accessPeriod + " more asked for; the customer decides until " + grant.expiresAt(),
        null);
    return extension;
  }

  /**
   * The model takes up the extension our API recorded, with what the customer's approval rules
   * decided for it ({@code rule}, by the table's {@code matchedRules}, evaluated right before as
   * for the access): the extension's row records it, and only that record counts. A message that
   * reached the model without the API's record (correlated through the engine REST API) is
   * refused, and changes nothing.
   */
  public LockboxRequest openExtension(StepContext step, ApprovalRule rule, String matchedRules) {
    AccessRequest request = begin(step, Step.OPEN_EXTENSION);
    LockboxRequest open = repository.lockboxOf(request.id()).filter(LockboxRequest::extension)
        .filter(extension -> extension.status() == LockboxStatus.ACTION_NEEDED)
        .orElseThrow(() -> refused(step, Step.OPEN_EXTENSION,
            "no extension was asked for through the application; only the requester asks, through the API"));
    if (!repository.recordRule(open.id(), rule)) {
      throw new OptimisticLockingException("Extension " + open.id() + " of " + request.id() + " closed concurrently");
    }
    record(AuditEventType.LOCKBOX_REQUEST_CREATED, request.id(), null, null, EXTENSION + " " + open.id()
        + ": the customer decides until " + open.expiresAt() + "; " + approversNeeded(rule) + " (approval rules: "
        + matchedRules + ")", step.key() + "/" + open.id());
    return repository.findLockbox(open.id()).orElseThrow();
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
          extension == null ? List.of() : repository.approvals(extension.id()),
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
   * A lockbox approver or tenant admin of the request's tenant ends its active access at once, for
   * the customer, when the tenant's policy allows it: the grant ends ({@code REVOKED_BY_CUSTOMER}; the
   * data plane's check refuses from this transaction's commit), the request ends, and the trail
   * records it as the customer's action with their reason. Called by the API and the page before
   * the process hears of it; the model's step after the message only checks this record
   * ({@link #confirmCustomerRevocation}).
   */
  public CustomerRevocation revokeForCustomer(String requestId, String comment, LockboxUser revoker) {
    StepContext step = new StepContext(requestId, null, null, revoker == null ? null : revoker.id());
    AccessRequest request = repository.lock(requestId)
        .orElseThrow(() -> refused(step, Step.REVOKE_FOR_CUSTOMER, "no access request " + requestId));
    String revokedAs = Deciders.revokesAs(revoker, request.tenantId(), request.requestedBy())
        .orElseThrow(() -> refused(step, Step.REVOKE_FOR_CUSTOMER, (revoker == null ? "nobody" : revoker.id())
            + " is no lockbox approver or tenant admin of " + request.tenantId() + " other than the requester"));
    if (comment == null || comment.isBlank()) {
      throw refused(step, Step.REVOKE_FOR_CUSTOMER, "a revocation needs the customer's reason");
    }
    if (!policies.customerMayRevoke(request.tenantId())) {
      throw refused(step, Step.REVOKE_FOR_CUSTOMER, "the lockbox policy of " + request.tenantId()
          + " does not let its approvers revoke access");
    }
    check(step, request, Step.REVOKE_FOR_CUSTOMER);
    AccessGrant grant = grants.forRequest(requestId)
        .filter(active -> active.activeAt(Times.now()))
        .orElseThrow(() -> new OptimisticLockingException("The grant of " + requestId + " ended while the revocation waited"));
    CustomerRevocation revocation = new CustomerRevocation(requestId, revoker.id(), revokedAs, Times.now(), comment);
    repository.insertRevocation(revocation);
    expireOpenExtension(request, "revoke/" + requestId);
    grants.end(requestId, EndReason.REVOKED_BY_CUSTOMER.name());
    moveTo(request, Step.REVOKE_FOR_CUSTOMER, "revoked by the customer");
    record(AuditEventType.ACCESS_REVOKED_BY_CUSTOMER, requestId, revoker.id(), comment, "access of grant " + grant.id()
        + " revoked for the customer by " + revoker.id() + " (" + revokedAs + ") before " + grant.expiresAt(),
        "revoke/" + requestId);
    return revocation;
  }

  /**
   * The model's step after the revoke message: the message ends the granted wait only when the
   * domain wrote the customer's revocation ({@link #revokeForCustomer}); a message correlated
   * without it (through the engine REST API) is refused and changes nothing.
   */
  public CustomerRevocation confirmCustomerRevocation(StepContext step) {
    AccessRequest request = bound(step, Step.REVOKE_FOR_CUSTOMER);
    Optional<CustomerRevocation> revocation = repository.revocation(request.id());
    boolean ended = grants.forRequest(request.id())
        .map(grant -> EndReason.REVOKED_BY_CUSTOMER.name().equals(grant.endReason())).orElse(false);
    if (revocation.isEmpty() || !ended || request.status() != AccessRequestStatus.ACCESS_ENDED) {
      throw refused(step, Step.REVOKE_FOR_CUSTOMER, "the customer did not revoke this access (request "
          + request.status() + "); only the lockbox API and page revoke for the customer");
    }
    return revocation.get();
  }

  /** The customer's revocation of request {@code id}, if they revoked it (for notifications). */
  public Optional<CustomerRevocation> revocation(String id) {
    return repository.revocation(id);
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
    AccessRequest request = repository.lock(step.requestId())
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
