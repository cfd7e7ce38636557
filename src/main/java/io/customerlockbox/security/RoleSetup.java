package io.customerlockbox.security;

import static org.camunda.bpm.engine.authorization.Authorization.ANY;
import static org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT;

import io.customerlockbox.process.ProcessModel;
import io.customerlockbox.security.EnginePermissions.Grant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.authorization.TaskPermissions;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.impl.persistence.entity.AuthorizationEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates the product's groups, what each may do in the Camunda webapps and engine REST API
 * ({@link EnginePermissions}, exactly: a database holding broader rights from an earlier version is
 * narrowed) and the ready Tasklist filters. Idempotent: every start checks before it creates.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RoleSetup implements ApplicationRunner {

  private static final Logger LOG = LoggerFactory.getLogger(RoleSetup.class);

  static final String LOCKBOX_FILTER = "Lockbox requests for my tenant";
  static final String INTERNAL_FILTER = "Internal approvals";

  private final IdentityService identityService;
  private final AuthorizationService authorizationService;
  private final FilterService filterService;
  private final TaskService taskService;

  RoleSetup(IdentityService identityService, AuthorizationService authorizationService,
      FilterService filterService, TaskService taskService) {
    this.identityService = identityService;
    this.authorizationService = authorizationService;
    this.filterService = filterService;
    this.taskService = taskService;
  }

  @Override
  @Transactional
  public void run(ApplicationArguments args) {
    Groups.ALL.forEach(this::ensureGroup);
    List<Grant> table = new ArrayList<>(EnginePermissions.all());
    table.addAll(ensureFilter(LOCKBOX_FILTER, ProcessModel.CUSTOMER_APPROVAL_TASK, -10,
        List.of(Groups.LOCKBOX_APPROVERS, Groups.TENANT_ADMINS)));
    table.addAll(ensureFilter(INTERNAL_FILTER, ProcessModel.INTERNAL_APPROVAL_TASK, -5, List.of(Groups.SUPPORT_LEADS)));
    table.forEach(this::apply);
    removeWhatTheTableDoesNotGive(table);
    narrowTaskRights();
  }

  private void ensureGroup(String id) {
    if (identityService.createGroupQuery().groupId(id).count() == 0) {
      Group group = identityService.newGroup(id);
      group.setName(id);
      group.setType(Groups.CAMUNDA_ADMIN.equals(id) ? "SYSTEM" : "WORKFLOW");
      identityService.saveGroup(group);
    }
  }

  /** Gives {@code grant}'s group exactly its permissions: a broader grant of an earlier version is narrowed. */
  private void apply(Grant grant) {
    List<Authorization> existing = authorizationService.createAuthorizationQuery().groupIdIn(grant.group())
        .authorizationType(AUTH_TYPE_GRANT).resourceType(grant.resource()).resourceId(grant.resourceId()).list();
    if (existing.isEmpty()) {
      Authorization authorization = authorizationService.createNewAuthorization(AUTH_TYPE_GRANT);
      authorization.setGroupId(grant.group());
      authorization.setResource(grant.resource());
      authorization.setResourceId(grant.resourceId());
      authorization.setPermissions(grant.permissions().toArray(Permission[]::new));
      authorizationService.saveAuthorization(authorization);
      return;
    }
    for (Authorization authorization : existing) {
      if (((AuthorizationEntity) authorization).getPermissions() != grant.mask()) {
        LOG.warn("Narrowing the engine rights of group {} on {} to {}", grant.group(),
            EnginePermissions.describe(authorization.getResourceType(), grant.resourceId()), grant.permissions());
        authorization.setPermissions(grant.permissions().toArray(Permission[]::new));
        authorizationService.saveAuthorization(authorization);
      }
    }
  }

  /**
   * The product's groups hold what the table gives and nothing else: an earlier version's (or a
   * hand-made) grant of more is removed. Kept: what the engine gives a group itself, on one task
   * (its candidate groups; narrowed below) and on the group, and filters shared with a group.
   */
  private void removeWhatTheTableDoesNotGive(List<Grant> table) {
    for (String group : EnginePermissions.GOVERNED) {
      for (Authorization authorization : authorizationService.createAuthorizationQuery().groupIdIn(group)
          .authorizationType(AUTH_TYPE_GRANT).list()) {
        int type = authorization.getResourceType();
        String id = authorization.getResourceId();
        boolean declared = table.stream().anyMatch(grant -> grant.group().equals(group)
            && grant.resource().resourceType() == type && grant.resourceId().equals(id));
        boolean engineOwn = !ANY.equals(id) && (type == Resources.TASK.resourceType()
            || type == Resources.HISTORIC_TASK.resourceType() || type == Resources.FILTER.resourceType()
            || type == Resources.GROUP.resourceType() && group.equals(id));
        if (!declared && !engineOwn) {
          LOG.warn("Removing the engine rights of group {} on {}: the product's permission table does not give them",
              group, EnginePermissions.describe(type, id));
          authorizationService.deleteAuthorization(authorization.getId());
        }
      }
    }
  }

  /**
   * Tasks created by an earlier version gave their candidate groups and assignees UPDATE, which
   * also writes variables and hands the task to someone else: now they may work on it, no more.
   */
  private void narrowTaskRights() {
    for (Authorization authorization : authorizationService.createAuthorizationQuery()
        .authorizationType(AUTH_TYPE_GRANT).resourceType(Resources.TASK).hasPermission(Permissions.UPDATE).list()) {
      if (ANY.equals(authorization.getResourceId())) {
        continue;
      }
      authorization.setPermissions(new Permission[] {Permissions.READ, TaskPermissions.TASK_WORK});
      authorizationService.saveAuthorization(authorization);
    }
  }

  /** The filter, created once; answers the grants that let {@code groups} use it. */
  private List<Grant> ensureFilter(String name, String taskDefinitionKey, int priority, List<String> groups) {
    Filter filter = filterService.createFilterQuery().filterName(name).singleResult();
    if (filter == null) {
      // Engine authorizations and tenant checks narrow the list to the tasks the user may see.
      filter = filterService.newTaskFilter(name)
          .setQuery(taskService.createTaskQuery().taskDefinitionKey(taskDefinitionKey))
          .setProperties(Map.of("priority", priority, "description", name));
      filterService.saveFilter(filter);
    }
    String id = filter.getId();
    return groups.stream().map(group -> Grant.of(group, Resources.FILTER, id, Permissions.READ)).toList();
  }
}
