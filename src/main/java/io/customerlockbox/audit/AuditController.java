package io.customerlockbox.audit;

import io.customerlockbox.security.CurrentUser;
import io.customerlockbox.security.LockboxUser;
import io.customerlockbox.security.RoleMatrix;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
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
 * Reading the trail: search, export and verify, each recorded in the chains it read. There is
 * deliberately no endpoint that changes or removes an event: the trail is append-only, and only
 * the retention purge shortens it.
 */
@RestController
@RequestMapping("/api/audit-events")
@Validated
class AuditController {

  private final AuditSearch search;
  private final AuditExport export;
  private final AuditVerifier verifier;
  private final AuditReads reads;

  AuditController(AuditSearch search, AuditExport export, AuditVerifier verifier, AuditReads reads) {
    this.search = search;
    this.export = export;
    this.verifier = verifier;
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
    AuditQuery query = new AuditQuery(tenantId, from, to, type, requestId, actor);
    AuditPage found = search.search(query, page, size);
    reads.record(AuditEventType.AUDIT_TRAIL_SEARCHED, AuditReads.Reader.ofCurrentRequest(user.id()), tenantId,
        "searched with " + query.describe() + ", page " + page + " (" + size + " a page)",
        found.events().stream().collect(Collectors.groupingBy(AuditEvent::chainId, Collectors.counting())));
    return found;
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
    boolean csv = format == AuditExport.Format.CSV;
    String file = "audit-events" + (tenantId == null ? "" : "-" + tenantId) + (csv ? ".csv" : ".ndjson");
    return ResponseEntity.ok()
        .contentType(csv ? new MediaType("text", "csv", StandardCharsets.UTF_8)
            : new MediaType("application", "x-ndjson", StandardCharsets.UTF_8))
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"")
        .body(out -> {
          // Recorded once the events went out (or stopped going out): the export never holds its own event.
          Map<String, Long> written = new HashMap<>();
          try {
            export.write(query, format, out, written);
          } finally {
            reads.record(AuditEventType.AUDIT_TRAIL_EXPORTED, reader, tenantId,
                "exported as " + format + " with " + query.describe(), written);
          }
        });
  }

  /** Without a tenant (Camunda administrators only): the chain of events that belong to no tenant. */
  @GetMapping("/verify")
  ChainVerification verify(@RequestParam(required = false) @Size(max = 64) String tenantId) {
    LockboxUser user = CurrentUser.get();
    RoleMatrix.requireReadAudit(user, tenantId);
    ChainVerification verification = verifier.verify(tenantId);
    reads.record(AuditEventType.AUDIT_TRAIL_VERIFIED, AuditReads.Reader.ofCurrentRequest(user.id()), tenantId,
        "verified up to position " + verification.lastSeq() + ": " + (verification.valid() ? "valid"
            : "broken at event " + verification.firstBrokenEventId()),
        Map.of(verification.chain(), verification.events()));
    return verification;
  }
}
