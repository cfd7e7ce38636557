package io.customerlockbox;

/**
 * A command the domain refuses, and why, in the domain's own terms: bad input (naming the field at
 * fault), a person who may not do it, something that does not exist for them, or a state that
 * does not allow it. The web layer answers it with a problem detail (400, 403, 404, 409); inside
 * the engine a listener turns it into the message Tasklist shows. Domain code throws this, never
 * an HTTP type.
 */
public class Refusal extends RuntimeException {

  public enum Kind { INVALID, NOT_ALLOWED, NOT_FOUND, CONFLICT }

  private final Kind kind;
  private final String field;

  public Refusal(Kind kind, String field, String message) {
    super(message);
    this.kind = kind;
    this.field = field;
  }

  public static Refusal invalid(String field, String message) {
    return new Refusal(Kind.INVALID, field, message);
  }

  public static Refusal notFound(String message) {
    return new Refusal(Kind.NOT_FOUND, null, message);
  }

  public static Refusal conflict(String message) {
    return new Refusal(Kind.CONFLICT, null, message);
  }

  public static Refusal notAllowed(String message) {
    return new Refusal(Kind.NOT_ALLOWED, null, message);
  }

  public Kind kind() {
    return kind;
  }

  public String field() {
    return field;
  }
}
