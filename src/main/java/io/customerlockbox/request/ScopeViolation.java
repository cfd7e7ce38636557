package io.customerlockbox.request;

/** A request that points outside what it may reach; the process rejects it. */
public class ScopeViolation extends Exception {

  public ScopeViolation(String message) {
    super(message);
  }
}
