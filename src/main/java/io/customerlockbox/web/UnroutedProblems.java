package io.customerlockbox.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Failures that happen before any of our controllers is chosen, where {@link
 * ProblemDetailsHandler} (limited to our controllers) does not reach: they too are answered
 * with problem details instead of a 500 or Spring Boot's own error page.
 */
@RestControllerAdvice
class UnroutedProblems {

  /**
   * A body declared multipart/form-data that does not parse (it used to become a 500). On the
   * error page's dispatch the body is gone: the refusal that led there (a 401 for a deployment
   * without credentials) is the answer.
   */
  @ExceptionHandler(MultipartException.class)
  ProblemDetail unreadableMultipart(MultipartException e, HttpServletRequest request) {
    if (request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer status && status >= 400) {
      return ProblemDetail.forStatus(status);
    }
    return ProblemDetailsHandler.problem(HttpStatus.BAD_REQUEST, null,
        "The body is not valid multipart/form-data; this API takes application/json.");
  }

  /** An API path no endpoint answers, such as an id holding a slash. */
  @ExceptionHandler(NoResourceFoundException.class)
  ProblemDetail noEndpoint(NoResourceFoundException e, HttpServletRequest request) throws NoResourceFoundException {
    if (!request.getRequestURI().startsWith(request.getContextPath() + "/api/")) {
      throw e; // a page: Spring Boot's error page answers, in HTML for a browser
    }
    return ProblemDetailsHandler.problem(HttpStatus.NOT_FOUND, null,
        "No endpoint answers " + request.getMethod() + " " + request.getRequestURI() + ".");
  }
}
