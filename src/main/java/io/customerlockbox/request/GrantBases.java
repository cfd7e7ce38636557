package io.customerlockbox.request;

import io.customerlockbox.StepRefused;
import io.customerlockbox.access.AccessGrant;
import io.customerlockbox.access.GrantBasis;
import io.customerlockbox.request.AccessRequestRepository.Evidence;
import io.customerlockbox.request.Deciders.Kind;
import io.customerlockbox.security.IdentityDirectory;
import io.customerlockbox.security.LockboxUser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Why a request may be granted, read from the domain's own records (never from the engine's
 * variables or control flow). A grant rests on exactly one of:
 *
 * <ol>
 *   <li>{@code CUSTOMER_APPROVAL}: the request's lockbox request was APPROVED, and it holds as many
 *       approvals as the customer's approval rules asked for when it opened, each by a different
 *       member of one of its approver groups of the request's tenant who is not the requester, each
 *       before its deadline (the basis names every approver);</li>
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
      return customerApproval(request, lockbox, evidence.approvals());
    }
    if (!Evidence.GATE_NOT_REQUIRED.equals(evidence.lockboxGate())) {
      throw new GrantRefused("no customer approval, no break-glass and no recorded lockbox gate decision");
    }
    String allowedBy = jitAllowedBy(request, evidence);
    return new GrantBasis(GrantBasis.Kind.NO_LOCKBOX_NEEDED, allowedBy, evidence.lockboxGateAt(),
        "no lockbox request needed: " + evidence.lockboxGateReason() + "; allowed by "
            + (JIT_RULES.equals(allowedBy) ? "the just-in-time rules (auto-approval)" : "support lead " + allowedBy));
  }

  private GrantBasis customerApproval(AccessRequest request, LockboxRequest lockbox, List<LockboxApproval> approvals) {
    if (lockbox == null) {
      throw new GrantRefused("the lockbox gate asked for the customer's approval and there is no lockbox request");
    }
    String approved = approvedByTheCustomer(request, lockbox, approvals);
    LockboxApproval last = approvals.get(approvals.size() - 1);
    return new GrantBasis(GrantBasis.Kind.CUSTOMER_APPROVAL, last.by(), last.at(),
        "lockbox request " + lockbox.id() + " " + approved);
  }

  /**
   * Why a running grant's end may move: an extension lockbox request of this access request,
   * approved by the customer under the same rule as the access itself ({@code approvals}, as many
   * distinct approvers of its approver groups as the approval rules asked for when it opened, each
   * before it expired), not yet used to move the end, and the grant still active now. Answers the
   * basis in words, for the trail.
   */
  String extensionBasis(AccessRequest request, AccessGrant grant, LockboxRequest extension,
      List<LockboxApproval> approvals, Instant grantedUntil, Instant now) {
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
    return "extension " + extension.id() + " " + approvedByTheCustomer(request, extension, approvals);
  }

  /**
   * The one rule for a customer's approval, of the access and of each extension alike: {@code
   * lockbox} APPROVED, and its {@code approvals} (one row per person) as many as the approval
   * rules asked for, each by a member of its approver groups who is not the requester, each before
   * its deadline. Answers who approved, in words for the basis.
   */
  private String approvedByTheCustomer(AccessRequest request, LockboxRequest lockbox, List<LockboxApproval> approvals) {
    if (lockbox.status() != LockboxStatus.APPROVED) {
      throw new GrantRefused("the customer's lockbox request is " + lockbox.status() + ", not approved");
    }
    if (!lockbox.tenantId().equals(request.tenantId())) {
      throw new GrantRefused("the lockbox request belongs to tenant " + lockbox.tenantId() + ", not " + request.tenantId());
    }
    List<String> approvers = new ArrayList<>();
    for (LockboxApproval approval : approvals) {
      if (approval.by().equals(request.requestedBy())) {
        throw new GrantRefused("the lockbox request was approved by the requester " + request.requestedBy());
      }
      if (!approval.at().isBefore(lockbox.expiresAt())) {
        throw new GrantRefused("the lockbox request was approved by " + approval.by() + " at " + approval.at()
            + ", not before its deadline " + lockbox.expiresAt());
      }
      String as = approval.decidedAs() != null ? approval.decidedAs()
          : decidedAsToday(Kind.CUSTOMER, approval.by(), request, lockbox.approverGroups()).orElse(null);
      if (as == null || !lockbox.approverGroups().contains(as)) {
        throw new GrantRefused("the lockbox request was approved by " + approval.by() + ", who is in none of its "
            + "approver groups (" + String.join(", ", lockbox.approverGroups()) + ") of " + request.tenantId());
      }
      // One row per person (the table's key): each row is one distinct approver.
      approvers.add(approval.by() + " (" + as + ")");
    }
    if (approvers.isEmpty() || approvers.size() < lockbox.approvalsRequired()) {
      throw new GrantRefused("the lockbox request needs " + lockbox.approvalsRequired()
          + " distinct approvals and has " + approvers.size());
    }
    return "approved by " + String.join(", ", approvers) + " of " + request.tenantId() + " (" + approvers.size()
        + " of " + lockbox.approvalsRequired() + " distinct approvals needed) before its deadline "
        + lockbox.expiresAt();
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
        : decidedAsToday(Kind.INTERNAL, lead, request, List.of()).orElse(null);
    if (!Deciders.isDecidingGroup(Kind.INTERNAL, as)) {
      throw new GrantRefused("the request was approved internally by " + lead + ", who is no support lead");
    }
    return lead;
  }

  /**
   * For decisions recorded before the role was stored with them (requests waiting at the upgrade):
   * the group the decider holds in the directory now.
   */
  private Optional<String> decidedAsToday(Kind kind, String userId, AccessRequest request,
      List<String> approverGroups) {
    LockboxUser user;
    try {
      user = directory.load(userId);
    } catch (RuntimeException unknown) {
      return Optional.empty();
    }
    return Deciders.decidesAs(kind, user, request.tenantId(), request.requestedBy(), approverGroups);
  }

  /** A grant the domain's records do not support. */
  static final class GrantRefused extends StepRefused {
    GrantRefused(String reason) {
      super(reason);
    }
  }
}
