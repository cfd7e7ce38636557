package io.customerlockbox.security;

import static org.camunda.bpm.engine.authorization.Authorization.ANY;

import io.customerlockbox.process.ProcessModel;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.ProcessInstancePermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;

/**
 * What each provider and customer role may do in the engine (its REST API, Tasklist, Cockpit): the
 * permission table of docs/security.md, applied at every start by {@link RoleSetup}, which also
 * takes away whatever else the product's groups hold. Camunda administrators are not in the table:
 * they keep every right, and the domain (a grant needs a basis) holds against them too.
 *
 * <p>Per-task rights come from the tasks' candidate groups, with the engine's default permission
 * for tasks set to {@code TASK_WORK} (application.yaml): claim, complete, submit the form; not
 * assign, delegate or write variables.
 */
public final class EnginePermissions {

  /** One authorization: {@code group} holds exactly {@code permissions} on {@code resource}/{@code resourceId}. */
  public record Grant(String group, Resource resource, String resourceId, List<Permission> permissions) {

    static Grant of(String group, Resource resource, String resourceId, Permission... permissions) {
      return new Grant(group, resource, resourceId, List.of(permissions));
    }

    /** The bit mask the engine stores for these permissions. */
    int mask() {
      return permissions.stream().mapToInt(Permission::getValue).reduce(0, (a, b) -> a | b);
    }
  }

  /** The webapps each group opens. */
  static final List<Grant> APPLICATIONS = List.of(
      Grant.of(Groups.SUPPORT_ENGINEERS, Resources.APPLICATION, "tasklist", Permissions.ACCESS),
      Grant.of(Groups.SUPPORT_LEADS, Resources.APPLICATION, "tasklist", Permissions.ACCESS),
      Grant.of(Groups.LOCKBOX_APPROVERS, Resources.APPLICATION, "tasklist", Permissions.ACCESS),
      Grant.of(Groups.TENANT_ADMINS, Resources.APPLICATION, "tasklist", Permissions.ACCESS),
      Grant.of(Groups.BREAK_GLASS, Resources.APPLICATION, "tasklist", Permissions.ACCESS),
      Grant.of(Groups.OPERATORS, Resources.APPLICATION, "cockpit", Permissions.ACCESS));

  /**
   * The engine rights of each group. Engineers start the access request process (the start form;
   * the start's listener checks what the API checks), leads and the customer's approvers read the
   * process their tasks belong to, operators watch everything and retry, suspend and activate, but
   * never move, change, migrate, restart or delete an instance, nor deploy.
   */
  static final List<Grant> ENGINE = List.of(
      Grant.of(Groups.SUPPORT_ENGINEERS, Resources.PROCESS_DEFINITION, ProcessModel.PROCESS_KEY,
          ProcessDefinitionPermissions.READ, ProcessDefinitionPermissions.CREATE_INSTANCE),
      Grant.of(Groups.SUPPORT_ENGINEERS, Resources.PROCESS_INSTANCE, ANY, ProcessInstancePermissions.CREATE),
      Grant.of(Groups.SUPPORT_LEADS, Resources.PROCESS_DEFINITION, ProcessModel.PROCESS_KEY,
          ProcessDefinitionPermissions.READ),
      Grant.of(Groups.LOCKBOX_APPROVERS, Resources.PROCESS_DEFINITION, ProcessModel.PROCESS_KEY,
          ProcessDefinitionPermissions.READ),
      Grant.of(Groups.TENANT_ADMINS, Resources.PROCESS_DEFINITION, ProcessModel.PROCESS_KEY,
          ProcessDefinitionPermissions.READ),
      Grant.of(Groups.OPERATORS, Resources.PROCESS_DEFINITION, ANY, ProcessDefinitionPermissions.READ,
          ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY,
          ProcessDefinitionPermissions.RETRY_JOB, ProcessDefinitionPermissions.SUSPEND_INSTANCE),
      Grant.of(Groups.OPERATORS, Resources.PROCESS_INSTANCE, ANY, ProcessInstancePermissions.READ,
          ProcessInstancePermissions.RETRY_JOB, ProcessInstancePermissions.SUSPEND),
      Grant.of(Groups.OPERATORS, Resources.DECISION_DEFINITION, ANY, Permissions.READ, Permissions.READ_HISTORY),
      Grant.of(Groups.OPERATORS, Resources.DEPLOYMENT, ANY, Permissions.READ));

  /** The groups whose authorizations the table owns: every product group but Camunda's administrators. */
  static final List<String> GOVERNED = Groups.ALL.stream().filter(group -> !Groups.CAMUNDA_ADMIN.equals(group))
      .toList();

  private EnginePermissions() {}

  /** Every grant of the table. */
  static List<Grant> all() {
    return Stream.concat(APPLICATIONS.stream(), ENGINE.stream()).toList();
  }

  static String describe(int resourceType, String resourceId, Permission... permissions) {
    return Arrays.stream(Resources.values()).filter(r -> r.resourceType() == resourceType).findFirst()
        .map(Resources::resourceName).orElse("resource " + resourceType) + " " + resourceId
        + (permissions.length == 0 ? "" : " " + Arrays.toString(permissions));
  }
}
