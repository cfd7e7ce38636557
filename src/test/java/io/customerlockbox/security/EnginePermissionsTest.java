package io.customerlockbox.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.authorization.Authorization.ANY;
import static org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT;

import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.process.ProcessModel;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestView;
import java.util.List;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.ProcessInstancePermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.authorization.TaskPermissions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The permission table of docs/security.md in the engine: what each role may do, and that a
 * database holding the broader rights of an earlier version is narrowed at start.
 */
class EnginePermissionsTest extends ApplicationTest {

  @Autowired AuthorizationService authorizations;
  @Autowired IdentityService identity;
  @Autowired RoleSetup roleSetup;
  @Autowired AccessRequestService requests;

  @Test
  void operatorsReadRetryAndSuspendButNeverMoveChangeOrDeleteAnInstance() {
    assertAllowed("operator", Resources.PROCESS_DEFINITION, ProcessModel.PROCESS_KEY,
        ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY,
        ProcessDefinitionPermissions.RETRY_JOB, ProcessDefinitionPermissions.SUSPEND_INSTANCE);
    assertAllowed("operator", Resources.PROCESS_INSTANCE, "any-instance", ProcessInstancePermissions.RETRY_JOB,
        ProcessInstancePermissions.SUSPEND, ProcessInstancePermissions.READ);
    assertRefused("operator", Resources.PROCESS_DEFINITION, ProcessModel.PROCESS_KEY,
        ProcessDefinitionPermissions.UPDATE_INSTANCE, ProcessDefinitionPermissions.DELETE_INSTANCE,
        ProcessDefinitionPermissions.MIGRATE_INSTANCE, ProcessDefinitionPermissions.UPDATE_INSTANCE_VARIABLE,
        ProcessDefinitionPermissions.CREATE_INSTANCE, ProcessDefinitionPermissions.UPDATE_TASK,
        ProcessDefinitionPermissions.TASK_WORK);
    assertRefused("operator", Resources.PROCESS_INSTANCE, "any-instance", ProcessInstancePermissions.UPDATE,
        ProcessInstancePermissions.UPDATE_VARIABLE, ProcessInstancePermissions.DELETE);
    assertRefused("operator", Resources.DEPLOYMENT, ANY, Permissions.CREATE, Permissions.DELETE);
  }

  @Test
  void engineersOnlyStartTheProcessAndNobodyButAdministratorsDeploys() {
    assertAllowed("engineer", Resources.PROCESS_DEFINITION, ProcessModel.PROCESS_KEY,
        ProcessDefinitionPermissions.CREATE_INSTANCE);
    assertRefused("engineer", Resources.PROCESS_DEFINITION, ProcessModel.PROCESS_KEY,
        ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.UPDATE_INSTANCE,
        ProcessDefinitionPermissions.READ_HISTORY, ProcessDefinitionPermissions.UPDATE_TASK);
    assertRefused("engineer", Resources.PROCESS_DEFINITION, ProcessModel.NOTIFICATION_PROCESS_KEY,
        ProcessDefinitionPermissions.CREATE_INSTANCE);
    for (String user : List.of("engineer", "lead", "oncall", "operator", "dataplane", "contoso-approver",
        "contoso-admin", "contoso-auditor")) {
      assertRefused(user, Resources.DEPLOYMENT, ANY, Permissions.CREATE);
      assertRefused(user, Resources.PROCESS_INSTANCE, "any-instance", ProcessInstancePermissions.UPDATE);
      assertRefused(user, Resources.AUTHORIZATION, ANY, Permissions.CREATE);
    }
    assertAllowed("admin", Resources.DEPLOYMENT, ANY, Permissions.CREATE);
    assertAllowed("admin", Resources.PROCESS_INSTANCE, "any-instance", ProcessInstancePermissions.UPDATE);
  }

  /** A task gives its candidates work on it, not its variables or handing it on. */
  @Test
  void aLeadWorksOnTheInternalTaskButDoesNotWriteItsVariablesOrHandItOn() {
    var tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.WRITE),
        fixtures.as("engineer"));
    jobs.executeDueJobs(request.processInstanceId());
    String task = taskService.createTaskQuery().processInstanceId(request.processInstanceId()).singleResult().getId();
    assertAllowed("lead", Resources.TASK, task, Permissions.READ, TaskPermissions.TASK_WORK);
    assertRefused("lead", Resources.TASK, task, Permissions.UPDATE, TaskPermissions.UPDATE_VARIABLE,
        TaskPermissions.TASK_ASSIGN);
  }

  /**
   * An earlier version gave operators UPDATE on every instance, and someone gave the engineers
   * deployments, the leads the authorizations and a task's candidates UPDATE: the next start takes
   * all of it back.
   */
  @Test
  void theRightsOfAnEarlierVersionAreNarrowedAtStart() {
    var tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.WRITE),
        fixtures.as("engineer"));
    jobs.executeDueJobs(request.processInstanceId());
    String task = taskService.createTaskQuery().processInstanceId(request.processInstanceId()).singleResult().getId();

    widen(Groups.OPERATORS, Resources.PROCESS_INSTANCE, ANY, Permissions.READ, Permissions.UPDATE);
    widen(Groups.OPERATORS, Resources.PROCESS_DEFINITION, ANY, ProcessDefinitionPermissions.READ,
        ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY,
        ProcessDefinitionPermissions.UPDATE_INSTANCE);
    widen(Groups.SUPPORT_ENGINEERS, Resources.DEPLOYMENT, ANY, Permissions.CREATE);
    widen(Groups.SUPPORT_LEADS, Resources.AUTHORIZATION, ANY, Permissions.ALL);
    widen(Groups.SUPPORT_LEADS, Resources.TASK, task, Permissions.READ, Permissions.UPDATE);
    assertAllowed("operator", Resources.PROCESS_INSTANCE, "any-instance", ProcessInstancePermissions.UPDATE);
    assertAllowed("engineer", Resources.DEPLOYMENT, ANY, Permissions.CREATE);
    assertAllowed("lead", Resources.TASK, task, Permissions.UPDATE);

    roleSetup.run(null);

    assertRefused("operator", Resources.PROCESS_INSTANCE, "any-instance", ProcessInstancePermissions.UPDATE);
    assertRefused("operator", Resources.PROCESS_DEFINITION, ProcessModel.PROCESS_KEY,
        ProcessDefinitionPermissions.UPDATE_INSTANCE);
    assertAllowed("operator", Resources.PROCESS_INSTANCE, "any-instance", ProcessInstancePermissions.RETRY_JOB,
        ProcessInstancePermissions.SUSPEND);
    assertRefused("engineer", Resources.DEPLOYMENT, ANY, Permissions.CREATE);
    assertRefused("lead", Resources.AUTHORIZATION, ANY, Permissions.CREATE);
    assertRefused("lead", Resources.TASK, task, Permissions.UPDATE);
    assertAllowed("lead", Resources.TASK, task, TaskPermissions.TASK_WORK);
    // A second start finds nothing to change.
    long before = authorizations.createAuthorizationQuery().count();
    roleSetup.run(null);
    assertThat(authorizations.createAuthorizationQuery().count()).isEqualTo(before);
  }

  /** Adds {@code permissions} to the group's grant on the resource, as an earlier version or a person might have. */
  private void widen(String group, Resource resource, String resourceId, Permission... permissions) {
    Authorization authorization = authorizations.createAuthorizationQuery().groupIdIn(group)
        .authorizationType(AUTH_TYPE_GRANT).resourceType(resource).resourceId(resourceId).list().stream().findFirst()
        .orElseGet(() -> {
          Authorization created = authorizations.createNewAuthorization(AUTH_TYPE_GRANT);
          created.setGroupId(group);
          created.setResource(resource);
          created.setResourceId(resourceId);
          return created;
        });
    for (Permission permission : permissions) {
      authorization.addPermission(permission);
    }
    authorizations.saveAuthorization(authorization);
  }

  private void assertAllowed(String user, Resource resource, String resourceId, Permission... permissions) {
    for (Permission permission : permissions) {
      assertThat(authorized(user, permission, resource, resourceId))
          .as(user + " " + permission.getName() + " on " + resource.resourceName() + " " + resourceId).isTrue();
    }
  }

  private void assertRefused(String user, Resource resource, String resourceId, Permission... permissions) {
    for (Permission permission : permissions) {
      assertThat(authorized(user, permission, resource, resourceId))
          .as(user + " " + permission.getName() + " on " + resource.resourceName() + " " + resourceId).isFalse();
    }
  }

  private boolean authorized(String user, Permission permission, Resource resource, String resourceId) {
    List<String> groups = identity.createGroupQuery().groupMember(user).list().stream().map(g -> g.getId()).toList();
    return authorizations.isUserAuthorized(user, groups, permission, resource, resourceId);
  }
}
