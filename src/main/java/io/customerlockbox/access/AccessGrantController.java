package io.customerlockbox.access;

import io.customerlockbox.security.CurrentUser;
import io.customerlockbox.security.RoleMatrix;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The data plane's check; the activity it reports under a grant is recorded by {@code request.GrantActivityController}. */
@RestController
@RequestMapping("/api/access-grants")
class AccessGrantController {

  private final AccessGrantService grants;

  AccessGrantController(AccessGrantService grants) {
    this.grants = grants;
  }

  /** The data plane asks before every session: is this engineer allowed into this environment now? */
  @GetMapping("/check")
  AccessCheck check(@RequestParam @NotBlank @Size(max = 64) String environmentId,
      @RequestParam @NotBlank @Size(max = 64) String userId) {
    RoleMatrix.requireDataPlane(CurrentUser.get());
    return grants.check(environmentId, userId);
  }
}
