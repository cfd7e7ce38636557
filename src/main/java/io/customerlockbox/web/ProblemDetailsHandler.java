package io.customerlockbox.web;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.customerlockbox.Refusal;
import io.customerlockbox.StepRefused;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place that turns failures into RFC 9457 problem details. A 400 names the field at
 * fault ({@code field}) and why; nothing internal (stack traces, SQL) ever reaches a body.
 */
@RestControllerAdvice(basePackages = "io.customerlockbox")
public class ProblemDetailsHandler extends ResponseEntityExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemDetailsHandler.class);

  @ExceptionHandler(Refusal.class)
  ProblemDetail refusal(Refusal e) {
    return problem(status(e), e.field(), e.getMessage());
  }

  /** The HTTP answer to a refusal of the domain: one place that knows both. */
  static HttpStatus status(Refusal refusal) {
    return switch (refusal.kind()) {
      case INVALID -> HttpStatus.BAD_REQUEST;
      case NOT_ALLOWED -> HttpStatus.FORBIDDEN;
      case NOT_FOUND -> HttpStatus.NOT_FOUND;
      case CONFLICT -> HttpStatus.CONFLICT;
    };
  }

  /** The domain refused a step: the wrong status, a passed deadline, no basis for a grant. */
  @ExceptionHandler(StepRefused.class)
  ProblemDetail refused(StepRefused e) {
    return problem(HttpStatus.CONFLICT, null, e.getMessage());
  }

  @ExceptionHandler(AuthorizationException.class)
  ProblemDetail forbidden(AuthorizationException e) {
    return problem(HttpStatus.FORBIDDEN, null, e.getMessage());
  }

  /** Two people acted on the same task or timer at once: the loser learns it is decided. */
  @ExceptionHandler({OptimisticLockingException.class, ConcurrencyFailureException.class})
  ProblemDetail concurrent(Exception e) {
    return problem(HttpStatus.CONFLICT, null, "The request changed while you acted on it; reload it and try again.");
  }

  /**
   * The database gave up one of two transactions touching the same rows (PostgreSQL: deadlock
   * 40P01, serialization failure 40001), however deep the engine wrapped it.
   */
  private static boolean isConcurrencyFailure(Throwable cause) {
    return cause instanceof ConcurrencyFailureException
        || cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("40");
  }

  /** Raised by task listeners for bad task input, from Tasklist, the engine REST API and ours alike. */
  @ExceptionHandler(BadUserRequestException.class)
  ProblemDetail badTaskInput(BadUserRequestException e) {
    String message = e.getMessage();
    int colon = message.indexOf(':');
    String field = colon > 0 && message.substring(0, colon).matches("[A-Za-z]+") ? message.substring(0, colon) : null;
    return problem(HttpStatus.BAD_REQUEST, field, message);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
    return problem(HttpStatus.BAD_REQUEST, e.getName(), e.getName() + ": not a valid value");
  }

  /**
   * The engine wraps what task listeners throw (ENGINE-03051); the refusal inside is the answer.
   */
  @ExceptionHandler(ProcessEngineException.class)
  ProblemDetail engine(ProcessEngineException e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof OptimisticLockingException || isConcurrencyFailure(cause)) {
        return concurrent(null);
      }
      if (cause instanceof AuthorizationException authorization) {
        return forbidden(authorization);
      }
      if (cause instanceof BadUserRequestException badInput) {
        return badTaskInput(badInput);
      }
      if (cause instanceof Refusal refusal) {
        return refusal(refusal);
      }
      if (cause instanceof StepRefused refused) {
        return refused(refused);
      }
    }
    return unexpected(e);
  }

  @ExceptionHandler(Exception.class)
  ProblemDetail unexpected(Exception e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof OptimisticLockingException || isConcurrencyFailure(cause)) {
        return concurrent(e);
      }
    }
    LOG.error("Unexpected failure", e);
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, null, "Something went wrong on our side; it has been logged.");
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    List<FieldProblem> errors = e.getBindingResult().getFieldErrors().stream()
        .map(error -> new FieldProblem(error.getField(), error.getDefaultMessage()))
        .sorted((a, b) -> a.field().compareTo(b.field()))
        .toList();
    ProblemDetail body = problem(HttpStatus.BAD_REQUEST, errors.get(0).field(),
        errors.stream().map(p -> p.field() + ": " + p.reason()).collect(Collectors.joining("; ")));
    body.setProperty("errors", errors);
    return ResponseEntity.badRequest().body(body);
  }

  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    var result = e.getParameterValidationResults().get(0);
    String field = result.getMethodParameter().getParameterName();
    String reason = result.getResolvableErrors().get(0).getDefaultMessage();
    return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, field, field + ": " + reason));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    ProblemDetail body;
    // A body cut short fails inside some field, but no field is at fault: the JSON is.
    if (e.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
        && !(mapping.getCause() instanceof StreamReadException)) {
      String field = mapping.getPath().stream()
          .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
          .collect(Collectors.joining("."));
      body = problem(HttpStatus.BAD_REQUEST, field, field + ": " + reason(mapping));
    } else if (e.getCause() instanceof StreamReadException read && read.getMessage().startsWith("Duplicate field")
        && read.getProcessor() != null) {
      // The parser stopped at the second occurrence: the context it was in names the field.
      String field = fieldAt(read.getProcessor().getParsingContext());
      body = problem(HttpStatus.BAD_REQUEST, field, field + ": given twice");
    } else {
      body = problem(HttpStatus.BAD_REQUEST, null, "The body is not valid JSON.");
    }
    return ResponseEntity.badRequest().body(body);
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception e, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    // Spring's own refusals (405, 415, 406...) keep their status and Spring's message, which names
    // what was wrong ("Content-Type 'text/plain' is not supported.") and nothing internal.
    ProblemDetail problem = body instanceof ProblemDetail detail ? detail
        : e instanceof ErrorResponse refusal ? refusal.getBody() : ProblemDetail.forStatus(status);
    return ResponseEntity.status(status).headers(headers).body(problem);
  }

  private static String fieldAt(JsonStreamContext context) {
    List<String> names = new ArrayList<>();
    for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
      names.add(0, at.inArray() ? "[" + at.getCurrentIndex() + "]" : at.getCurrentName());
    }
    return String.join(".", names);
  }

  private static String reason(JsonMappingException e) {
    if (e instanceof UnrecognizedPropertyException) {
      return "unknown field";
    }
    if (e instanceof StrictJson.UnprintableText text) {
      return "text that " + text.problem();
    }
    if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null
        && mismatched.getTargetType().isEnum()) {
      return "must be one of " + List.of(mismatched.getTargetType().getEnumConstants());
    }
    if (e instanceof InvalidFormatException invalid) {
      Class<?> type = invalid.getTargetType();
      if (type != null && type.isEnum()) {
        return "must be one of " + List.of(type.getEnumConstants());
      }
      return "must be a " + (type == null ? "valid value" : simpleType(type));
    }
    if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
      return "must be a " + simpleType(mismatched.getTargetType());
    }
    return "not a valid value";
  }

  private static String simpleType(Class<?> type) {
    if (type == Boolean.class || type == boolean.class) {
      return "boolean (true or false)";
    }
    if (type == String.class) {
      return "string";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "number";
    }
    if (Iterable.class.isAssignableFrom(type) || type.isArray()) {
      return "list";
    }
    return "object";
  }

  static ProblemDetail problem(HttpStatus status, String field, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    if (field != null) {
      problem.setProperty("field", field);
    }
    return problem;
  }

  record FieldProblem(String field, String reason) {}
}
