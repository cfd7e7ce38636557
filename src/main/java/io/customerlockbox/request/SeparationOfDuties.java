package io.customerlockbox.request;

import org.camunda.bpm.engine.AuthorizationException;

/**
 * Whoever asked for access never decides on it. Checked where decisions are recorded, so
 * Tasklist, the engine REST API and our API are held to the same rule.
 */
final class SeparationOfDuties {

  private SeparationOfDuties() {}

  static void ensureMayDecide(AccessRequest request, String decidedBy) {
    if (decidedBy == null) {
      throw new AuthorizationException("A decision needs an authenticated user.");
    }
    if (decidedBy.equals(request.requestedBy())) {
      throw new AuthorizationException("User " + decidedBy + " requested this access and cannot decide on it.");
    }
  }
}
