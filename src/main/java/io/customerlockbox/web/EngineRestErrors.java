package io.customerlockbox.web;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.rest.exception.ExceptionHandlerHelper;
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
    if (answer instanceof ApiException api) {
      return json(api.status().value(), "Refused", api.getMessage());
    }
    Response.Status status = CAMUNDA.getStatus(answer);
    if (status.getFamily() == Response.Status.Family.SERVER_ERROR) {
      LOG.error("Unexpected failure in the engine REST API", failure);
      return json(status.getStatusCode(), "ServerError", "Something went wrong on our side; it has been logged.");
    }
    return CAMUNDA.getResponse(answer);
  }

  private static Throwable refusalInside(Throwable failure) {
    if (!(failure instanceof ProcessEngineException) || failure instanceof AuthorizationException
        || failure instanceof BadUserRequestException) {
      return failure;
    }
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof AuthorizationException || cause instanceof BadUserRequestException
          || cause instanceof ApiException) {
        return cause;
      }
    }
    return failure;
  }

  private static Response json(int status, String type, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
        .entity(Map.of("type", type, "message", message)).build();
  }
}
