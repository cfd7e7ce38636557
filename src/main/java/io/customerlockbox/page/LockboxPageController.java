package io.customerlockbox.page;

import io.customerlockbox.Times;
import io.customerlockbox.audit.AuditEvent;
import io.customerlockbox.audit.AuditEventType;
import io.customerlockbox.policy.LockboxPolicy;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.policy.PolicyUpdate;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.request.Decision;
import io.customerlockbox.request.LockboxRequest;
import io.customerlockbox.request.LockboxRequestService;
import io.customerlockbox.request.LockboxStatus;
import io.customerlockbox.request.RecentLockboxRequest;
import io.customerlockbox.security.CurrentUser;
import io.customerlockbox.security.Groups;
import io.customerlockbox.security.LockboxUser;
import io.customerlockbox.security.RoleMatrix;
import io.customerlockbox.web.ApiException;
import io.customerlockbox.web.PrintableText;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The customer's lockbox page: the Recent table of the last 28 days, one request with its
 * timeline and the Approve/Deny buttons, and for tenant admins the lockbox policy. Server-rendered
 * (Thymeleaf escapes everything it prints); every action goes through the same services, checks
 * and Camunda task as the API and Tasklist.
 */
@Controller
class LockboxPageController {

  static final int RECENT_DAYS = 28;

  private final LockboxRequestService lockboxRequests;
  private final AccessRequestService requests;
  private final PolicyService policies;

  LockboxPageController(LockboxRequestService lockboxRequests, AccessRequestService requests, PolicyService policies) {
    this.lockboxRequests = lockboxRequests;
    this.requests = requests;
    this.policies = policies;
  }

  @GetMapping("/lockbox/login")
  String login() {
    return "lockbox/login";
  }

  @GetMapping("/lockbox")
  String recent(@RequestParam(required = false) String tenant, Model model) {
    LockboxUser user = CurrentUser.get();
    String tenantId = tenant != null ? tenant : user.tenantIds().stream().sorted().findFirst().orElse(null);
    model.addAttribute("user", user);
    model.addAttribute("tenantId", tenantId);
    model.addAttribute("days", RECENT_DAYS);
    if (tenantId == null) {
      return "lockbox/recent";
    }
    model.addAttribute("rows", lockboxRequests.recent(tenantId, RECENT_DAYS, user).stream().map(Row::of).toList());
    if (canManage(user, tenantId)) {
      LockboxPolicy policy = policies.policy(tenantId);
      model.addAttribute("policy", policy);
      model.addAttribute("scopes", PolicyScope.values());
      model.addAttribute("environments", policies.environments(tenantId));
    }
    return "lockbox/recent";
  }

  @GetMapping("/lockbox/requests/{id}")
  String detail(@PathVariable String id, Model model) {
    LockboxUser user = CurrentUser.get();
    LockboxRequest lockbox = lockboxRequests.get(id, user);
    AccessRequestView request = requests.get(lockbox.accessRequestId(), user);
    model.addAttribute("user", user);
    model.addAttribute("lockbox", lockbox);
    model.addAttribute("request", request);
    model.addAttribute("status", label(lockbox.status()));
    model.addAttribute("ticket", request.supportTicketId() == null ? "Provider initiated" : request.supportTicketId());
    model.addAttribute("requestedAt", Times.display(lockbox.requestedAt()));
    model.addAttribute("expiresAt", Times.display(lockbox.expiresAt()));
    model.addAttribute("accessPeriod", Times.inWords(lockbox.accessPeriod()));
    model.addAttribute("timeline", requests.timeline(request.id(), user).stream().map(Timeline::of).toList());
    model.addAttribute("canDecide", lockbox.status() == LockboxStatus.ACTION_NEEDED
        && !user.id().equals(request.requestedBy())
        && user.actsFor(lockbox.tenantId(), Groups.LOCKBOX_APPROVERS, Groups.TENANT_ADMINS));
    return "lockbox/detail";
  }

  @PostMapping("/lockbox/requests/{id}/approve")
  String approve(@PathVariable String id, @RequestParam(required = false) String comment, RedirectAttributes flash) {
    return decide(id, Decision.APPROVE, comment, flash);
  }

  @PostMapping("/lockbox/requests/{id}/deny")
  String deny(@PathVariable String id, @RequestParam(required = false) String comment, RedirectAttributes flash) {
    return decide(id, Decision.DENY, comment, flash);
  }

  private String decide(String id, Decision decision, String comment, RedirectAttributes flash) {
    String text = comment == null || comment.isBlank() ? null : comment.strip();
    if (decision == Decision.DENY && text == null) {
      flash.addFlashAttribute("error", "Say why you deny the request: a comment is required to deny.");
      return "redirect:/lockbox/requests/" + id;
    }
    if (text != null && text.length() > 2000) {
      flash.addFlashAttribute("error", "The comment is longer than 2000 characters.");
      return "redirect:/lockbox/requests/" + id;
    }
    if (PrintableText.problem(text) != null) {
      flash.addFlashAttribute("error", "The comment " + PrintableText.problem(text) + ".");
      return "redirect:/lockbox/requests/" + id;
    }
    try {
      LockboxRequest decided = lockboxRequests.decide(id, decision, text, CurrentUser.get());
      flash.addFlashAttribute("message", "You " + label(decided.status()).toLowerCase() + " the request.");
    } catch (ApiException e) {
      if (e.status().value() == 404) {
        throw e;
      }
      flash.addFlashAttribute("error", e.getMessage());
    }
    return "redirect:/lockbox/requests/" + id;
  }

  @PostMapping("/lockbox/policy")
  String updatePolicy(@RequestParam String tenant, @RequestParam(defaultValue = "false") boolean enabled,
      @RequestParam PolicyScope scope, @RequestParam(required = false) List<String> environmentIds,
      RedirectAttributes flash) {
    LockboxUser user = CurrentUser.get();
    RoleMatrix.requireManageTenant(user, tenant);
    try {
      policies.updatePolicy(tenant, new PolicyUpdate(enabled, scope, environmentIds == null ? List.of() : environmentIds),
          user.id());
      flash.addFlashAttribute("message", "The lockbox policy is saved; the next request follows it.");
    } catch (ApiException e) {
      flash.addFlashAttribute("error", e.getMessage());
    }
    return "redirect:/lockbox?tenant=" + tenant;
  }

  private static boolean canManage(LockboxUser user, String tenantId) {
    return user.isAdmin() || user.actsFor(tenantId, Groups.TENANT_ADMINS);
  }

  /** The status names of Microsoft's Customer Lockbox, which this page follows (docs/lockbox-page.md). */
  static String label(LockboxStatus status) {
    return switch (status) {
      case ACTION_NEEDED -> "Action needed";
      case APPROVED -> "Approved";
      case DENIED -> "Denied";
      case EXPIRED -> "Expired";
    };
  }

  /** One row of the Recent table, as people read it. */
  record Row(String id, String supportRequest, String environment, String status, String statusClass,
      String requested, String expires, String accessPeriod, String accessExpires, String whoActed) {

    static Row of(RecentLockboxRequest r) {
      return new Row(r.id(), r.supportTicketId() == null ? "Provider initiated" : r.supportTicketId(),
          r.environmentId(), label(r.status()), r.status().name().toLowerCase().replace('_', '-'),
          Times.display(r.requestedAt()), Times.display(r.expiresAt()), Times.inWords(r.accessPeriod()),
          r.accessExpiresAt() == null ? "—" : Times.display(r.accessExpiresAt()),
          r.decidedBy() == null ? "—" : r.decidedBy());
    }
  }

  /**
   * What happened to the request, oldest first, from its own facts. The audit trail's timeline
   * can replace {@link #of} without touching the template.
   */
  /** One step of the request's audit trail, as the customer reads it. */
  record Timeline(String at, String what, String who, String detail) {

    static Timeline of(AuditEvent event) {
      return new Timeline(Times.display(event.occurredAt()), what(event.type()), event.actor(),
          event.comment() != null ? event.comment() : event.detail());
    }

    private static String what(AuditEventType type) {
      return switch (type) {
        case REQUEST_CREATED -> "Access requested";
        case REQUEST_REJECTED -> "Rejected by the provider's rules";
        case JIT_EVALUATED -> "Checked by the provider's just-in-time rules";
        case INTERNAL_APPROVAL_REQUESTED -> "Sent to the provider's support lead";
        case INTERNAL_APPROVED -> "Approved by the provider's support lead";
        case INTERNAL_DENIED -> "Denied by the provider's support lead";
        case LOCKBOX_NOT_REQUIRED -> "No lockbox approval needed";
        case LOCKBOX_REQUEST_CREATED -> "Lockbox request opened";
        case APPROVERS_NOTIFIED -> "Approvers notified";
        case LOCKBOX_APPROVED -> "Approved";
        case LOCKBOX_DENIED -> "Denied";
        case LOCKBOX_EXPIRED -> "Expired without a decision";
        case ACCESS_GRANTED -> "Access granted";
        case BREAK_GLASS_USED -> "Break-glass access used";
        case ACCESS_ACTIVITY -> "Activity during access";
        case ACCESS_RELEASED -> "Access released early by the engineer";
        case ACCESS_ENDED -> "Access period over: access revoked";
        case POLICY_CHANGED -> "Lockbox policy changed";
        case ENVIRONMENT_CHANGED -> "Environment changed";
        case AUDIT_RETENTION_CHANGED -> "Audit retention changed";
        case AUDIT_EVENTS_PURGED -> "Old audit events purged";
        case AUDIT_TRAIL_SEARCHED, AUDIT_TRAIL_EXPORTED, AUDIT_TRAIL_VERIFIED -> "Audit trail read";
      };
    }
  }
}
