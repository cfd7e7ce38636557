package io.customerlockbox.policy;

import java.time.Instant;
import java.util.List;

/** {@code maxExtensions}: how many times the engineer may ask for more time for one access (default 1). */
public record LockboxPolicy(
    String tenantId, boolean enabled, PolicyScope scope, List<String> environmentIds,
    Instant updatedAt, String updatedBy, int maxExtensions) {

  public static final int DEFAULT_MAX_EXTENSIONS = 1;
  /** More than this is no longer an extension but a new request. */
  public static final int MOST_EXTENSIONS = 10;

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
