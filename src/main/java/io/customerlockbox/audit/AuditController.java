package io.customerlockbox.audit;

import io.customerlockbox.security.CurrentUser;
import io.customerlockbox.security.TenantAccess;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Reading the trail: search, export and verify. There is deliberately no endpoint that changes or
 * removes an event: the trail is append-only, and only the retention purge shortens it.
 */
@RestController
@RequestMapping("/api/audit-events")
@Validated
class AuditController {

  private final AuditSearch search;
  private final AuditExport export;
  private final AuditVerifier verifier;

  AuditController(AuditSearch search, AuditExport export, AuditVerifier verifier) {
    this.search = search;
    this.export = export;
    this.verifier = verifier;
  }

  @GetMapping
  AuditPage search(@RequestParam(required = false) @Size(max = 64) String tenantId,
      @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
      @RequestParam(required = false) AuditEventType type, @RequestParam(required = false) @Size(max = 36) String requestId,
      @RequestParam(required = false) @Size(max = 64) String actor,
      @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
    TenantAccess.requireAudit(CurrentUser.get(), tenantId);
    return search.search(new AuditQuery(tenantId, from, to, type, requestId, actor), page, size);
  }

  @GetMapping("/export")
  ResponseEntity<StreamingResponseBody> export(@RequestParam AuditExport.Format format,
      @RequestParam(required = false) @Size(max = 64) String tenantId,
      @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
      @RequestParam(required = false) AuditEventType type, @RequestParam(required = false) @Size(max = 36) String requestId,
      @RequestParam(required = false) @Size(max = 64) String actor) {
    TenantAccess.requireAudit(CurrentUser.get(), tenantId);
    AuditQuery query = new AuditQuery(tenantId, from, to, type, requestId, actor);
    boolean csv = format == AuditExport.Format.CSV;
    String file = "audit-events" + (tenantId == null ? "" : "-" + tenantId) + (csv ? ".csv" : ".ndjson");
    return ResponseEntity.ok()
        .contentType(csv ? new MediaType("text", "csv", StandardCharsets.UTF_8)
            : new MediaType("application", "x-ndjson", StandardCharsets.UTF_8))
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"")
        .body(out -> export.write(query, format, out));
  }

  /** Without a tenant (Camunda administrators only): the chain of events that belong to no tenant. */
  @GetMapping("/verify")
  ChainVerification verify(@RequestParam(required = false) @Size(max = 64) String tenantId) {
    TenantAccess.requireAudit(CurrentUser.get(), tenantId);
    return verifier.verify(tenantId);
  }
}
