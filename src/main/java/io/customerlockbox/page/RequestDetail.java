package io.customerlockbox.page;

import io.customerlockbox.Times;
import io.customerlockbox.audit.AuditEvent;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.request.LockboxRequestView;
import io.customerlockbox.request.LockboxStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request on the customer's page: a title, its access state, the facts an approver needs
 * (label and value), and its timeline in the customer's words.
 */
record RequestDetail(String title, String tenantId, String accessRequestId, String lockboxId, boolean breakGlass,
    CustomerWords.AccessState state, List<Fact> facts, List<Entry> timeline, String accessPeriod) {

  record Fact(String id, String label, String value) {}

  /** One step of the request's audit trail, as the customer reads it. */
  record Entry(String at, String sentence, String who, String detail) {

    static Entry of(AuditEvent event, CustomerWords.Facts facts) {
      return new Entry(Times.display(event.occurredAt()), CustomerWords.sentence(event, facts), CustomerWords.who(event),
          CustomerWords.detail(event));
    }
  }

  static RequestDetail of(AccessRequestView request, List<AuditEvent> events, Map<String, String> environmentNames) {
    CustomerWords.Facts words = new CustomerWords.Facts(request, environmentNames);
    LockboxRequestView lockbox = request.lockbox();
    AccessRequestView.Grant grant = request.grant();
    CustomerWords.AccessState state = CustomerWords.state(request);
    List<Fact> facts = new ArrayList<>();
    if (request.breakGlass()) {
      facts.add(new Fact("incident", "Incident", request.incidentId()));
    } else {
      facts.add(new Fact("ticket", "Support request ID", RecentRequests.ticket(request)));
    }
    facts.add(new Fact("environment", "Environment", words.environment(request.environmentId())));
    facts.add(new Fact("requested-by", "Requested by", request.requestedBy()));
    facts.add(new Fact("access-level", "Access level", CustomerWords.accessLevel(request.accessLevel())));
    facts.add(new Fact("justification", "Justification", request.justification()));
    facts.add(new Fact("requested", "Requested", Times.display(request.requestedAt())));
    LockboxRequestView access = request.lockboxRequests().isEmpty() ? null : request.lockboxRequests().get(0);
    if (access != null) {
      facts.add(new Fact("expires", "Request expiration", Times.display(access.expiresAt())));
      facts.add(new Fact("access-period", "Access period", Times.inWords(access.accessPeriod())));
      approvals(access, "approvals", "Approvals").ifPresent(facts::add);
      if (access.decidedBy() != null) {
        facts.add(new Fact("decided", "Decided by", decided(access)));
      }
    }
    // Each extension the engineer asked for, as the customer decided it (or is to decide it).
    int n = 0;
    for (LockboxRequestView extension : request.lockboxRequests()) {
      if (extension.extension()) {
        n++;
        facts.add(new Fact("extension-" + n, "More time asked (" + n + ")", Times.inWords(extension.accessPeriod())
            + " more, asked " + Times.display(extension.requestedAt()) + ". Why: " + extension.justification()));
        approvals(extension, "extension-" + n + "-approvals", "Approvals of more time (" + n + ")")
            .ifPresent(facts::add);
        facts.add(new Fact("extension-" + n + "-status", "More time (" + n + ")",
            extension.decidedBy() != null ? decided(extension) : CustomerWords.label(extension.status())
                + (extension.status() == LockboxStatus.ACTION_NEEDED
                    ? ", decide by " + Times.display(extension.expiresAt()) : "")));
      }
    }
    if (grant != null) {
      facts.add(new Fact("access-given", "Access given", Times.display(grant.grantedAt())));
      if (grant.endedAt() == null) {
        facts.add(new Fact("access-until", "Access until", Times.display(grant.expiresAt())));
      } else {
        facts.add(new Fact("access-ended", "Access ended", state.detail()));
      }
    }
    String title = request.breakGlass() ? "Emergency access for incident " + request.incidentId()
        : "Lockbox request " + RecentRequests.ticket(request);
    return new RequestDetail(title, request.tenantId(), request.id(), lockbox == null ? null : lockbox.id(),
        request.breakGlass(), state, facts, events.stream().map(event -> Entry.of(event, words)).toList(),
        lockbox == null ? null : Times.inWords(lockbox.accessPeriod()) + (lockbox.extension() ? " more" : ""));
  }

  /** Who approved so far, when the approval rules asked for several approvers ("1 of 2 approvals: a (time)"). */
  private static Optional<Fact> approvals(LockboxRequestView lockbox, String id, String label) {
    if (lockbox.approvalsRequired() <= 1) {
      return Optional.empty();
    }
    return Optional.of(new Fact(id, label, CustomerWords.approvalProgress(lockbox)
        + lockbox.approvals().stream().map(a -> a.by() + " (" + Times.display(a.at()) + ")")
            .reduce((a, b) -> a + ", " + b).map(who -> ": " + who).orElse("")));
  }

  private static String decided(LockboxRequestView lockbox) {
    return lockbox.decidedBy() + " (" + CustomerWords.label(lockbox.status()).toLowerCase() + ", "
        + Times.display(lockbox.decidedAt()) + ")";
  }
}
