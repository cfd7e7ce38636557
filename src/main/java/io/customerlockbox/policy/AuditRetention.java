package io.customerlockbox.policy;

/**
 * How many days a tenant's audit events are kept; {@code isDefault} when the tenant set nothing
 * and the deployment's default applies.
 */
public record AuditRetention(String tenantId, int days, boolean isDefault, int defaultDays, int maxDays) {

  /** Ten years: the longest a tenant may keep its trail (as Microsoft's Customer Lockbox offers, as an add-on). */
  public static final int MAX_DAYS = 3650;
}
