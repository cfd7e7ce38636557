package io.customerlockbox.audit;

/**
 * How many days a tenant's audit events are kept. The tenant's policy decides (the policy package
 * answers); the audit trail asks through this, so it does not depend on the policy package that
 * records its changes here.
 */
public interface RetentionDays {

  int retentionDays(String tenantId);
}
