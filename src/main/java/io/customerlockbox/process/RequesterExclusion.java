package io.customerlockbox.process;

import static org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_REVOKE;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.authorization.TaskPermissions;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.springframework.stereotype.Component;

/**
 * Separation of duties in the engine itself: the requester's own permissions on a decision task
 * are revoked, so Tasklist and the engine REST API refuse them even when they hold an approver
 * group. A user's revoke outranks their groups' grants; the engine drops it with the task.
 */
@Component
class RequesterExclusion {

  private final AuthorizationService authorizationService;

  RequesterExclusion(AuthorizationService authorizationService) {
    this.authorizationService = authorizationService;
  }

  void exclude(DelegateTask task, String requester) {
    Authorization revoke = authorizationService.createNewAuthorization(AUTH_TYPE_REVOKE);
    revoke.setUserId(requester);
    revoke.setResource(Resources.TASK);
    revoke.setResourceId(task.getId());
    revoke.removePermission(Permissions.UPDATE);
    revoke.removePermission(TaskPermissions.TASK_WORK);
    revoke.removePermission(TaskPermissions.TASK_ASSIGN);
    revoke.removePermission(TaskPermissions.UPDATE_VARIABLE);
    authorizationService.saveAuthorization(revoke);
  }
}
