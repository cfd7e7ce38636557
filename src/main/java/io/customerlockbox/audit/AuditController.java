package io.customerlockbox.audit;

import io.customerlockbox.security.CurrentUser;
import io.customerlockbox.security.LockboxUser;
import io.customerlockbox.security.RoleMatrix;
import io.customerlockbox.web.Downloads;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Reading the trail: search, export and verify, each recorded in the chains it read. There is
 * deliberately no endpoint that changes or removes an event: the trail is append-only, and only
 * the retention purge shortens it.
 */
@RestController
@RequestMapping("/api/audit-events")
@Validated
class AuditController {

  private final AuditReads reads;

  AuditController(AuditReads reads) {
    this.reads = reads;
  }

  @GetMapping
  AuditPage search(@RequestParam(required = false) @Size(max = 64) String tenantId,
      @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
      @RequestParam(required = false) AuditEventType type, @RequestParam(required = false) @Size(max = 36) String requestId,
      @RequestParam(required = false) @Size(max = 64) String actor,
      @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
    LockboxUser user = CurrentUser.get();
    RoleMatrix.requireReadAudit(user, tenantId);
    return reads.search(new AuditQuery(tenantId, from, to, type, requestId, actor), page, size,
        AuditReads.Reader.ofCurrentRequest(user.id()));
  }

  @GetMapping("/export")
  ResponseEntity<StreamingResponseBody> export(@RequestParam AuditExport.Format format,
      @RequestParam(required = false) @Size(max = 64) String tenantId,
      @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
      @RequestParam(required = false) AuditEventType type, @RequestParam(required = false) @Size(max = 36) String requestId,
      @RequestParam(required = false) @Size(max = 64) String actor) {
    LockboxUser user = CurrentUser.get();
    RoleMatrix.requireReadAudit(user, tenantId);
    AuditReads.Reader reader = AuditReads.Reader.ofCurrentRequest(user.id());
    AuditQuery query = new AuditQuery(tenantId, from, to, type, requestId, actor);
    return Downloads.attachment("audit-events" + (tenantId == null ? "" : "-" + tenantId) + format.extension(),
        format.mediaType(), out -> reads.export(query, format, out, reader));
  }

  /** Without a tenant (Camunda administrators only): the chain of events that belong to no tenant. */
  @GetMapping("/verify")
  ChainVerification verify(@RequestParam(required = false) @Size(max = 64) String tenantId) {
    LockboxUser user = CurrentUser.get();
    RoleMatrix.requireReadAudit(user, tenantId);
    return reads.verify(tenantId, AuditReads.Reader.ofCurrentRequest(user.id()));
  }
}
