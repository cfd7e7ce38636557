package io.customerlockbox.policy;

import java.time.Instant;
import java.util.List;

/**
 * A tenant's lockbox policy. {@code customerMayRevoke}: the tenant's approvers and admins may end
 * an active grant at once. {@code escalationGroup}: a group whose members in the tenant hear of a
 * request nobody answered by the reminder, besides the approvers and the tenant's admins (null: none).
 * {@code maxExtensions}: how many times the engineer may ask for more time for one access (default 1).
 */
public record LockboxPolicy(
    String tenantId, boolean enabled, PolicyScope scope, List<String> environmentIds,
    Instant updatedAt, String updatedBy, boolean customerMayRevoke, String escalationGroup, int maxExtensions) {

  public static final int DEFAULT_MAX_EXTENSIONS = 1;
  /** More than this is no longer an extension but a new request. */
  public static final int MOST_EXTENSIONS = 10;

  public LockboxPolicy(String tenantId, boolean enabled, PolicyScope scope, List<String> environmentIds,
      Instant updatedAt, String updatedBy) {
    this(tenantId, enabled, scope, environmentIds, updatedAt, updatedBy, false, null, DEFAULT_MAX_EXTENSIONS);
  }

  /** Whether a lockbox request must be approved before anyone reaches this environment. */
  public boolean protects(Environment environment) {
    if (!enabled) {
      return false;
    }
    return switch (scope) {
      case ALL -> true;
      case ALL_MANAGED -> environment.managed();
      case SELECTED -> environmentIds.contains(environment.id());
    };
  }

  /** Why {@link #protects} answered as it did, in words an auditor reads. */
  public String explain(Environment environment) {
    if (!enabled) {
      return "lockbox policy is disabled for tenant " + tenantId;
    }
    boolean protectedEnv = protects(environment);
    return switch (scope) {
      case ALL -> "policy covers all environments";
      case ALL_MANAGED -> protectedEnv
          ? "policy covers all managed environments"
          : "environment " + environment.id() + " is not managed";
      case SELECTED -> protectedEnv
          ? "environment " + environment.id() + " is selected by the policy"
          : "environment " + environment.id() + " is not selected by the policy";
    };
  }
}
