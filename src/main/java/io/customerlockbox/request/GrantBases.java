package io.customerlockbox.request;

import io.customerlockbox.StepRefused;
import io.customerlockbox.access.AccessGrant;
import io.customerlockbox.access.GrantBasis;
import io.customerlockbox.request.AccessRequestRepository.Evidence;
import io.customerlockbox.request.Deciders.Kind;
import io.customerlockbox.security.IdentityDirectory;
import io.customerlockbox.security.LockboxUser;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Why a request may be granted, read from the domain's own records (never from the engine's
 * variables or control flow). A grant rests on exactly one of:
 *
 * <ol>
 *   <li>{@code CUSTOMER_APPROVAL}: the request's lockbox request was APPROVED by a lockbox approver
 *       or tenant admin of the request's tenant who is not the requester, before its deadline;</li>
 *   <li>{@code NO_LOCKBOX_NEEDED}: the lockbox gate recorded that the policy asks nothing for this
 *       environment, after the just-in-time rules allowed the request (auto-approval, or a support
 *       lead who is not the requester approved it);</li>
 *   <li>{@code BREAK_GLASS}: the request was filed as break-glass, with an incident id, by a member
 *       of break-glass (recorded at filing).</li>
 * </ol>
 * Anything else is refused with the reason, and the grant step fails. A grant's end moves only on
 * an extension the customer approved ({@link #extensionBasis}).
 */
@Component
class GrantBases {

  static final String JIT_RULES = "just-in-time rules";

  private final IdentityDirectory directory;

  GrantBases(IdentityDirectory directory) {
    this.directory = directory;
  }

  GrantBasis basisFor(AccessRequest request, Evidence evidence) {
    if (request.breakGlass()) {
      if (!evidence.breakGlassMember()) {
        throw new GrantRefused("break-glass request filed by " + request.requestedBy()
            + ", who was not a member of break-glass when filing");
      }
      if (request.incidentId() == null) {
        throw new GrantRefused("break-glass request without an incident id");
      }
      return new GrantBasis(GrantBasis.Kind.BREAK_GLASS, request.requestedBy(), request.requestedAt(),
          "break-glass for incident " + request.incidentId() + ", filed by " + request.requestedBy());
    }
    LockboxRequest lockbox = evidence.lockbox();
    if (lockbox != null || Evidence.GATE_REQUIRED.equals(evidence.lockboxGate())) {
      return customerApproval(request, lockbox, evidence.lockboxDecidedAs());
    }
    if (!Evidence.GATE_NOT_REQUIRED.equals(evidence.lockboxGate())) {
      throw new GrantRefused("no customer approval, no break-glass and no recorded lockbox gate decision");
    }
    String allowedBy = jitAllowedBy(request, evidence);
    return new GrantBasis(GrantBasis.Kind.NO_LOCKBOX_NEEDED, allowedBy, evidence.lockboxGateAt(),
        "no lockbox request needed: " + evidence.lockboxGateReason() + "; allowed by "
            + (JIT_RULES.equals(allowedBy) ? "the just-in-time rules (auto-approval)" : "support lead " + allowedBy));
  }

  private GrantBasis customerApproval(AccessRequest request, LockboxRequest lockbox, String decidedAs) {
    if (lockbox == null) {
      throw new GrantRefused("the lockbox gate asked for the customer's approval and there is no lockbox request");
    }
    String as = approvedByTheCustomer(request, lockbox, decidedAs);
    return new GrantBasis(GrantBasis.Kind.CUSTOMER_APPROVAL, lockbox.decidedBy(), lockbox.decidedAt(),
        "lockbox request " + lockbox.id() + " approved by " + lockbox.decidedBy() + " (" + as + " of "
            + request.tenantId() + ") before its deadline " + lockbox.expiresAt());
  }

  /**
   * Why a running grant's end may move: an extension lockbox request of this access request,
   * APPROVED by the customer's deciders (as the access itself) before it expired, not yet used to
   * move the end, and the grant still active now. Answers the basis in words, for the trail.
   */
  String extensionBasis(AccessRequest request, AccessGrant grant, LockboxRequest extension, String decidedAs,
      Instant grantedUntil, Instant now) {
    if (extension == null || extension.purpose() != LockboxPurpose.EXTENSION
        || !extension.accessRequestId().equals(request.id())) {
      throw new GrantRefused("no extension of this access request was asked for");
    }
    if (grant == null || !grant.accessRequestId().equals(request.id())) {
      throw new GrantRefused("the request has no grant to extend");
    }
    if (!grant.activeAt(now)) {
      throw new GrantRefused("grant " + grant.id() + " is no longer active; an ended access is not extended");
    }
    if (grantedUntil != null) {
      throw new GrantRefused("extension " + extension.id() + " moved the grant's end already, to " + grantedUntil);
    }
    String as = approvedByTheCustomer(request, extension, decidedAs);
    return "extension " + extension.id() + " approved by " + extension.decidedBy() + " (" + as + " of "
        + request.tenantId() + ") before its deadline " + extension.expiresAt();
  }

  /** The role the approver decided in, when {@code lockbox} carries a valid approval by the customer. */
  private String approvedByTheCustomer(AccessRequest request, LockboxRequest lockbox, String decidedAs) {
    if (lockbox.status() != LockboxStatus.APPROVED) {
      throw new GrantRefused("the customer's lockbox request is " + lockbox.status() + ", not approved");
    }
    if (!lockbox.tenantId().equals(request.tenantId())) {
      throw new GrantRefused("the lockbox request belongs to tenant " + lockbox.tenantId() + ", not " + request.tenantId());
    }
    if (lockbox.decidedBy() == null || lockbox.decidedAt() == null) {
      throw new GrantRefused("the lockbox request's approval names no approver");
    }
    if (lockbox.decidedBy().equals(request.requestedBy())) {
      throw new GrantRefused("the lockbox request was approved by the requester " + request.requestedBy());
    }
    if (!lockbox.decidedAt().isBefore(lockbox.expiresAt())) {
      throw new GrantRefused("the lockbox request was approved at " + lockbox.decidedAt() + ", not before its deadline "
          + lockbox.expiresAt());
    }
    String as = decidedAs != null ? decidedAs : decidedAsToday(Kind.CUSTOMER, lockbox.decidedBy(), request).orElse(null);
    if (!Deciders.isDecidingGroup(Kind.CUSTOMER, as)) {
      throw new GrantRefused("the lockbox request was approved by " + lockbox.decidedBy()
          + ", who is no lockbox approver or tenant admin of " + request.tenantId());
    }
    return as;
  }

  /**
   * Who allowed the request internally: the just-in-time rules' auto-approval, or a support lead
   * who is not the requester. Refuses when neither did.
   */
  String jitAllowedBy(AccessRequest request, Evidence evidence) {
    if ("AUTO_APPROVE".equals(request.jitOutcome())) {
      return JIT_RULES;
    }
    if (!"INTERNAL_APPROVAL".equals(request.jitOutcome())) {
      throw new GrantRefused("the just-in-time rules did not allow the request (outcome " + request.jitOutcome() + ")");
    }
    String lead = evidence.internalDecidedBy();
    if (!Decision.APPROVE.name().equals(evidence.internalDecision()) || lead == null) {
      throw new GrantRefused("no support lead approved the request");
    }
    if (lead.equals(request.requestedBy())) {
      throw new GrantRefused("the request was approved internally by its requester " + lead);
    }
    String as = evidence.internalDecidedAs() != null ? evidence.internalDecidedAs()
        : decidedAsToday(Kind.INTERNAL, lead, request).orElse(null);
    if (!Deciders.isDecidingGroup(Kind.INTERNAL, as)) {
      throw new GrantRefused("the request was approved internally by " + lead + ", who is no support lead");
    }
    return lead;
  }

  /**
   * For decisions recorded before the role was stored with them (requests waiting at the upgrade):
   * the group the decider holds in the directory now.
   */
  private Optional<String> decidedAsToday(Kind kind, String userId, AccessRequest request) {
    LockboxUser user;
    try {
      user = directory.load(userId);
    } catch (RuntimeException unknown) {
      return Optional.empty();
    }
    return Deciders.decidesAs(kind, user, request.tenantId(), request.requestedBy());
  }

  /** A grant the domain's records do not support. */
  static final class GrantRefused extends StepRefused {
    GrantRefused(String reason) {
      super(reason);
    }
  }
}
