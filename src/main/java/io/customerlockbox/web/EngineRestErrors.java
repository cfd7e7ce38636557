package io.customerlockbox.web;

import io.customerlockbox.Refusal;
import io.customerlockbox.StepRefused;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.rest.exception.ExceptionHandlerHelper;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error answers of the engine REST API. The engine wraps what a task listener throws
 * (ENGINE-03051), which Camunda answers with 500; the refusal inside is the real answer, as in
 * {@link ProblemDetailsHandler}. Anything still a 500 is logged and answered without its message.
 */
class EngineRestErrors implements ExceptionMapper<Throwable> {

  private static final Logger LOG = LoggerFactory.getLogger(EngineRestErrors.class);
  private static final ExceptionHandlerHelper CAMUNDA = ExceptionHandlerHelper.getInstance();

  @Override
  public Response toResponse(Throwable failure) {
    Throwable answer = refusalInside(failure);
    if (answer instanceof Refusal refusal) {
      return json(ProblemDetailsHandler.status(refusal).value(), "Refused", refusal.getMessage());
    }
    if (answer instanceof StepRefused refused) {
      return json(409, "Refused", refused.getMessage());
    }
    if (isTenantRefusal(answer)) {
      return json(403, "AuthorizationException", "You are not a member of the tenant this belongs to.");
    }
    Response.Status status = CAMUNDA.getStatus(answer);
    if (status.getFamily() == Response.Status.Family.SERVER_ERROR) {
      LOG.error("Unexpected failure in the engine REST API", failure);
      return json(status.getStatusCode(), "ServerError", "Something went wrong on our side; it has been logged.");
    }
    return CAMUNDA.getResponse(answer);
  }

  /**
   * The refusal a failure stands for: the engine wraps listener exceptions, and Camunda's resources
   * wrap engine exceptions in a RestException answering 500 ("Cannot complete task ...").
   */
  private static Throwable refusalInside(Throwable failure) {
    if (failure instanceof AuthorizationException || failure instanceof BadUserRequestException) {
      return failure;
    }
    boolean wrapper = failure instanceof RestException rest ? rest.getStatus() == null
        || rest.getStatus().getFamily() == Response.Status.Family.SERVER_ERROR : failure instanceof ProcessEngineException;
    if (!wrapper) {
      return failure;
    }
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof AuthorizationException || cause instanceof BadUserRequestException
          || cause instanceof Refusal || cause instanceof StepRefused || isTenantRefusal(cause)) {
        return cause;
      }
    }
    return failure;
  }

  /**
   * The engine's tenant check refuses with a plain ProcessEngineException that only its code
   * tells apart (ENGINE-13034 "... belongs to no authenticated tenant").
   */
  private static boolean isTenantRefusal(Throwable failure) {
    return failure instanceof ProcessEngineException && failure.getMessage() != null
        && failure.getMessage().startsWith("ENGINE-13034");
  }

  private static Response json(int status, String type, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
        .entity(Map.of("type", type, "message", message)).build();
  }
}
