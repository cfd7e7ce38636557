package io.customerlockbox.request;

import org.camunda.bpm.engine.BadUserRequestException;

/** What an approver answers; Tasklist forms and the API submit the same values. */
public enum Decision {
  APPROVE, DENY;

  /** A denial says why: the one rule the task's listener (Tasklist), the API and the page apply. */
  public boolean lacksReason(String comment) {
    return this == DENY && (comment == null || comment.isBlank());
  }

  /** Reads a submitted task variable; a missing or odd value is refused as bad input. */
  public static Decision of(Object value, String variable) {
    if (value instanceof String text) {
      for (Decision decision : values()) {
        if (decision.name().equals(text)) {
          return decision;
        }
      }
    }
    throw new BadUserRequestException(variable + ": must be APPROVE or DENY");
  }
}
