package io.customerlockbox.operations;

import io.customerlockbox.Times;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.LockboxDecided;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The product's own metrics, beside Spring's and the JVM's: requests by status, pending
 * approvals, the job executor's backlog, incidents, and how long customers take to decide.
 *
 * <p>The gauges read the shared database, so every node reports the cluster's numbers; they are
 * read at most every {@link #REFRESH} however often Prometheus scrapes, so scraping stays cheap.
 */
@Component
class LockboxMetrics implements MeterBinder {

  static final Duration REFRESH = Duration.ofSeconds(10);

  private final JdbcClient jdbc;
  private final ManagementService managementService;
  private final RuntimeService runtimeService;
  private volatile Snapshot snapshot;
  private Timer approvedLatency;
  private Timer deniedLatency;

  LockboxMetrics(JdbcClient jdbc, ManagementService managementService, RuntimeService runtimeService) {
    this.jdbc = jdbc;
    this.managementService = managementService;
    this.runtimeService = runtimeService;
  }

  record Snapshot(long takenAt, Map<AccessRequestStatus, Long> requests, long pendingCustomer, long backlog,
      long failedJobs, long incidents) {}

  @Override
  public void bindTo(MeterRegistry registry) {
    for (AccessRequestStatus status : AccessRequestStatus.values()) {
      Gauge.builder("lockbox.requests", this, metrics -> metrics.snapshot().requests().getOrDefault(status, 0L))
          .description("Access requests by status").tag("status", status.name()).register(registry);
    }
    Gauge.builder("lockbox.approvals.pending", this, metrics -> metrics.snapshot().pendingCustomer())
        .description("Lockbox requests waiting for the customer's decision").tag("kind", "customer").register(registry);
    Gauge.builder("lockbox.approvals.pending", this,
            metrics -> metrics.snapshot().requests().getOrDefault(AccessRequestStatus.PENDING_INTERNAL_APPROVAL, 0L))
        .description("Access requests waiting for a support lead").tag("kind", "internal").register(registry);
    Gauge.builder("lockbox.jobs.backlog", this, metrics -> metrics.snapshot().backlog())
        .description("Jobs due now and not yet done (timers, asynchronous steps), on all nodes").register(registry);
    Gauge.builder("lockbox.jobs.failed", this, metrics -> metrics.snapshot().failedJobs())
        .description("Jobs out of retries").register(registry);
    Gauge.builder("lockbox.incidents", this, metrics -> metrics.snapshot().incidents())
        .description("Open incidents (see Cockpit)").register(registry);
    approvedLatency = latency(registry, "APPROVE");
    deniedLatency = latency(registry, "DENY");
  }

  private static Timer latency(MeterRegistry registry, String decision) {
    return Timer.builder("lockbox.decision.latency")
        .description("Time from a lockbox request to the customer's decision")
        .tag("decision", decision)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMinutes(1))
        .maximumExpectedValue(Duration.ofDays(4))
        .register(registry);
  }

  /** Counted once the decision committed: a rolled-back decision was never made. */
  @TransactionalEventListener(fallbackExecution = true)
  void decided(LockboxDecided decided) {
    Timer timer = decided.approved() ? approvedLatency : deniedLatency;
    if (timer != null) {
      timer.record(Duration.between(decided.requestedAt(), decided.decidedAt()));
    }
  }

  Snapshot snapshot() {
    Snapshot current = snapshot;
    // The engine's clock, as everywhere: a test that moves it sees fresh numbers; either way a jump
    // of the clock makes a new snapshot.
    if (current == null || Math.abs(Times.now().toEpochMilli() - current.takenAt()) > REFRESH.toMillis()) {
      current = read();
      snapshot = current;
    }
    return current;
  }

  private Snapshot read() {
    Map<AccessRequestStatus, Long> requests = new EnumMap<>(AccessRequestStatus.class);
    jdbc.sql("select status, count(*) from access_request group by status")
        .query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2))).list()
        .forEach(row -> requests.put(AccessRequestStatus.valueOf(row.getKey()), row.getValue()));
    long pendingCustomer = jdbc.sql("select count(*) from lockbox_request where status = 'ACTION_NEEDED'")
        .query(Long.class).single();
    return new Snapshot(Times.now().toEpochMilli(), requests, pendingCustomer,
        managementService.createJobQuery().executable().count(),
        managementService.createJobQuery().noRetriesLeft().count(),
        runtimeService.createIncidentQuery().count());
  }
}
