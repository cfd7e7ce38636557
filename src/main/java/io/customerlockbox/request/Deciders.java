package io.customerlockbox.request;

import io.customerlockbox.security.Groups;
import io.customerlockbox.security.LockboxUser;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.AuthorizationException;

/**
 * The one rule for who may decide a request, used by the task listeners (Tasklist, the engine REST
 * API), our API and the /lockbox page: a support lead decides internal approvals, a member of the
 * request's tenant in one of its lockbox request's approver groups (as the customer's approval
 * rules chose them; by default lockbox approvers and tenant admins) decides its lockbox request,
 * and whoever asked for the access decides neither. Answers the group the decision is taken in,
 * which the domain stores with the decision (a grant's basis names it).
 */
public final class Deciders {

  private Deciders() {}

  public enum Kind { INTERNAL, CUSTOMER }

  /** The group {@code user} decides in, or empty when they may not decide. */
  public static Optional<String> decidesAs(Kind kind, LockboxUser user, String tenantId, String requestedBy) {
    return decidesAs(kind, user, tenantId, requestedBy, ApprovalRule.BEFORE_RULES.approverGroups());
  }

  /**
   * The group {@code user} decides in, or empty when they may not decide; a customer's decision is
   * taken in one of {@code approverGroups} (the lockbox request's), in the order the rules named them.
   */
  public static Optional<String> decidesAs(Kind kind, LockboxUser user, String tenantId, String requestedBy,
      List<String> approverGroups) {
    if (user == null || user.id() == null || user.id().equals(requestedBy)) {
      return Optional.empty();
    }
    if (kind == Kind.INTERNAL) {
      return user.inGroup(Groups.SUPPORT_LEADS) ? Optional.of(Groups.SUPPORT_LEADS) : Optional.empty();
    }
    return approverGroups.stream().filter(group -> user.actsFor(tenantId, group)).findFirst();
  }

  public static boolean mayDecide(Kind kind, LockboxUser user, String tenantId, String requestedBy) {
    return decidesAs(kind, user, tenantId, requestedBy).isPresent();
  }

  /** The group the decision is taken in; refuses (403 at the API) anyone else, saying why. */
  public static String require(Kind kind, LockboxUser user, String tenantId, String requestedBy) {
    return require(kind, user, tenantId, requestedBy, ApprovalRule.BEFORE_RULES.approverGroups());
  }

  /** The group a customer's decision on a lockbox request of {@code approverGroups} is taken in; refuses anyone else. */
  public static String require(Kind kind, LockboxUser user, String tenantId, String requestedBy,
      List<String> approverGroups) {
    return decidesAs(kind, user, tenantId, requestedBy, approverGroups).orElseThrow(() -> new AuthorizationException(
        user == null || user.id() == null ? "A decision needs an authenticated user."
            : user.id().equals(requestedBy) ? "User " + user.id() + " requested this access and cannot decide on it."
            : kind == Kind.INTERNAL ? "User " + user.id() + " is no support lead and cannot decide internal approvals."
            : "User " + user.id() + " is in none of the approver groups " + String.join(", ", approverGroups)
                + " of " + tenantId + " and cannot decide this lockbox request."));
  }

  /**
   * The group {@code user} ends active access in, for the customer: the people who decide the
   * tenant's lockbox requests (whoever decides for the customer may also take the access back),
   * never the engineer who holds it. Empty when they may not.
   */
  public static Optional<String> revokesAs(LockboxUser user, String tenantId, String requestedBy) {
    return decidesAs(Kind.CUSTOMER, user, tenantId, requestedBy);
  }

  /** Whether {@code group}, as stored with a decision, is one a decision of {@code kind} is taken in. */
  static boolean isDecidingGroup(Kind kind, String group) {
    return kind == Kind.INTERNAL ? Groups.SUPPORT_LEADS.equals(group)
        : ApprovalRule.BEFORE_RULES.approverGroups().contains(group);
  }
}
