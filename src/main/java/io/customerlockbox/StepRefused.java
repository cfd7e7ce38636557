package io.customerlockbox;

/**
 * A step of the model, or a decision, that the domain's records do not allow now: the wrong
 * status, a deadline passed, a grant without a basis, an instance that is not the request's own.
 * Inside the engine it fails the step (its job goes to an incident an operator sees in Cockpit);
 * the API answers 409. Domain code throws this, never an HTTP type.
 */
public class StepRefused extends RuntimeException {

  public StepRefused(String message) {
    super(message);
  }
}
