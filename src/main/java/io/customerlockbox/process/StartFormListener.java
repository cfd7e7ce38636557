package io.customerlockbox.process;

import io.customerlockbox.Refusal;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestLifecycle;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.NewAccessRequest;
import io.customerlockbox.security.IdentityDirectory;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/**
 * Every start of the access-request process passes here. The API's own start (in this thread,
 * for the request it has just stored) binds the instance to that request. Any other start (Tasklist's
 * start form, the engine REST API) files a new request with the same checks as
 * {@code POST /api/access-requests}, for the signed-in engineer; whatever ids or flags it carried
 * ({@code breakGlass}, ...) are replaced by the new request's; one that names a request
 * ({@code accessRequestId} or a business key) is refused, with a security event naming who tried.
 * A refusal rolls the start back and Tasklist shows why.
 */
@Component("startFormListener")
class StartFormListener implements ExecutionListener {

  private final AccessRequestService requests;
  private final AccessRequestLifecycle lifecycle;
  private final IdentityDirectory directory;
  private final Validator validator;

  StartFormListener(AccessRequestService requests, AccessRequestLifecycle lifecycle, IdentityDirectory directory,
      Validator validator) {
    this.requests = requests;
    this.lifecycle = lifecycle;
    this.directory = directory;
    this.validator = validator;
  }

  @Override
  public void notify(DelegateExecution execution) {
    if (requests.bindStartingInstance(execution.getProcessInstanceId()).isPresent()) {
      return;
    }
    var authentication = execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    if (authentication == null || authentication.getUserId() == null) {
      throw new BadUserRequestException("Sign in as a support engineer to file an access request.");
    }
    Object claimed = execution.getVariable(ProcessModel.ACCESS_REQUEST_ID);
    if (claimed != null || execution.getProcessBusinessKey() != null) {
      // Only the application's own start works for a stored request; a start from outside that
      // names one is an attempt to steer it, refused and recorded against the person who tried.
      lifecycle.refuseStartFromOutside(claimed != null ? String.valueOf(claimed) : execution.getProcessBusinessKey(),
          execution.getProcessInstanceId(), authentication.getUserId());
    }
    NewAccessRequest in = new NewAccessRequest(text(execution, ProcessModel.TENANT_ID),
        text(execution, ProcessModel.ENVIRONMENT_ID), text(execution, ProcessModel.SUPPORT_TICKET_ID),
        text(execution, ProcessModel.JUSTIFICATION), accessLevel(execution),
        flag(execution, ProcessModel.ISOLATED_IDENTITY), flag(execution, ProcessModel.MFA_VERIFIED), null, null);
    Set<ConstraintViolation<NewAccessRequest>> violations = validator.validate(in);
    if (!violations.isEmpty()) {
      throw new BadUserRequestException(violations.stream()
          .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
          .map(v -> v.getPropertyPath() + ": " + v.getMessage()).collect(Collectors.joining("; ")));
    }
    try {
      var variables = requests.fileFromStartForm(in, directory.load(authentication.getUserId()),
          execution.getProcessInstanceId());
      execution.setVariables(variables);
      execution.setProcessBusinessKey((String) variables.get(ProcessModel.ACCESS_REQUEST_ID));
    } catch (Refusal e) {
      throw new BadUserRequestException(e.getMessage());
    }
  }

  private static String text(DelegateExecution execution, String name) {
    Object value = execution.getVariable(name);
    return value instanceof String s && !s.isBlank() ? s.strip() : null;
  }

  private static Boolean flag(DelegateExecution execution, String name) {
    Object value = execution.getVariable(name);
    return value instanceof Boolean b ? b : Boolean.FALSE;
  }

  private static AccessLevel accessLevel(DelegateExecution execution) {
    String level = text(execution, ProcessModel.ACCESS_LEVEL);
    try {
      return level == null ? null : AccessLevel.valueOf(level);
    } catch (IllegalArgumentException e) {
      throw new BadUserRequestException("accessLevel: READ, WRITE or ADMIN");
    }
  }
}
