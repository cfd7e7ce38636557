package io.customerlockbox.security;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.Tenant;
import org.camunda.bpm.engine.identity.User;
import org.springframework.stereotype.Component;

/** Reads people, groups and tenants from Camunda's identity service. */
@Component
public class IdentityDirectory {

  private final IdentityService identityService;

  public IdentityDirectory(IdentityService identityService) {
    this.identityService = identityService;
  }

  public boolean checkPassword(String userId, String password) {
    return identityService.checkPassword(userId, password);
  }

  public LockboxUser load(String userId) {
    Set<String> groups = identityService.createGroupQuery().groupMember(userId).list().stream()
        .map(Group::getId).collect(Collectors.toCollection(LinkedHashSet::new));
    Set<String> tenants = identityService.createTenantQuery().userMember(userId).includingGroupsOfUser(true)
        .list().stream().map(Tenant::getId).collect(Collectors.toCollection(LinkedHashSet::new));
    return new LockboxUser(userId, Set.copyOf(groups), Set.copyOf(tenants));
  }

  /** The people who may decide tenant {@code tenantId}'s lockbox requests when no rule names others. */
  public List<User> approversOf(String tenantId) {
    return membersOf(tenantId, List.of(Groups.LOCKBOX_APPROVERS, Groups.TENANT_ADMINS));
  }

  /**
   * Who hears of a request nobody answered besides its approvers: the tenant's admins and the
   * members of {@code escalationGroup} (may be null) who belong to the tenant.
   */
  public List<User> escalationOf(String tenantId, String escalationGroup) {
    return membersOf(tenantId, Stream.of(Groups.TENANT_ADMINS, escalationGroup).filter(Objects::nonNull).toList());
  }

  /** The members of any of {@code groups} who belong to tenant {@code tenantId}, each once, in the groups' order. */
  public List<User> membersOf(String tenantId, List<String> groups) {
    Set<String> seen = new LinkedHashSet<>();
    return groups.stream()
        .flatMap(group -> identityService.createUserQuery().memberOfGroup(group).memberOfTenant(tenantId).list().stream())
        .filter(user -> seen.add(user.getId()))
        .toList();
  }

  public User user(String userId) {
    return identityService.createUserQuery().userId(userId).singleResult();
  }

  /**
   * Runs {@code work} as {@code user} in the engine, so its authorizations, tenant checks and task
   * listeners see the same person Tasklist would.
   */
  public <T> T asEngineUser(LockboxUser user, Supplier<T> work) {
    identityService.setAuthentication(user.id(), List.copyOf(user.groups()), List.copyOf(user.tenantIds()));
    try {
      return work.get();
    } finally {
      identityService.clearAuthentication();
    }
  }
}
