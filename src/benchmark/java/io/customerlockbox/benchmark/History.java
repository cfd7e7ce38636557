package io.customerlockbox.benchmark;

import static io.customerlockbox.audit.AuditEventType.ACCESS_ACTIVITY;
import static io.customerlockbox.audit.AuditEventType.ACCESS_ENDED;
import static io.customerlockbox.audit.AuditEventType.ACCESS_GRANTED;
import static io.customerlockbox.audit.AuditEventType.ACCESS_RELEASED;
import static io.customerlockbox.audit.AuditEventType.APPROVERS_NOTIFIED;
import static io.customerlockbox.audit.AuditEventType.BREAK_GLASS_USED;
import static io.customerlockbox.audit.AuditEventType.INTERNAL_APPROVAL_REQUESTED;
import static io.customerlockbox.audit.AuditEventType.INTERNAL_APPROVED;
import static io.customerlockbox.audit.AuditEventType.JIT_EVALUATED;
import static io.customerlockbox.audit.AuditEventType.LOCKBOX_APPROVED;
import static io.customerlockbox.audit.AuditEventType.LOCKBOX_DENIED;
import static io.customerlockbox.audit.AuditEventType.LOCKBOX_EXPIRED;
import static io.customerlockbox.audit.AuditEventType.LOCKBOX_NOT_REQUIRED;
import static io.customerlockbox.audit.AuditEventType.LOCKBOX_REQUEST_CREATED;
import static io.customerlockbox.audit.AuditEventType.REQUEST_CREATED;
import static io.customerlockbox.request.AccessRequestStatus.DENIED;
import static io.customerlockbox.request.AccessRequestStatus.EXPIRED;
import static io.customerlockbox.request.AccessRequestStatus.PENDING_CUSTOMER_APPROVAL;
import static io.customerlockbox.request.AccessRequestStatus.PENDING_INTERNAL_APPROVAL;
import static io.customerlockbox.request.AccessRequestStatus.SUBMITTED;

import io.customerlockbox.Fixtures;
import io.customerlockbox.audit.AuditEventType;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.LockboxStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's year of history as a function of the request number x (0 to requests - 1): its
 * tenant, outcome, times, ids and audit events. {@link HistoricalData} writes it with bulk SQL; the
 * scenarios pick existing ids from it and know each query's right answer without asking the database.
 *
 * <p>Every request has {@value #STEPS} audit events (an approved request's lifecycle has seven; the
 * rarer outcomes are trimmed or padded to seven), so positions are arithmetic. A request's events
 * are squeezed into its own slot of time (the year divided by the requests: 31 s at a million), so
 * that occurred_at, seq and chain_seq all grow together, as appending makes them. The rows keep the
 * product's real durations (4 days to decide, 8 hours of access).
 */
final class History {

  static final int STEPS = 7;
  /** Within the 365 days of default retention, so the nightly purge leaves the history alone. */
  static final Duration SPAN = Duration.ofDays(364);
  /** The approval timer and the access period, as the process model has them (P4D, PT8H). */
  static final Duration APPROVAL_PERIOD = Duration.ofDays(4);
  static final Duration ACCESS_PERIOD = Duration.ofHours(8);
  private static final int MAX_TENANTS = 100;
  /** Outcomes repeat every 100 requests of a tenant, by their percentage. */
  private static final int SLOTS = 100;
  /** Where a request's events sit in its slot: STEPS ticks for events, one tick of gap. */
  private static final int TICKS_PER_REQUEST = STEPS + 1;

  static final List<String> JUSTIFICATIONS = List.of(
      "Investigate the failing nightly export job",
      "Customer reports timeouts when saving orders; need to read the service logs and the order tables",
      "Restore the index the migration dropped",
      "Check why invoices of last month show the wrong tax rate for two regions");

  enum Actor { SYSTEM, ENGINEER, LEAD, APPROVER }

  /** One audit event of a lifecycle: who caused it and the request's status when it was written. */
  record Step(AuditEventType type, Actor actor, AccessRequestStatus status, String detail, String comment) {}

  /** How requests end, in what share, and the seven events that got them there. */
  record Outcome(String name, int percent, String environment, AccessLevel level, boolean breakGlass,
      AccessRequestStatus status, String statusReason, String jitOutcome, LockboxStatus lockbox, String endReason,
      List<Step> steps) {

    Outcome {
      if (steps.size() != STEPS) {
        throw new IllegalArgumentException(name + " has " + steps.size() + " steps, not " + STEPS);
      }
    }

    /** The position of the first step of one of {@code types}, or null. */
    Integer stepOf(AuditEventType... types) {
      for (int k = 0; k < STEPS; k++) {
        if (Arrays.asList(types).contains(steps.get(k).type())) {
          return k;
        }
      }
      return null;
    }

    Integer lockboxStep() {
      return stepOf(LOCKBOX_REQUEST_CREATED);
    }

    Integer decisionStep() {
      return stepOf(LOCKBOX_APPROVED, LOCKBOX_DENIED, LOCKBOX_EXPIRED);
    }

    Integer internalStep() {
      return stepOf(INTERNAL_APPROVED);
    }

    Integer grantStep() {
      return stepOf(ACCESS_GRANTED);
    }

    Integer endStep() {
      return stepOf(ACCESS_ENDED, ACCESS_RELEASED);
    }
  }

  private static final String AUTO_APPROVE = "outcome AUTO_APPROVE by rule Rule_AutoApproveRead for READ access "
      + "(MFA true, isolated identity true)";
  private static final String LEAD_APPROVES = "outcome INTERNAL_APPROVAL by rule Rule_LeadApprovesWriteOrAdmin for "
      + "WRITE access (MFA true, isolated identity true)";

  static final List<Outcome> OUTCOMES = List.of(
      new Outcome("approved", 60, "-prod", AccessLevel.READ, false, AccessRequestStatus.ACCESS_ENDED,
          "access period over", "AUTO_APPROVE", LockboxStatus.APPROVED, "EXPIRED", List.of(
              step(REQUEST_CREATED, Actor.ENGINEER, SUBMITTED, "READ access for the support ticket"),
              step(JIT_EVALUATED, Actor.SYSTEM, SUBMITTED, AUTO_APPROVE),
              lockboxAsked(), approversAsked("LOCKBOX_REQUEST_CREATED"), approved(), granted(),
              step(ACCESS_ENDED, Actor.SYSTEM, AccessRequestStatus.ACCESS_ENDED, "access period over: access revoked"))),
      new Outcome("released", 10, "-prod", AccessLevel.READ, false, AccessRequestStatus.ACCESS_ENDED,
          "released early by the engineer", "AUTO_APPROVE", LockboxStatus.APPROVED, "RELEASED", List.of(
              step(REQUEST_CREATED, Actor.ENGINEER, SUBMITTED, "READ access for the support ticket"),
              step(JIT_EVALUATED, Actor.SYSTEM, SUBMITTED, AUTO_APPROVE),
              lockboxAsked(), approversAsked("LOCKBOX_REQUEST_CREATED"), approved(), granted(),
              step(ACCESS_RELEASED, Actor.ENGINEER, AccessRequestStatus.ACCESS_ENDED,
                  "released before the access period ended"))),
      new Outcome("not required", 20, "-sandbox", AccessLevel.READ, false, AccessRequestStatus.ACCESS_ENDED,
          "access period over", "AUTO_APPROVE", null, "EXPIRED", List.of(
              step(REQUEST_CREATED, Actor.ENGINEER, SUBMITTED, "READ access for the support ticket"),
              step(JIT_EVALUATED, Actor.SYSTEM, SUBMITTED, AUTO_APPROVE),
              step(LOCKBOX_NOT_REQUIRED, Actor.SYSTEM, SUBMITTED, "the environment is not managed: no approval needed"),
              granted(), activity(), activity(),
              step(ACCESS_ENDED, Actor.SYSTEM, AccessRequestStatus.ACCESS_ENDED, "access period over: access revoked"))),
      new Outcome("denied", 4, "-prod", AccessLevel.WRITE, false, DENIED, "denied by the customer",
          "INTERNAL_APPROVAL", LockboxStatus.DENIED, null, List.of(
              step(REQUEST_CREATED, Actor.ENGINEER, SUBMITTED, "WRITE access for the support ticket"),
              step(JIT_EVALUATED, Actor.SYSTEM, SUBMITTED, LEAD_APPROVES),
              internalAsked(), internallyApproved(), lockboxAsked(), approversAsked("LOCKBOX_REQUEST_CREATED"),
              new Step(LOCKBOX_DENIED, Actor.APPROVER, DENIED, "denied for the customer",
                  "Not during our quarter close, please"))),
      // The reminder's second APPROVERS_NOTIFIED is left out: seven steps.
      new Outcome("expired", 5, "-prod", AccessLevel.WRITE, false, EXPIRED, "no approver answered in time",
          "INTERNAL_APPROVAL", LockboxStatus.EXPIRED, null, List.of(
              step(REQUEST_CREATED, Actor.ENGINEER, SUBMITTED, "WRITE access for the support ticket"),
              step(JIT_EVALUATED, Actor.SYSTEM, SUBMITTED, LEAD_APPROVES),
              internalAsked(), internallyApproved(), lockboxAsked(), approversAsked("LOCKBOX_REQUEST_CREATED"),
              step(LOCKBOX_EXPIRED, Actor.SYSTEM, EXPIRED,
                  "nobody decided before the request expired; nothing was granted"))),
      new Outcome("break-glass", 1, "-prod", AccessLevel.ADMIN, true, AccessRequestStatus.ACCESS_ENDED,
          "access period over", null, null, "EXPIRED", List.of(
              step(REQUEST_CREATED, Actor.ENGINEER, SUBMITTED, "break-glass ADMIN access for the support ticket"),
              step(BREAK_GLASS_USED, Actor.SYSTEM, AccessRequestStatus.ACCESS_GRANTED,
                  "break-glass access for the incident without the customer's approval"),
              granted(), approversAsked("BREAK_GLASS_USED"), activity(), activity(),
              step(ACCESS_ENDED, Actor.SYSTEM, AccessRequestStatus.ACCESS_ENDED, "access period over: access revoked"))));

  private static final Outcome[] BY_SLOT = new Outcome[SLOTS];

  static {
    int slot = 0;
    for (Outcome outcome : OUTCOMES) {
      for (int i = 0; i < outcome.percent(); i++) {
        BY_SLOT[slot++] = outcome;
      }
    }
    if (slot != SLOTS) {
      throw new IllegalStateException("The outcomes' percentages add up to " + slot);
    }
  }

  private final int requests;
  private final int tenants;
  private final Instant asOf;
  private final long tickMillis;

  /** {@code requests} requests over the {@link #SPAN} before {@code asOf}. */
  History(int requests, Instant asOf) {
    this.requests = requests;
    this.tenants = Math.max(2, Math.min(MAX_TENANTS, requests / 100));
    this.asOf = asOf;
    this.tickMillis = SPAN.toMillis() / ((long) TICKS_PER_REQUEST * requests);
    if (tickMillis < 1) {
      throw new IllegalArgumentException("Too many requests for one event per millisecond: " + requests);
    }
  }

  int requests() {
    return requests;
  }

  long events() {
    return (long) requests * STEPS;
  }

  int tenants() {
    return tenants;
  }

  /** The end of the history: the node's clock while the scenarios query it. */
  Instant asOf() {
    return asOf;
  }

  Instant start() {
    return asOf.minus(SPAN);
  }

  /** When the tenants were set up (their policy and environments): before their first request. */
  Instant setUpAt() {
    return start().minus(Duration.ofHours(1));
  }

  long tickMillis() {
    return tickMillis;
  }

  static int slots() {
    return SLOTS;
  }

  static Outcome outcomeOfSlot(int slot) {
    return BY_SLOT[slot];
  }

  // --- tenants and their people

  /** Tenant 0 is the demo profile's contoso, so its demo users query it too. */
  String tenantId(int tenant) {
    return tenant == 0 ? "contoso" : String.format(Locale.ROOT, "bench-%02d", tenant);
  }

  String admin(int tenant) {
    return tenantId(tenant) + "-admin";
  }

  String auditor(int tenant) {
    return tenantId(tenant) + "-auditor";
  }

  /** The demo users' password (DemoData's) for contoso, the test fixtures' for the others. */
  String password(int tenant) {
    return tenant == 0 ? "demo" : Fixtures.PASSWORD;
  }

  // --- request x

  int tenantOf(long x) {
    return (int) (x % tenants);
  }

  /** Outcomes cycle within each tenant and differ between tenants at the same time. */
  Outcome outcome(long x) {
    return BY_SLOT[(int) ((x / tenants + x % tenants) % SLOTS)];
  }

  Instant eventAt(long x, int step) {
    return start().plusMillis((x * TICKS_PER_REQUEST + step) * tickMillis);
  }

  String requestId(long x) {
    return id('a', x);
  }

  String lockboxId(long x) {
    return id('b', x);
  }

  String eventId(long x, int step) {
    return id('e', x * STEPS + step);
  }

  /** Ids shaped like the product's UUIDs, but a function of x: the scenarios pick existing ones without asking. */
  static String id(char kind, long n) {
    return String.format(Locale.ROOT, "%c0000000-0000-4000-8000-%012d", kind, n);
  }

  /** The SQL of {@link #id} for the number {@code n} (an SQL expression). */
  static String idSql(char kind, String n) {
    return "'" + kind + "0000000-0000-4000-8000-' || lpad(cast(" + n + " as varchar), 12, '0')";
  }

  // --- the right answers

  /** The ids of the Recent table of {@code tenant} since {@code since}, newest first. */
  List<String> recentLockboxIds(int tenant, Instant since) {
    List<String> ids = new ArrayList<>();
    for (long x = lastOf(tenant); x >= 0 && !eventAt(x, STEPS).isBefore(since); x -= tenants) {
      Integer step = outcome(x).lockboxStep();
      if (step != null && !eventAt(x, step).isBefore(since)) {
        ids.add(lockboxId(x));
      }
    }
    return ids;
  }

  /**
   * The ids of the first {@code limit} history events of {@code tenant} that the audit search's
   * filters match ({@code from} inclusive, {@code to} exclusive, null: any), newest first.
   */
  List<String> search(int tenant, Instant from, Instant to, AuditEventType type, Long requestX, int limit) {
    List<String> ids = new ArrayList<>();
    long last = requestX != null ? requestX : lastOf(tenant);
    long first = requestX != null ? requestX : 0;
    for (long x = last; x >= first && ids.size() < limit; x -= tenants) {
      if (from != null && eventAt(x, STEPS).isBefore(from)) {
        break;
      }
      for (int k = STEPS - 1; k >= 0 && ids.size() < limit; k--) {
        Instant at = eventAt(x, k);
        if ((from == null || !at.isBefore(from)) && (to == null || at.isBefore(to))
            && (type == null || outcome(x).steps().get(k).type() == type)) {
          ids.add(eventId(x, k));
        }
      }
    }
    return ids;
  }

  /** The newest request of {@code tenant}. */
  private long lastOf(int tenant) {
    return requests - 1 - Math.floorMod(requests - 1 - tenant, tenants);
  }

  private static Step step(AuditEventType type, Actor actor, AccessRequestStatus status, String detail) {
    return new Step(type, actor, status, detail, null);
  }

  private static Step lockboxAsked() {
    return step(LOCKBOX_REQUEST_CREATED, Actor.SYSTEM, PENDING_CUSTOMER_APPROVAL, "the customer decides within 4 days");
  }

  private static Step approversAsked(String occasion) {
    return step(APPROVERS_NOTIFIED, Actor.SYSTEM, occasion.equals("BREAK_GLASS_USED")
        ? AccessRequestStatus.ACCESS_GRANTED : PENDING_CUSTOMER_APPROVAL, occasion + " sent to the tenant's approvers");
  }

  private static Step approved() {
    return new Step(LOCKBOX_APPROVED, Actor.APPROVER, PENDING_CUSTOMER_APPROVAL, "approved for the customer",
        "OK for this ticket");
  }

  private static Step granted() {
    return step(ACCESS_GRANTED, Actor.SYSTEM, AccessRequestStatus.ACCESS_GRANTED, "access for 8 hours");
  }

  private static Step activity() {
    return step(ACCESS_ACTIVITY, Actor.ENGINEER, AccessRequestStatus.ACCESS_GRANTED,
        "SELECT * FROM orders WHERE id = 42 on database orders (reported by dataplane)");
  }

  private static Step internalAsked() {
    return step(INTERNAL_APPROVAL_REQUESTED, Actor.SYSTEM, PENDING_INTERNAL_APPROVAL, "a support lead decides");
  }

  private static Step internallyApproved() {
    return new Step(INTERNAL_APPROVED, Actor.LEAD, PENDING_INTERNAL_APPROVAL, "decided by support lead lead",
        "Write access is needed for the data fix");
  }
}
