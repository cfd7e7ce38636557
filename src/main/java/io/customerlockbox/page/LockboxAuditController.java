package io.customerlockbox.page;

import io.customerlockbox.Refusal;
import io.customerlockbox.Times;
import io.customerlockbox.audit.AuditExport;
import io.customerlockbox.audit.AuditPage;
import io.customerlockbox.audit.AuditReads;
import io.customerlockbox.audit.ChainVerification;
import io.customerlockbox.policy.Environment;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.security.CurrentUser;
import io.customerlockbox.security.Groups;
import io.customerlockbox.security.LockboxUser;
import io.customerlockbox.security.RoleMatrix;
import io.customerlockbox.web.Downloads;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The auditor's part of the customer's page: the tenant's audit trail searched with filters, its
 * CSV and NDJSON export, and the hash chain's verification. The audit package does the work, as
 * for {@code /api/audit-events}; this class only reads the form and asks the same role check.
 */
@Controller
class LockboxAuditController {

  static final int PAGE_SIZE = 50;

  private final AuditReads reads;
  private final PolicyService policies;

  LockboxAuditController(AuditReads reads, PolicyService policies) {
    this.reads = reads;
    this.policies = policies;
  }

  @GetMapping("/lockbox/audit")
  String audit(@RequestParam(required = false) String tenant, @RequestParam(required = false) String from,
      @RequestParam(required = false) String to, @RequestParam(required = false) String type,
      @RequestParam(required = false) String requestId, @RequestParam(required = false) String actor,
      @RequestParam(defaultValue = "1") int page, @RequestParam(defaultValue = "false") boolean verify, Model model) {
    LockboxUser user = CurrentUser.get();
    String tenantId = tenant(tenant, user);
    AuditFilters filters = AuditFilters.of(from, to, type, requestId, actor);
    model.addAttribute("user", user);
    model.addAttribute("tenantId", tenantId);
    model.addAttribute("filters", filters);
    model.addAttribute("kinds", AuditFilters.kinds());
    model.addAttribute("mayAudit", true);
    model.addAttribute("mayManage", user.actsFor(tenantId, Groups.TENANT_ADMINS));
    List<String> problems = filters.problems();
    model.addAttribute("problems", problems);
    if (verify) {
      model.addAttribute("verification", verification(reads.verify(tenantId, AuditReads.Reader.ofCurrentRequest(user.id()))));
    }
    if (!problems.isEmpty()) {
      return "lockbox/audit";
    }
    int current = Math.max(1, Math.min(page, 100_000));
    AuditPage found = reads.search(filters.query(tenantId), current - 1, PAGE_SIZE,
        AuditReads.Reader.ofCurrentRequest(user.id()));
    Map<String, String> names = policies.environments(tenantId).stream()
        .collect(Collectors.toMap(Environment::id, Environment::name));
    CustomerWords.Facts words = new CustomerWords.Facts(null, names);
    model.addAttribute("events", found.events().stream().map(event -> new Row(Times.display(event.occurredAt()),
        CustomerWords.sentence(event, words), CustomerWords.who(event), CustomerWords.detail(event),
        event.requestId())).toList());
    model.addAttribute("page", current);
    model.addAttribute("hasMore", found.hasMore());
    model.addAttribute("exportCsv", filters.link("/lockbox/audit/export", tenantId, "format", "CSV"));
    model.addAttribute("exportNdjson", filters.link("/lockbox/audit/export", tenantId, "format", "NDJSON"));
    model.addAttribute("newerPage", filters.link("/lockbox/audit", tenantId, "page", current - 1));
    model.addAttribute("olderPage", filters.link("/lockbox/audit", tenantId, "page", current + 1));
    return "lockbox/audit";
  }

  @GetMapping("/lockbox/audit/export")
  ResponseEntity<StreamingResponseBody> export(@RequestParam(required = false) String tenant,
      @RequestParam AuditExport.Format format, @RequestParam(required = false) String from,
      @RequestParam(required = false) String to, @RequestParam(required = false) String type,
      @RequestParam(required = false) String requestId, @RequestParam(required = false) String actor) {
    LockboxUser user = CurrentUser.get();
    String tenantId = tenant(tenant, user);
    AuditFilters filters = AuditFilters.of(from, to, type, requestId, actor);
    if (!filters.problems().isEmpty()) {
      throw Refusal.invalid("filters", String.join(" ", filters.problems()));
    }
    AuditReads.Reader reader = AuditReads.Reader.ofCurrentRequest(user.id());
    return Downloads.attachment("audit-events-" + tenantId + format.extension(), format.mediaType(),
        out -> reads.export(filters.query(tenantId), format, out, reader));
  }

  /** The tenant asked for, or the person's first; only its auditors and tenant admins get further. */
  private static String tenant(String tenant, LockboxUser user) {
    String tenantId = tenant != null ? tenant : user.tenantIds().stream().sorted().findFirst().orElse(null);
    if (tenantId == null) {
      throw Refusal.notFound("You are not a member of a customer organization.");
    }
    RoleMatrix.requireReadAudit(user, tenantId);
    return tenantId;
  }

  /** One event of the search, in the customer's words. */
  record Row(String at, String sentence, String who, String detail, String requestId) {}

  /** The chain walk's answer as a sentence. */
  record Verification(boolean valid, String text) {}

  static Verification verification(ChainVerification result) {
    if (result.valid()) {
      return new Verification(true, "The audit trail is intact: all " + result.events()
          + " events are linked and unchanged" + (result.signedThrough() > 0
          ? ", and the provider's signature vouches for the first " + result.signedThrough() + "." : "."));
    }
    return new Verification(false, "The audit trail is broken at event " + result.firstBrokenEventId() + ": "
        + result.reason() + ". Keep your last export and tell the provider.");
  }
}
