package io.customerlockbox.process;

import io.customerlockbox.access.AccessGrant;
import io.customerlockbox.access.AccessGrantService;
import java.util.Date;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * When the model's access timers fire ({@code ${accessEnds.of(execution)}}): at the end of the
 * request's grant as the domain holds it, never at a variable's word. An approved extension moves
 * the grant's end, and the timer the model creates next follows it.
 */
@Component(ProcessModel.ACCESS_ENDS)
public class AccessEnds {

  private final AccessGrantService grants;

  AccessEnds(AccessGrantService grants) {
    this.grants = grants;
  }

  public Date of(DelegateExecution execution) {
    String requestId = Steps.requestId(execution);
    AccessGrant grant = grants.forRequest(requestId)
        .orElseThrow(() -> new IllegalStateException("Access request " + requestId + " has no grant whose end to wait for"));
    return Date.from(grant.expiresAt());
  }
}
