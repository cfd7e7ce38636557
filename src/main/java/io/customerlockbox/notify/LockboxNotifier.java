package io.customerlockbox.notify;

import io.customerlockbox.LockboxProperties;
import io.customerlockbox.audit.AuditEventType;
import io.customerlockbox.request.AccessRequest;
import io.customerlockbox.request.AccessRequestLifecycle;
import io.customerlockbox.security.IdentityDirectory;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.identity.User;
import org.springframework.stereotype.Service;

/** Tells a customer's approvers what the provider asks for or did. */
@Service
public class LockboxNotifier {

  public enum Occasion { LOCKBOX_REQUEST_CREATED, BREAK_GLASS_USED }

  private final AccessRequestLifecycle requests;
  private final IdentityDirectory directory;
  private final NotificationService notifications;
  private final LockboxProperties properties;

  LockboxNotifier(AccessRequestLifecycle requests, IdentityDirectory directory, NotificationService notifications,
      LockboxProperties properties) {
    this.requests = requests;
    this.directory = directory;
    this.notifications = notifications;
    this.properties = properties;
  }

  public void notifyApprovers(Occasion occasion, String accessRequestId, String stepKey) {
    AccessRequest request = requests.get(accessRequestId);
    List<String> told = new ArrayList<>();
    for (User approver : directory.approversOf(request.tenantId())) {
      if (approver.getId().equals(request.requestedBy())) {
        continue; // never asked to approve their own request, which they could not do anyway
      }
      String address = approver.getEmail() == null || approver.getEmail().isBlank() ? approver.getId() : approver.getEmail();
      notifications.send(new Notification(stepKey + "/" + approver.getId(), address, subject(occasion, request),
          body(occasion, request)));
      told.add(approver.getId());
    }
    requests.record(AuditEventType.APPROVERS_NOTIFIED, request.id(), null, null, occasion + " sent to "
        + (told.isEmpty() ? "nobody: the tenant has no approvers" : String.join(", ", told)), stepKey);
  }

  private static String subject(Occasion occasion, AccessRequest request) {
    return switch (occasion) {
      case LOCKBOX_REQUEST_CREATED -> "Lockbox request: " + request.requestedBy() + " asks for " + request.accessLevel()
          + " access to " + request.environmentId();
      case BREAK_GLASS_USED -> "Break-glass access to " + request.environmentId() + " by " + request.requestedBy();
    };
  }

  private String body(Occasion occasion, AccessRequest request) {
    String ticket = request.supportTicketId() == null ? "Provider initiated" : request.supportTicketId();
    String facts = "Environment: " + request.environmentId() + "\nRequested by: " + request.requestedBy()
        + "\nAccess level: " + request.accessLevel() + "\nSupport ticket: " + ticket
        + "\nJustification: " + request.justification() + "\n";
    return switch (occasion) {
      case LOCKBOX_REQUEST_CREATED -> "A provider engineer asks for access to your data.\n\n" + facts
          + "\nApprove or deny it in Tasklist: " + properties.publicUrl() + "/camunda/app/tasklist/"
          + "\nIf nobody decides, the request expires and no access is granted.\n";
      case BREAK_GLASS_USED -> "A provider engineer used emergency (break-glass) access to your data without "
          + "waiting for your approval. The access is audited and ends automatically.\n\n" + facts
          + "Incident: " + request.incidentId() + "\n";
    };
  }
}
