package io.customerlockbox.security;

import io.customerlockbox.Refusal;

/**
 * The endpoint × role matrix of docs/security.md, in one place: every {@code /api/**} call asks here before
 * it reads or changes anything. The engine REST API and the webapps are guarded by Camunda's own
 * authorizations and tenant checks (see {@link RoleSetup}), which agree with this matrix.
 *
 * <p>Someone with no business in a tenant or a request gets 404, never a hint that it exists;
 * someone who may see a thing but not do this to it gets 403.
 */
public final class RoleMatrix {

  private RoleMatrix() {}

  // --- who sees what

  /** Provider staff who work across tenants: they see every tenant's settings and lockbox requests. */
  public static boolean isProviderStaff(LockboxUser user) {
    return user.inGroup(Groups.SUPPORT_ENGINEERS) || user.inGroup(Groups.SUPPORT_LEADS)
        || user.inGroup(Groups.OPERATORS) || user.inGroup(Groups.BREAK_GLASS) || user.isAdmin();
  }

  /** The customer's own people: its tenant admins, lockbox approvers and auditors. */
  public static boolean isTenantMember(LockboxUser user, String tenantId) {
    return user.actsFor(tenantId, Groups.TENANT_ADMINS, Groups.LOCKBOX_APPROVERS, Groups.AUDITORS);
  }

  /** Settings, environments and lockbox requests of a tenant. */
  public static boolean canReadTenant(LockboxUser user, String tenantId) {
    return isProviderStaff(user) || isTenantMember(user, tenantId);
  }

  public static void requireReadTenant(LockboxUser user, String tenantId) {
    if (!canReadTenant(user, tenantId)) {
      throw Refusal.notFound("No tenant " + tenantId);
    }
  }

  /** Leads, operators and administrators oversee every access request; engineers only their own. */
  public static boolean seesAllAccessRequests(LockboxUser user) {
    return user.inGroup(Groups.SUPPORT_LEADS) || user.inGroup(Groups.OPERATORS) || user.isAdmin();
  }

  public static boolean canReadAccessRequest(LockboxUser user, String tenantId, String requestedBy) {
    return requestedBy.equals(user.id()) || seesAllAccessRequests(user) || isTenantMember(user, tenantId);
  }

  /**
   * What a list of access requests may show: {@code tenantId} and {@code requestedBy} narrow it
   * (null: no narrowing). A caller with nothing to see is refused with 403.
   */
  public record ListScope(String tenantId, String requestedBy) {}

  public static ListScope accessRequestList(LockboxUser user, String tenantId) {
    if (tenantId != null) {
      requireReadTenant(user, tenantId);
      if (seesAllAccessRequests(user) || isTenantMember(user, tenantId)) {
        return new ListScope(tenantId, null);
      }
      return new ListScope(tenantId, user.id());
    }
    if (seesAllAccessRequests(user)) {
      return new ListScope(null, null);
    }
    if (user.inGroup(Groups.SUPPORT_ENGINEERS) || user.inGroup(Groups.BREAK_GLASS)) {
      return new ListScope(null, user.id());
    }
    var tenants = user.tenantIds().stream().filter(tenant -> isTenantMember(user, tenant)).toList();
    if (tenants.size() == 1) {
      return new ListScope(tenants.get(0), null);
    }
    if (tenants.isEmpty()) {
      throw Refusal.notAllowed("You hold no role that sees access requests.");
    }
    throw Refusal.invalid("tenantId", "tenantId: name the tenant whose requests you want");
  }

  // --- who does what

  /** Support engineers file (non-break-glass) requests, and pick tenants and environments to do so. */
  public static boolean mayFileAccessRequests(LockboxUser user) {
    return user.inGroup(Groups.SUPPORT_ENGINEERS);
  }

  public static void requireCreateAccessRequest(LockboxUser user, boolean breakGlass) {
    if (breakGlass && !user.inGroup(Groups.BREAK_GLASS)) {
      throw Refusal.notAllowed("Only members of " + Groups.BREAK_GLASS + " may use break-glass access.");
    }
    if (!breakGlass && !mayFileAccessRequests(user)) {
      throw Refusal.notAllowed("Only support engineers ask for access.");
    }
  }

  /** Called once the request is visible to {@code user}. */
  public static void requireRelease(LockboxUser user, String requestedBy) {
    requireRequester(user, requestedBy, "release this access");
  }

  /** Called once the request is visible to {@code user}: more time is the requester's to ask for. */
  public static void requireExtension(LockboxUser user, String requestedBy) {
    requireRequester(user, requestedBy, "ask for more time for this access");
  }

  private static void requireRequester(LockboxUser user, String requestedBy, String what) {
    if (!requestedBy.equals(user.id())) {
      throw Refusal.notAllowed("Only " + requestedBy + " may " + what + ".");
    }
  }

  // Who decides a request (support leads, the tenant's approvers and admins, never the requester)
  // is one rule of its own: request.Deciders, used by the API, the task listeners and the page.

  /**
   * A tenant's policy and environments are the customer's to manage: only its tenant admins. The
   * provider's administrators cannot switch a customer's lockbox off.
   */
  public static void requireManageTenant(LockboxUser user, String tenantId) {
    requireReadTenant(user, tenantId);
    if (!user.actsFor(tenantId, Groups.TENANT_ADMINS)) {
      throw Refusal.notAllowed("Only tenant admins of " + tenantId + " may change this");
    }
  }

  /** The data plane's service accounts ask whether an engineer may enter an environment now. */
  public static void requireDataPlane(LockboxUser user) {
    if (!user.inGroup(Groups.DATA_PLANE)) {
      throw Refusal.notAllowed("Only the data plane (group " + Groups.DATA_PLANE + ") calls this.");
    }
  }

  /**
   * A tenant's audit trail: its auditors and tenant admins, and Camunda administrators. The
   * provider's staff do not read a customer's trail: it is the customer's evidence about them.
   */
  public static boolean canReadAudit(LockboxUser user, String tenantId) {
    return user.isAdmin() || user.actsFor(tenantId, Groups.TENANT_ADMINS, Groups.AUDITORS);
  }

  /**
   * Admits {@code user} to tenant {@code tenantId}'s audit trail: strangers get 404, the tenant's
   * other people and provider staff 403. Only Camunda administrators may leave the tenant out
   * ({@code null}): they read across tenants and the chain of events without one.
   */
  public static void requireReadAudit(LockboxUser user, String tenantId) {
    if (tenantId == null) {
      if (!user.isAdmin()) {
        throw Refusal.invalid("tenantId", "tenantId: name the tenant whose audit trail you want");
      }
      return;
    }
    requireReadTenant(user, tenantId);
    if (!canReadAudit(user, tenantId)) {
      throw Refusal.notAllowed("Only auditors and tenant admins of " + tenantId + " read its audit trail");
    }
  }
}
