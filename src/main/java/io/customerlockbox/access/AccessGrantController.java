package io.customerlockbox.access;

import io.customerlockbox.audit.AuditEvent;
import io.customerlockbox.request.AccessRequestLifecycle;
import io.customerlockbox.security.CurrentUser;
import io.customerlockbox.security.LockboxUser;
import io.customerlockbox.security.RoleMatrix;
import io.customerlockbox.web.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/access-grants")
class AccessGrantController {

  private final AccessGrantService grants;
  private final AccessRequestLifecycle lifecycle;
  private final GrantSigner signer;

  AccessGrantController(AccessGrantService grants, AccessRequestLifecycle lifecycle, GrantSigner signer) {
    this.grants = grants;
    this.lifecycle = lifecycle;
    this.signer = signer;
  }

  /** The data plane asks before every session: is this engineer allowed into this environment now? */
  @GetMapping("/check")
  AccessCheck check(@RequestParam @NotBlank @Size(max = 64) String environmentId,
      @RequestParam @NotBlank @Size(max = 64) String userId) {
    RoleMatrix.requireDataPlane(CurrentUser.get());
    return grants.check(environmentId, userId);
  }

  /**
   * The public keys that verify the signed grants the check hands out (a JWK set: the current key,
   * then older ones still accepted). A data plane may fetch it once and verify offline.
   */
  @GetMapping("/jwks")
  Map<String, Object> jwks() {
    RoleMatrix.requireDataPlane(CurrentUser.get());
    return signer.publicKeys().toJSONObject(true);
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
  @PostMapping("/{id}/activity")
  @ResponseStatus(HttpStatus.CREATED)
  AuditEvent activity(@PathVariable String id, @Valid @RequestBody Activity activity) {
    LockboxUser user = CurrentUser.get();
    RoleMatrix.requireDataPlane(user);
    AccessGrant grant = grants.find(id).orElseThrow(() -> ApiException.notFound("No access grant " + id));
    return lifecycle.recordActivity(grant, activity.activity(), activity.clientIp(), user.id(), activity.activityId());
  }
}
