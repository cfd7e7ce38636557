package io.customerlockbox.request;

import io.customerlockbox.Refusal;
import io.customerlockbox.access.AccessGrant;
import io.customerlockbox.access.AccessGrantService;
import io.customerlockbox.audit.AuditEvent;
import io.customerlockbox.security.CurrentUser;
import io.customerlockbox.security.LockboxUser;
import io.customerlockbox.security.RoleMatrix;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the engineer did under a grant, as the data plane reports it: a step in the request's
 * audit trail, so it lives with the requests (the access package knows nothing of requests).
 */
@RestController
class GrantActivityController {

  private final AccessGrantService grants;
  private final AccessRequestLifecycle lifecycle;

  GrantActivityController(AccessGrantService grants, AccessRequestLifecycle lifecycle) {
    this.grants = grants;
    this.lifecycle = lifecycle;
  }

  /**
   * What the engineer did under a grant, in the data plane's words. {@code activityId} is the data
   * plane's id for the report (a retried report is recorded once); {@code clientIp} is the address
   * the engineer worked from, as the data plane saw it.
   */
  record Activity(
      @NotBlank @Size(max = 1000) String activity,
      @Size(max = 45) @Pattern(regexp = "[0-9A-Fa-f.:]+", message = "must be an IPv4 or IPv6 address") String clientIp,
      @Size(min = 1, max = 100) @Pattern(regexp = "[\\p{Alnum}._:-]+", message = "may hold letters, digits and . _ : - only")
      String activityId) {}

  /**
   * Reported by the data plane (the same service account that asks for checks); 409 once the
   * grant has ended, since nothing may happen under it any more.
   */
  @PostMapping("/api/access-grants/{id}/activity")
  @ResponseStatus(HttpStatus.CREATED)
  AuditEvent activity(@PathVariable String id, @Valid @RequestBody Activity activity) {
    LockboxUser user = CurrentUser.get();
    RoleMatrix.requireDataPlane(user);
    AccessGrant grant = grants.find(id).orElseThrow(() -> Refusal.notFound("No access grant " + id));
    return lifecycle.recordActivity(grant, activity.activity(), activity.clientIp(), user.id(), activity.activityId());
  }
}
