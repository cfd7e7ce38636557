package io.customerlockbox.security;

import java.util.Set;

/** An authenticated person: their Camunda groups and the customer tenants they belong to. */
public record LockboxUser(String id, Set<String> groups, Set<String> tenantIds) {

  public boolean inGroup(String group) {
    return groups.contains(group);
  }

  public boolean isAdmin() {
    return inGroup(Groups.CAMUNDA_ADMIN);
  }

  /** A member of tenant {@code tenantId} holding one of {@code groups} there. */
  public boolean actsFor(String tenantId, String... anyOfGroups) {
    if (!tenantIds.contains(tenantId)) {
      return false;
    }
    for (String group : anyOfGroups) {
      if (inGroup(group)) {
        return true;
      }
    }
    return false;
  }
}
