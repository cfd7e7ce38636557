package io.customerlockbox.page;

import io.customerlockbox.Refusal;
import io.customerlockbox.StepRefused;
import io.customerlockbox.Times;
import io.customerlockbox.policy.Environment;
import io.customerlockbox.policy.LockboxPolicy;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.policy.PolicyUpdate;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.request.Deciders;
import io.customerlockbox.request.Decision;
import io.customerlockbox.request.LockboxRequest;
import io.customerlockbox.request.LockboxRequestView;
import io.customerlockbox.request.LockboxRequestService;
import io.customerlockbox.request.LockboxStatus;
import io.customerlockbox.security.CurrentUser;
import io.customerlockbox.security.Groups;
import io.customerlockbox.security.LockboxUser;
import io.customerlockbox.security.RoleMatrix;
import io.customerlockbox.web.PrintableText;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
  String login(@RequestParam(required = false) String wait, Model model) {
    if (wait != null) {
      // Set by the sign-in's failure handler (LockboxPageSecurity); anything else in it is not shown.
      model.addAttribute("waitSeconds", wait.matches("[0-9]{1,4}") ? wait : "a few");
    }
    return "lockbox/login";
  }

  @GetMapping("/lockbox")
  String recent(@RequestParam(required = false) String tenant, @RequestParam(defaultValue = "1") int page,
      Model model) {
    LockboxUser user = CurrentUser.get();
    String tenantId = tenant != null ? tenant : user.tenantIds().stream().sorted().findFirst().orElse(null);
    model.addAttribute("user", user);
    model.addAttribute("tenantId", tenantId);
    model.addAttribute("days", RECENT_DAYS);
    if (tenantId == null) {
      return "lockbox/recent";
    }
    RoleMatrix.requireReadTenant(user, tenantId);
    roles(model, user, tenantId);
    Map<String, String> names = environmentNames(tenantId);
    RecentRequests recent = RecentRequests.of(requests.list(null, tenantId, user), names,
        Times.now().minus(Duration.ofDays(RECENT_DAYS)), page);
    model.addAttribute("recent", recent);
    model.addAttribute("rows", recent.rows());
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
    // The page decides the request's latest lockbox request (an extension, once one was asked for).
    LockboxRequestView latest = request.lockbox();
    model.addAttribute("canDecide", latest.status() == LockboxStatus.ACTION_NEEDED
        && Deciders.decidesAs(Deciders.Kind.CUSTOMER, user, lockbox.tenantId(), request.requestedBy(),
            latest.approverGroups()).isPresent());
    model.addAttribute("canRevoke", lockboxRequests.mayRevoke(lockbox, user));
    return detail(request, user, model);
  }

  /** The provider's emergency access to one of the tenant's environments: no decision to make, the facts and the trail. */
  @GetMapping("/lockbox/break-glass/{accessRequestId}")
  String breakGlass(@PathVariable String accessRequestId, Model model) {
    LockboxUser user = CurrentUser.get();
    AccessRequestView request = requests.get(accessRequestId, user);
    if (!request.breakGlass()) {
      throw Refusal.notFound("No break-glass access " + accessRequestId);
    }
    model.addAttribute("canDecide", false);
    model.addAttribute("canRevoke", false);
    return detail(request, user, model);
  }

  private String detail(AccessRequestView request, LockboxUser user, Model model) {
    model.addAttribute("user", user);
    model.addAttribute("tenantId", request.tenantId());
    roles(model, user, request.tenantId());
    model.addAttribute("mayRevokeByPolicy", policies.customerMayRevoke(request.tenantId()));
    model.addAttribute("detail", RequestDetail.of(request, requests.timeline(request.id(), user),
        environmentNames(request.tenantId())));
    return "lockbox/detail";
  }

  /** What the signed-in person may do in the tenant, so the page offers only that. */
  private static void roles(Model model, LockboxUser user, String tenantId) {
    model.addAttribute("mayDecide", Deciders.mayDecide(Deciders.Kind.CUSTOMER, user, tenantId, null));
    model.addAttribute("mayAudit", RoleMatrix.canReadAudit(user, tenantId));
    model.addAttribute("mayManage", canManage(user, tenantId));
  }

  private Map<String, String> environmentNames(String tenantId) {
    return policies.environments(tenantId).stream().collect(Collectors.toMap(Environment::id, Environment::name));
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
      flash.addFlashAttribute("message", decided.status() == LockboxStatus.ACTION_NEEDED
          ? "Your approval is recorded (" + CustomerWords.approvalProgress(lockboxRequests.view(decided))
              + "); another approver must approve too."
          : "You " + CustomerWords.label(decided.status()).toLowerCase() + " the request.");
    } catch (Refusal e) {
      if (e.kind() == Refusal.Kind.NOT_FOUND) {
        throw e;
      }
      flash.addFlashAttribute("error", e.getMessage());
    } catch (StepRefused e) {
      // The domain's own refusals (a passed deadline): said on the page, as the API's 409.
      flash.addFlashAttribute("error", e.getMessage());
    }
    return "redirect:/lockbox/requests/" + id;
  }

  /** Ends approved access at once (the tenant's policy allows it); the reason is required. */
  @PostMapping("/lockbox/requests/{id}/revoke")
  String revoke(@PathVariable String id, @RequestParam(required = false) String comment, RedirectAttributes flash) {
    String text = comment == null || comment.isBlank() ? null : comment.strip();
    if (text == null) {
      flash.addFlashAttribute("error", "Say why you revoke the access: a reason is required.");
      return "redirect:/lockbox/requests/" + id;
    }
    if (text.length() > 2000) {
      flash.addFlashAttribute("error", "The reason is longer than 2000 characters.");
      return "redirect:/lockbox/requests/" + id;
    }
    try {
      lockboxRequests.revoke(id, text, CurrentUser.get());
      flash.addFlashAttribute("message", "You revoked the access. The engineer can no longer enter.");
    } catch (Refusal e) {
      if (e.kind() == Refusal.Kind.NOT_FOUND) {
        throw e;
      }
      flash.addFlashAttribute("error", e.getMessage());
    }
    return "redirect:/lockbox/requests/" + id;
  }

  @PostMapping("/lockbox/policy")
  String updatePolicy(@RequestParam String tenant, @RequestParam(defaultValue = "false") boolean enabled,
      @RequestParam PolicyScope scope, @RequestParam(required = false) List<String> environmentIds,
      @RequestParam(defaultValue = "false") boolean customerMayRevoke,
      @RequestParam(required = false) String escalationGroup, RedirectAttributes flash) {
    LockboxUser user = CurrentUser.get();
    RoleMatrix.requireManageTenant(user, tenant);
    String group = escalationGroup == null || escalationGroup.isBlank() ? null : escalationGroup.strip();
    if (group != null && !group.matches("[A-Za-z0-9._-]{1,64}")) {
      flash.addFlashAttribute("error", "The escalation group must be a group id (letters, digits, '.', '_', '-').");
      return "redirect:/lockbox?tenant=" + tenant;
    }
    try {
      policies.updatePolicy(tenant, new PolicyUpdate(enabled, scope, environmentIds == null ? List.of() : environmentIds,
          customerMayRevoke, group), user.id());
      flash.addFlashAttribute("message", "The lockbox policy is saved; the next request follows it.");
    } catch (Refusal e) {
      flash.addFlashAttribute("error", e.getMessage());
    }
    return "redirect:/lockbox?tenant=" + tenant;
  }

  private static boolean canManage(LockboxUser user, String tenantId) {
    return user.actsFor(tenantId, Groups.TENANT_ADMINS);
  }

}
