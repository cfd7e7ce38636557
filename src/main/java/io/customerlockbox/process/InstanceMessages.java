package io.customerlockbox.process;

import io.customerlockbox.Refusal;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.RuntimeService;

/**
 * Tells a request's process instance what the domain has just recorded (the engineer's release,
 * an ask for more time, the customer's revocation), in the same transaction. An instance that does
 * not wait for the message (access ended meanwhile, or a model version without that branch) is the
 * caller's conflict, and the whole call, the domain's record included, rolls back.
 */
public final class InstanceMessages {

  private InstanceMessages() {
  }

  public static void tell(RuntimeService runtimeService, String message, String processInstanceId,
      String whenNoneWaits) {
    try {
      runtimeService.createMessageCorrelation(message).processInstanceId(processInstanceId).correlateWithResult();
    } catch (MismatchingMessageCorrelationException e) {
      throw Refusal.conflict(whenNoneWaits);
    }
  }
}
