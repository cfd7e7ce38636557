package io.customerlockbox.request;

import io.customerlockbox.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class LockboxRequestController {

  private final LockboxRequestService lockboxRequests;

  LockboxRequestController(LockboxRequestService lockboxRequests) {
    this.lockboxRequests = lockboxRequests;
  }

  /** The customer's "Recent" table. */
  @GetMapping("/api/tenants/{tenantId}/lockbox-requests")
  List<RecentLockboxRequest> recent(@PathVariable String tenantId,
      @RequestParam(defaultValue = "28") @Min(1) @Max(3650) int days) {
    return lockboxRequests.recent(tenantId, days, CurrentUser.get());
  }

  @GetMapping("/api/lockbox-requests/{id}")
  LockboxRequestView get(@PathVariable String id) {
    return lockboxRequests.view(lockboxRequests.get(id, CurrentUser.get()));
  }

  record DecisionBody(@Size(max = 2000) String comment) {}

  @PostMapping("/api/lockbox-requests/{id}/approve")
  LockboxRequestView approve(@PathVariable String id, @Valid @RequestBody(required = false) DecisionBody body) {
    return lockboxRequests.view(lockboxRequests.decide(id, Decision.APPROVE, body == null ? null : body.comment(), CurrentUser.get()));
  }

  /** The customer's reason is required: the engineer and the other approvers read it. */
  record RevokeBody(@Size(max = 2000) String comment) {}

  /** Ends approved access at once, when the tenant's policy lets its approvers revoke. */
  @PostMapping("/api/lockbox-requests/{id}/revoke")
  LockboxRequest revoke(@PathVariable String id, @Valid @RequestBody(required = false) RevokeBody body) {
    return lockboxRequests.revoke(id, body == null ? null : body.comment(), CurrentUser.get());
  }

  @PostMapping("/api/lockbox-requests/{id}/deny")
  LockboxRequestView deny(@PathVariable String id, @Valid @RequestBody(required = false) DecisionBody body) {
    return lockboxRequests.view(lockboxRequests.decide(id, Decision.DENY, body == null ? null : body.comment(), CurrentUser.get()));
  }
}
