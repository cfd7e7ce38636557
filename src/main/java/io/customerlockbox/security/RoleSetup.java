package io.customerlockbox.security;

import static org.camunda.bpm.engine.authorization.Authorization.ANY;
import static org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT;

import io.customerlockbox.process.ProcessModel;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.Group;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates the product's groups, what each may do in the Camunda webapps and engine REST API, and
 * the ready Tasklist filters. Idempotent: every start checks before it creates.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RoleSetup implements ApplicationRunner {

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

    for (String group : List.of(Groups.SUPPORT_ENGINEERS, Groups.SUPPORT_LEADS, Groups.LOCKBOX_APPROVERS,
        Groups.TENANT_ADMINS, Groups.BREAK_GLASS)) {
      grant(group, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
    }
    for (String group : List.of(Groups.SUPPORT_LEADS, Groups.LOCKBOX_APPROVERS, Groups.TENANT_ADMINS)) {
      grant(group, Resources.PROCESS_DEFINITION, ProcessModel.PROCESS_KEY, ProcessDefinitionPermissions.READ);
    }
    // Engineers file requests with the start form in Tasklist (the start event's listener stores the request).
    grant(Groups.SUPPORT_ENGINEERS, Resources.PROCESS_DEFINITION, ProcessModel.PROCESS_KEY,
        ProcessDefinitionPermissions.READ, ProcessDefinitionPermissions.CREATE_INSTANCE);
    grant(Groups.SUPPORT_ENGINEERS, Resources.PROCESS_INSTANCE, ANY, Permissions.CREATE);
    grant(Groups.OPERATORS, Resources.APPLICATION, "cockpit", Permissions.ACCESS);
    grant(Groups.OPERATORS, Resources.PROCESS_DEFINITION, ANY, ProcessDefinitionPermissions.READ,
        ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY,
        ProcessDefinitionPermissions.UPDATE_INSTANCE);
    grant(Groups.OPERATORS, Resources.PROCESS_INSTANCE, ANY, Permissions.READ, Permissions.UPDATE);
    grant(Groups.OPERATORS, Resources.DECISION_DEFINITION, ANY, Permissions.READ, Permissions.READ_HISTORY);
    grant(Groups.OPERATORS, Resources.DEPLOYMENT, ANY, Permissions.READ);

    ensureFilter(LOCKBOX_FILTER, ProcessModel.CUSTOMER_APPROVAL_TASK, -10,
        List.of(Groups.LOCKBOX_APPROVERS, Groups.TENANT_ADMINS));
    ensureFilter(INTERNAL_FILTER, ProcessModel.INTERNAL_APPROVAL_TASK, -5, List.of(Groups.SUPPORT_LEADS));
  }

  private void ensureGroup(String id) {
    if (identityService.createGroupQuery().groupId(id).count() == 0) {
      Group group = identityService.newGroup(id);
      group.setName(id);
      group.setType(Groups.CAMUNDA_ADMIN.equals(id) ? "SYSTEM" : "WORKFLOW");
      identityService.saveGroup(group);
    }
  }

  private void grant(String group, Resource resource, String resourceId, Permission... permissions) {
    boolean exists = authorizationService.createAuthorizationQuery()
        .groupIdIn(group).resourceType(resource).resourceId(resourceId).count() > 0;
    if (!exists) {
      Authorization authorization = authorizationService.createNewAuthorization(AUTH_TYPE_GRANT);
      authorization.setGroupId(group);
      authorization.setResource(resource);
      authorization.setResourceId(resourceId);
      for (Permission permission : permissions) {
        authorization.addPermission(permission);
      }
      authorizationService.saveAuthorization(authorization);
    }
  }

  private void ensureFilter(String name, String taskDefinitionKey, int priority, List<String> groups) {
    Filter filter = filterService.createFilterQuery().filterName(name).singleResult();
    if (filter == null) {
      // Engine authorizations and tenant checks narrow the list to the tasks the user may see.
      filter = filterService.newTaskFilter(name)
          .setQuery(taskService.createTaskQuery().taskDefinitionKey(taskDefinitionKey))
          .setProperties(Map.of("priority", priority, "description", name));
      filterService.saveFilter(filter);
    }
    for (String group : groups) {
      grant(group, Resources.FILTER, filter.getId(), Permissions.READ);
    }
  }
}
