package io.customerlockbox.request;

import static io.customerlockbox.request.AccessRequestStatus.ACCESS_ENDED;
import static io.customerlockbox.request.AccessRequestStatus.ACCESS_GRANTED;
import static io.customerlockbox.request.AccessRequestStatus.PENDING_CUSTOMER_APPROVAL;
import static io.customerlockbox.request.AccessRequestStatus.PENDING_INTERNAL_APPROVAL;
import static io.customerlockbox.request.AccessRequestStatus.REJECTED;
import static io.customerlockbox.request.AccessRequestStatus.SUBMITTED;

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
import io.customerlockbox.web.ApiException;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What each step of the process does to an access request. Called by the delegates and
 * listeners inside the engine's transaction; {@code stepKey} (process instance + activity) makes
 * a repeated step write its audit event once.
 */
@Service
@Transactional
public class AccessRequestLifecycle {

  private final AccessRequestRepository repository;
  private final PolicyService policies;
  private final AccessGrantService grants;
  private final AuditTrail audit;

  AccessRequestLifecycle(AccessRequestRepository repository, PolicyService policies, AccessGrantService grants,
      AuditTrail audit) {
    this.repository = repository;
    this.policies = policies;
    this.grants = grants;
    this.audit = audit;
  }

  public AccessRequest get(String id) {
    return repository.get(id);
  }

  /** The environment still exists and belongs to the tenant, and a break-glass request names its incident. */
  public void checkScope(String id) throws ScopeViolation {
    AccessRequest request = repository.get(id);
    Optional<Environment> environment = policies.environment(request.environmentId());
    if (environment.isEmpty() || !environment.get().tenantId().equals(request.tenantId())) {
      throw new ScopeViolation("environment " + request.environmentId() + " is not in tenant " + request.tenantId());
    }
    if (request.breakGlass() && request.incidentId() == null) {
      throw new ScopeViolation("break-glass access needs an incident id");
    }
  }

  /** {@code rule} names the decision table rule(s) that fired ("unknown" when none was seen). */
  public void recordJitOutcome(String id, String outcome, String rule, String stepKey) {
    repository.recordJitOutcome(id, outcome);
    AccessRequest request = repository.get(id);
    record(AuditEventType.JIT_EVALUATED, id, null, null, "outcome " + outcome + " by rule " + rule + " for "
        + request.accessLevel() + " access (MFA " + request.mfaVerified() + ", isolated identity "
        + request.isolatedIdentity() + ")", stepKey);
  }

  public void reject(String id, String reason, String stepKey) {
    repository.transition(id, REJECTED, reason, SUBMITTED);
    record(AuditEventType.REQUEST_REJECTED, id, null, null, reason, stepKey);
  }

  public void awaitInternalApproval(String id, String stepKey) {
    repository.transition(id, PENDING_INTERNAL_APPROVAL, null, SUBMITTED);
    record(AuditEventType.INTERNAL_APPROVAL_REQUESTED, id, null, null, "a support lead decides", stepKey);
  }

  /** Records a support lead's decision; answers whether the request may go on. */
  public boolean recordInternalDecision(String id, Decision decision, String comment, String decidedBy, String stepKey) {
    repository.lock(id);
    AccessRequest request = repository.get(id);
    SeparationOfDuties.ensureMayDecide(request, decidedBy);
    repository.recordInternalDecision(id, decidedBy, comment);
    if (decision == Decision.DENY) {
      repository.transition(id, REJECTED, "denied by support lead " + decidedBy, PENDING_INTERNAL_APPROVAL);
    }
    record(decision == Decision.APPROVE ? AuditEventType.INTERNAL_APPROVED : AuditEventType.INTERNAL_DENIED,
        id, decidedBy, comment, "decided by support lead " + decidedBy, stepKey);
    return decision == Decision.APPROVE;
  }

  /** Whether the customer must approve; when not, the trail says why. */
  public boolean lockboxRequired(String id, String stepKey) {
    AccessRequest request = repository.get(id);
    PolicyService.LockboxGate gate = policies.lockboxGate(request.tenantId(), request.environmentId());
    if (!gate.required()) {
      record(AuditEventType.LOCKBOX_NOT_REQUIRED, id, null, null, gate.reason(), stepKey);
    }
    return gate.required();
  }

  /** Grants access for {@code accessPeriod} (ISO-8601, the model's access-period timer). */
  public AccessGrant grant(String id, String accessPeriod, String stepKey) {
    repository.lock(id);
    AccessRequest request = repository.get(id);
    AccessGrant grant = grants.grant(id, request.tenantId(), request.environmentId(), request.requestedBy(),
        request.breakGlass(), accessPeriod, provisionalBasis(request));
    repository.transition(id, ACCESS_GRANTED, null, SUBMITTED, PENDING_INTERNAL_APPROVAL, PENDING_CUSTOMER_APPROVAL);
    if (request.breakGlass()) {
      record(AuditEventType.BREAK_GLASS_USED, id, null, null, "break-glass access for incident "
          + request.incidentId() + " without the customer's approval, until " + grant.expiresAt(), stepKey + "/break-glass");
    }
    // The signed grant the data plane honours, in the evidence (docs/audit.md, "Events").
    record(AuditEventType.ACCESS_GRANTED, id, null, null, "access until " + grant.expiresAt() + "; signed grant "
        + grant.signature(), stepKey);
    return grant;
  }

  /**
   * Provisional, until the basis is decided from the domain's records (issue 13, point 1): break-glass
   * as filed, otherwise the approval the process says it had.
   */
  private static GrantBasis provisionalBasis(AccessRequest request) {
    return request.breakGlass()
        ? new GrantBasis(GrantBasis.Kind.BREAK_GLASS, request.requestedBy(), request.requestedAt(),
            "incident " + request.incidentId())
        : new GrantBasis(GrantBasis.Kind.CUSTOMER_APPROVAL, null, Times.now(), "provisional: not yet checked");
  }

  public enum EndReason { EXPIRED, RELEASED }

  public void endAccess(String id, EndReason reason, String stepKey) {
    repository.lock(id);
    grants.end(id, reason.name());
    repository.transition(id, ACCESS_ENDED, reason == EndReason.RELEASED ? "released early by the engineer"
        : "access period over", ACCESS_GRANTED);
    if (reason == EndReason.RELEASED) {
      record(AuditEventType.ACCESS_RELEASED, id, repository.get(id).requestedBy(), null,
          "released before the access period ended", stepKey);
    } else {
      record(AuditEventType.ACCESS_ENDED, id, null, null, "access period over: access revoked", stepKey);
    }
  }

  /**
   * What the engineer did during access, as the data plane reported it. {@code activityId} is the
   * data plane's own id for the report, so a report sent twice is recorded once.
   */
  public AuditEvent recordActivity(AccessGrant grant, String activity, String engineerIp, String reportedBy,
      String activityId) {
    if (!grant.activeAt(Times.now())) {
      throw ApiException.conflict("Access of grant " + grant.id() + " has ended; no activity can happen under it.");
    }
    String key = activityId == null ? null : "activity/" + grant.id() + "/" + activityId;
    return audit.record(entry(AuditEventType.ACCESS_ACTIVITY, grant.accessRequestId(), grant.userId(), null,
        activity + " (reported by " + reportedBy + ")", engineerIp), key);
  }

  /**
   * Records a step of request {@code id} with the request's state as it is now: status, ticket,
   * justification, the customer's deadline and the grant's end. A person's step ({@code actor} not
   * null) carries the address of the HTTP request they acted through.
   */
  public void record(AuditEventType type, String id, String actor, String comment, String detail, String stepKey) {
    audit.recordAtCommit(entry(type, id, actor, comment, detail,
        actor == null ? null : ClientAddress.ofCurrentRequest()), stepKey == null ? null : stepKey + "/" + type);
  }

  private AuditTrail.Entry entry(AuditEventType type, String id, String actor, String comment, String detail,
      String clientIp) {
    AccessRequestRepository.AuditFacts facts = repository.auditFacts(id);
    AccessRequest request = facts.request();
    return new AuditTrail.Entry(type, request.tenantId(), request.environmentId(), request.id(), actor,
        request.status().name(), request.supportTicketId(), facts.requestExpiresAt(), facts.accessExpiresAt(),
        request.justification(), comment, clientIp, detail);
  }
}
