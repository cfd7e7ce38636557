package io.customerlockbox.request;

import io.customerlockbox.audit.AuditEvent;
import io.customerlockbox.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/access-requests")
class AccessRequestController {

  private final AccessRequestService requests;

  AccessRequestController(AccessRequestService requests) {
    this.requests = requests;
  }

  @PostMapping
  ResponseEntity<AccessRequestView> create(@Valid @RequestBody NewAccessRequest request) {
    AccessRequestView created = requests.create(request, CurrentUser.get());
    return ResponseEntity.created(URI.create("/api/access-requests/" + created.id())).body(created);
  }

  @GetMapping("/{id}")
  AccessRequestView get(@PathVariable String id) {
    return requests.get(id, CurrentUser.get());
  }

  @GetMapping
  List<AccessRequestView> list(@RequestParam(required = false) AccessRequestStatus status,
      @RequestParam(required = false) String tenantId) {
    return requests.list(status, tenantId, CurrentUser.get());
  }

  /** Same visibility as the request itself: the customer's people and support alike. */
  @GetMapping("/{id}/timeline")
  List<AuditEvent> timeline(@PathVariable String id) {
    return requests.timeline(id, CurrentUser.get());
  }

  /**
   * Release takes no input; a body, if sent, must be an empty JSON object, so that a caller who
   * believes a field means something is told it does not instead of being silently ignored.
   */
  record ReleaseBody() {}

  @PostMapping("/{id}/release")
  AccessRequestView release(@PathVariable String id, @RequestBody(required = false) ReleaseBody ignored) {
    return requests.release(id, CurrentUser.get());
  }

  /** Why the engineer needs more time: required, as a request's justification is. */
  record ExtensionBody(@NotBlank @Size(min = 10, max = 2000) String justification) {}

  /** A new lockbox request of the same access request: 201, where to read it, and the request itself. */
  @PostMapping("/{id}/extension")
  ResponseEntity<LockboxRequest> askForExtension(@PathVariable String id, @Valid @RequestBody ExtensionBody body) {
    LockboxRequest extension = requests.askForExtension(id, body.justification(), CurrentUser.get());
    return ResponseEntity.created(URI.create("/api/lockbox-requests/" + extension.id())).body(extension);
  }

  record InternalDecision(@NotNull Boolean approved, @Size(max = 2000) String comment) {}

  @PostMapping("/{id}/internal-approval")
  AccessRequestView decide(@PathVariable String id, @Valid @RequestBody InternalDecision decision) {
    return requests.decideInternally(id, decision.approved(), decision.comment(), CurrentUser.get());
  }
}
