package io.customerlockbox.page;

import io.customerlockbox.Times;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.request.LockboxRequestView;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The Recent table: the tenant's lockbox requests and the provider's break-glass access to its
 * environments, those that wait for a decision first, then newest first, a page at a time.
 */
record RecentRequests(List<Row> rows, int page, int pages, int total) {

  static final int PAGE_SIZE = 20;

  /** One row, as people read it. {@code href} is the request's own page. */
  record Row(String id, String href, String supportRequest, boolean breakGlass, String environment,
      String requestedBy, String accessLevel, String status, String statusDetail, String statusClass,
      boolean needsAction, String requested, String expires, String accessPeriod, String whoActed) {

    static Row of(AccessRequestView request, Map<String, String> environmentNames) {
      CustomerWords.AccessState state = CustomerWords.state(request);
      LockboxRequestView lockbox = request.lockbox();
      String environment = environmentNames.getOrDefault(request.environmentId(), request.environmentId());
      String decided = lockbox == null || lockbox.decidedBy() == null ? "—"
          : lockbox.decidedBy() + ", " + Times.display(lockbox.decidedAt());
      return new Row(lockbox != null ? lockbox.id() : request.id(), pageOf(request),
          request.breakGlass() ? "Break-glass: incident " + request.incidentId() : ticket(request),
          request.breakGlass(), environment, request.requestedBy(), CustomerWords.accessLevel(request.accessLevel()),
          state.label(), state.detail(), state.cssClass(), state.needsAction(), Times.display(request.requestedAt()),
          lockbox == null ? "—" : Times.display(lockbox.expiresAt()),
          lockbox == null ? "—" : Times.inWords(lockbox.accessPeriod()) + (lockbox.extension() ? " more (extension)" : ""),
          decided);
    }
  }

  /** The customer's page of one request: a lockbox request by its id, break-glass access by the request's. */
  static String pageOf(AccessRequestView request) {
    return request.lockbox() != null ? "/lockbox/requests/" + request.lockbox().id()
        : "/lockbox/break-glass/" + request.id();
  }

  static String ticket(AccessRequestView request) {
    return request.supportTicketId() == null ? "Provider initiated" : request.supportTicketId();
  }

  /** Whether the page lists {@code request}: it went to the customer, or bypassed them in an emergency. */
  static boolean shown(AccessRequestView request, Instant since) {
    return (request.lockbox() != null || request.breakGlass()) && !request.requestedAt().isBefore(since);
  }

  /** Page {@code page} (1 is the first) of the requests the table shows, needing action first. */
  static RecentRequests of(List<AccessRequestView> requests, Map<String, String> environmentNames, Instant since,
      int page) {
    List<Row> all = requests.stream().filter(request -> shown(request, since))
        .sorted(Comparator.comparing((AccessRequestView request) -> !CustomerWords.state(request).needsAction())
            .thenComparing(AccessRequestView::requestedAt, Comparator.reverseOrder())
            .thenComparing(AccessRequestView::id))
        .map(request -> Row.of(request, environmentNames)).toList();
    int pages = Math.max(1, (all.size() + PAGE_SIZE - 1) / PAGE_SIZE);
    int current = Math.min(Math.max(1, page), pages);
    int from = (current - 1) * PAGE_SIZE;
    return new RecentRequests(all.subList(from, Math.min(all.size(), from + PAGE_SIZE)), current, pages, all.size());
  }
}
