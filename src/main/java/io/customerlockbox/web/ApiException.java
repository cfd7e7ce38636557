package io.customerlockbox.web;

import org.springframework.http.HttpStatus;

/** A refusal the API answers with a problem detail; {@code field} names the input at fault, if any. */
public class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String field;

  public ApiException(HttpStatus status, String field, String message) {
    super(message);
    this.status = status;
    this.field = field;
  }

  public static ApiException badRequest(String field, String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, field, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(HttpStatus.NOT_FOUND, null, message);
  }

  public static ApiException conflict(String message) {
    return new ApiException(HttpStatus.CONFLICT, null, message);
  }

  public static ApiException forbidden(String message) {
    return new ApiException(HttpStatus.FORBIDDEN, null, message);
  }

  public HttpStatus status() {
    return status;
  }

  public String field() {
    return field;
  }
}
