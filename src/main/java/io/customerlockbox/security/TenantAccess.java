package io.customerlockbox.security;

import io.customerlockbox.web.ApiException;

/**
 * Who may see and change a customer tenant's lockbox data through the API. Someone with no
 * business in a tenant gets 404, so the API never confirms what exists elsewhere.
 */
public final class TenantAccess {

  private TenantAccess() {}

  /** Provider staff see every tenant's requests; customer people only their own tenant's. */
  public static boolean canRead(LockboxUser user, String tenantId) {
    return user.isProviderStaff()
        || user.actsFor(tenantId, Groups.TENANT_ADMINS, Groups.LOCKBOX_APPROVERS, Groups.AUDITORS);
  }

  public static void requireRead(LockboxUser user, String tenantId) {
    if (!canRead(user, tenantId)) {
      throw ApiException.notFound("No tenant " + tenantId);
    }
  }

  /** The customer's tenant admins (and Camunda administrators) manage its policy and environments. */
  public static void requireManage(LockboxUser user, String tenantId) {
    requireRead(user, tenantId);
    if (!user.isAdmin() && !user.actsFor(tenantId, Groups.TENANT_ADMINS)) {
      throw ApiException.forbidden("Only tenant admins of " + tenantId + " may change this");
    }
  }

  /** Auditors and tenant admins of the tenant, and Camunda administrators, read its audit trail. */
  public static boolean canAudit(LockboxUser user, String tenantId) {
    return user.isAdmin() || user.actsFor(tenantId, Groups.TENANT_ADMINS, Groups.AUDITORS);
  }

  /**
   * Admits {@code user} to tenant {@code tenantId}'s audit trail: strangers get 404, the tenant's
   * other people and provider staff 403. Only Camunda administrators may leave the tenant out
   * ({@code null}): they read across tenants and the chain of events without one.
   */
  public static void requireAudit(LockboxUser user, String tenantId) {
    if (tenantId == null) {
      if (!user.isAdmin()) {
        throw ApiException.badRequest("tenantId", "tenantId: name the tenant whose audit trail you want");
      }
      return;
    }
    requireRead(user, tenantId);
    if (!canAudit(user, tenantId)) {
      throw ApiException.forbidden("Only auditors and tenant admins of " + tenantId + " read its audit trail");
    }
  }
}
