package io.customerlockbox.notify;

import io.customerlockbox.LockboxProperties;
import io.customerlockbox.Times;
import io.customerlockbox.access.AccessGrant;
import io.customerlockbox.access.AccessGrantService;
import io.customerlockbox.audit.AuditEventType;
import io.customerlockbox.audit.AuditTrail;
import io.customerlockbox.audit.ChainPosition;
import io.customerlockbox.process.ProcessModel;
import io.customerlockbox.request.AccessRequest;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.request.AccessRequestLifecycle;
import io.customerlockbox.request.AccessRequestWithLockbox;
import io.customerlockbox.request.CustomerRevocation;
import io.customerlockbox.request.LockboxRequest;
import io.customerlockbox.request.LockboxRequestService;
import io.customerlockbox.security.IdentityDirectory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Service;

/**
 * Tells people what happened to an access request. {@link #request} starts a
 * {@code LockboxNotificationProcess} in the transaction of the step that caused it (so a rolled
 * back step tells nobody); that process sends in its own retried job ({@link #send}), so a mail
 * server that is down never stops the lockbox flow and shows up as an incident in Cockpit. Its
 * gateway decides there whether the tenant's webhooks are called too ({@link WebhookService#wanted}).
 */
@Service
public class LockboxNotifier {

  private final AccessRequestLifecycle requests;
  private final LockboxRequestService lockboxRequests;
  private final AccessGrantService grants;
  private final IdentityDirectory directory;
  private final NotificationService notifications;
  private final MailTemplates templates;
  private final LockboxProperties properties;
  private final RuntimeService runtimeService;
  private final TaskService taskService;
  private final AuditTrail trail;
  private final PolicyService policies;

  LockboxNotifier(AccessRequestLifecycle requests, LockboxRequestService lockboxRequests, AccessGrantService grants,
      IdentityDirectory directory, NotificationService notifications, MailTemplates templates,
      LockboxProperties properties, RuntimeService runtimeService, TaskService taskService, AuditTrail trail,
      PolicyService policies) {
    this.trail = trail;
    this.policies = policies;
    this.requests = requests;
    this.lockboxRequests = lockboxRequests;
    this.grants = grants;
    this.directory = directory;
    this.notifications = notifications;
    this.templates = templates;
    this.properties = properties;
    this.runtimeService = runtimeService;
    this.taskService = taskService;
  }

  /** Starts the notification; called by the step that caused it, inside its transaction. */
  public void request(Occasion occasion, String accessRequestId) {
    CommandContext command = Context.getCommandContext();
    // The step may run as the approver who completed a task in Tasklist: telling people is the
    // product's duty, not a permission of theirs.
    boolean checking = command != null && command.isAuthorizationCheckEnabled();
    if (checking) {
      command.disableAuthorizationCheck();
    }
    try {
      runtimeService.createProcessInstanceByKey(ProcessModel.NOTIFICATION_PROCESS_KEY)
          // The business key names the request and the occasion: the instance needs no variable.
          .businessKey(ProcessModel.notificationKey(accessRequestId, occasion.name()))
          .execute();
    } finally {
      if (checking) {
        command.enableAuthorizationCheck();
      }
    }
  }

  /**
   * Sends every message of {@code occasion}: the request's facts and each audience are read once,
   * the messages rendered, then handed to the channel together ({@link NotificationService#send(List)}:
   * one look-up in the ledger for all of them, each marked as it goes out). Each message is keyed by
   * {@code stepKey} and its recipient, so a retried job sends only what had not gone out yet.
   */
  public void send(Occasion occasion, String accessRequestId, String stepKey) {
    AccessRequestWithLockbox latest = lockboxRequests.withLatestLockbox(accessRequestId);
    AccessRequest request = latest.request();
    LockboxRequest lockbox = latest.lockbox();
    Map<String, Object> facts = facts(occasion, request, lockbox, latest.approvals());
    CustomerRevocation revocation = (CustomerRevocation) facts.get("revocation");
    List<Notification> outbox = new ArrayList<>();
    List<String> told = new ArrayList<>();
    for (Occasion.Message message : occasion.messages()) {
      // The customer's approvers get where their audit trail stands now, to check an export against later.
      ChainPosition head = message.audience() == Occasion.Audience.REQUESTER ? null : trail.position(request.tenantId());
      for (User person : audience(message.audience(), request, lockbox, revocation)) {
        Map<String, Object> variables = new HashMap<>(facts);
        variables.put("auditHead", head);
        variables.put("recipient", person.getFirstName() == null || person.getFirstName().isBlank()
            ? person.getId() : person.getFirstName());
        MailTemplates.Rendered mail = templates.render(message.template(), variables);
        outbox.add(new Notification(stepKey + "/" + person.getId(), address(person), mail.subject(),
            mail.html(), head));
        told.add(person.getId());
      }
    }
    notifications.send(outbox);
    if (occasion.approversAsked()) {
      requests.record(AuditEventType.APPROVERS_NOTIFIED, request.id(), null, null, occasion + " sent to "
          + (told.isEmpty() ? "nobody: the tenant has no approvers" : String.join(", ", told)), stepKey);
    }
  }

  private List<User> audience(Occasion.Audience audience, AccessRequest request, LockboxRequest lockbox,
      CustomerRevocation revocation) {
    return switch (audience) {
      // Never asked to approve their own request, which they could not do anyway.
      case APPROVERS -> approvers(request, lockbox).stream()
          .filter(user -> !user.getId().equals(request.requestedBy())).toList();
      case OTHER_APPROVERS -> {
        // The one who acted: who revoked the access, on a revocation; else who decided.
        String actedBy = revocation != null ? revocation.revokedBy() : lockbox == null ? null : lockbox.decidedBy();
        yield audience(Occasion.Audience.APPROVERS, request, lockbox, revocation).stream()
            .filter(user -> !user.getId().equals(actedBy)).toList();
      }
      case ESCALATION -> {
        List<String> approvers = audience(Occasion.Audience.APPROVERS, request, lockbox, revocation).stream()
            .map(User::getId).toList();
        yield directory.escalationOf(request.tenantId(), policies.policy(request.tenantId()).escalationGroup()).stream()
            .filter(user -> !user.getId().equals(request.requestedBy()))
            .filter(user -> !approvers.contains(user.getId())).toList();
      }
      case REQUESTER -> {
        User requester = directory.user(request.requestedBy());
        yield requester == null ? List.of() : List.of(requester);
      }
    };
  }

  /** The groups the approval rules named for the lockbox request; before there is one, the tenant's approvers. */
  private List<User> approvers(AccessRequest request, LockboxRequest lockbox) {
    return lockbox == null || lockbox.approverGroups() == null ? directory.approversOf(request.tenantId())
        : directory.membersOf(request.tenantId(), lockbox.approverGroups());
  }

  private static String address(User user) {
    return user.getEmail() == null || user.getEmail().isBlank() ? user.getId() : user.getEmail();
  }

  /** What every template may show; times are UTC, durations in words. */
  private Map<String, Object> facts(Occasion occasion, AccessRequest request, LockboxRequest lockbox, int approvals) {
    Map<String, Object> facts = new HashMap<>();
    facts.put("request", request);
    facts.put("ticket", request.supportTicketId() == null ? "Provider initiated" : request.supportTicketId());
    facts.put("requestedAt", Times.display(request.requestedAt()));
    facts.put("lockbox", lockbox);
    String base = properties.publicUrl();
    facts.put("tasklistUrl", base + "/camunda/app/tasklist/default/");
    if (lockbox != null) {
      facts.put("lockboxRequestedAt", Times.display(lockbox.requestedAt()));
      facts.put("lockboxExpiresAt", Times.display(lockbox.expiresAt()));
      facts.put("accessPeriod", Times.inWords(lockbox.accessPeriod()));
      facts.put("decidedAt", Times.display(lockbox.decidedAt()));
      facts.put("lockboxUrl", base + "/lockbox/requests/" + lockbox.id());
      // "1 of 2 approvals": how far the approvals the customer's rules ask for got.
      facts.put("approvalProgress", lockbox.rule().progress(approvals));
      if (occasion.linksToReviewTask()) {
        facts.put("taskUrl", reviewTask(request).map(task -> base + "/camunda/app/tasklist/default/#/?task="
            + task.getId()).orElse(base + "/camunda/app/tasklist/default/"));
      }
    }
    if (request.breakGlass()) {
      // The customer's page of the emergency access (page/LockboxPageController).
      facts.put("breakGlassUrl", base + "/lockbox/break-glass/" + request.id());
    }
    if (occasion == Occasion.LOCKBOX_REQUEST_REMINDER) {
      facts.put("escalationGroup", policies.policy(request.tenantId()).escalationGroup());
    }
    if (occasion == Occasion.ACCESS_REVOKED_BY_CUSTOMER) {
      CustomerRevocation revocation = requests.revocation(request.id()).orElse(null);
      facts.put("revocation", revocation);
      facts.put("revokedAt", revocation == null ? null : Times.display(revocation.revokedAt()));
    }
    AccessGrant grant = grants.forRequest(request.id()).orElse(null);
    facts.put("grant", grant);
    if (grant != null) {
      facts.put("grantedAt", Times.display(grant.grantedAt()));
      facts.put("grantExpiresAt", Times.display(grant.expiresAt()));
      facts.put("grantEndedAt", Times.display(grant.endedAt()));
    }
    return facts;
  }

  /** The customer's open task: it exists by the time this job runs, the step that created it has committed. */
  private Optional<Task> reviewTask(AccessRequest request) {
    if (request.processInstanceId() == null) {
      return Optional.empty();
    }
    return taskService.createTaskQuery().processInstanceId(request.processInstanceId())
        .taskDefinitionKeyIn(ProcessModel.CUSTOMER_APPROVAL_TASK, ProcessModel.EXTENSION_REVIEW_TASK).list().stream()
        .findFirst();
  }
}
