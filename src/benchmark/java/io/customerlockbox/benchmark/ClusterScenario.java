package io.customerlockbox.benchmark;

import static io.customerlockbox.benchmark.LifecycleDriver.Flow.LOCKBOX;

import io.customerlockbox.benchmark.LifecycleDriver.Round;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.camunda.bpm.engine.management.Metrics;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Part 6: does a second node add throughput? Lockbox lifecycles per second of two nodes on one
 * PostgreSQL database, each node in a JVM of its own held to a core of its own ({@link PinnedNode}),
 * against one node held to one core, on the same database in the same run. Each node first warms
 * up alone; then rounds take turns (one node, two nodes, and again): for a one-node round the
 * second node's job executor stops and no client calls it; the median round of each counts.
 *
 * <p>Beside the rate, each round counts what two nodes might fight over: the job executors'
 * acquisitions and the jobs one node lost to the other there (the engine's {@code
 * job-acquired-failure}), the jobs that failed (the job log: mostly optimistic-locking
 * collisions), the transactions PostgreSQL rolled back, the statements sent, and, sampled every
 * {@value #SAMPLE_MILLIS} ms, what the database's sessions were doing (running, waiting for a lock
 * and for which statement, waiting for the application).
 */
final class ClusterScenario implements Scenario {

  static final double GOAL = 1.5;
  private static final String SCENARIO = "6 cluster";
  private static final long SAMPLE_MILLIS = 100;

  @Override
  public String name() {
    return "cluster";
  }

  @Override
  public boolean runsOn(BenchDatabase.Kind kind) {
    return kind == BenchDatabase.Kind.POSTGRES;
  }

  /** A round and what the database and the nodes counted during it. */
  record Measured(Round round, int nodes, Map<String, Long> counts, Map<String, Long> sessions) {

    double perLifecycle(String count) {
      return (double) counts.getOrDefault(count, 0L) / round.lifecycles();
    }

    long sampled() {
      return sessions.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  @Override
  public List<Result> run(BenchDatabase.Kind kind, Scale scale) throws Exception {
    try (BenchDatabase db = BenchDatabase.fresh(kind, "cluster");
        // The first alone on the empty database: it makes the schemas and deploys.
        PinnedNode first = PinnedNode.start(db, "node-a", 0, List.of());
        PinnedNode second = PinnedNode.start(db, "node-b", 1, List.of())) {
      List<PinnedNode> both = List.of(first, second);
      List<Measured> one = new ArrayList<>();
      List<Measured> two = new ArrayList<>();
      try (LifecycleDriver alone = new LifecycleDriver(List.of(first), both, db, scale.clients());
          LifecycleDriver secondAlone = new LifecycleDriver(List.of(second), both, db, scale.clients());
          LifecycleDriver together = new LifecycleDriver(both, both, db, scale.clients())) {
        // Each node warms up alone, with all of the warm-up: a JVM held to one core compiles with
        // one compiler thread, and nodes warmed together got half of it each. The one node then
        // sped up from round to round while the two nodes did not, and the ratio measured warm-up.
        second.jobExecutor(false);
        alone.run(LOCKBOX, scale.warmupLifecycles());
        first.jobExecutor(false);
        second.jobExecutor(true);
        secondAlone.run(LOCKBOX, scale.warmupLifecycles());
        first.jobExecutor(true);
        for (int i = 0; i < scale.rounds(); i++) {
          second.jobExecutor(false);
          one.add(measure(db, alone, both, 1, scale.lifecycles()));
          second.jobExecutor(true);
          two.add(measure(db, together, both, 2, scale.lifecycles()));
        }
      }
      return report(kind.label(), first, one, two);
    }
  }

  private static Measured measure(BenchDatabase db, LifecycleDriver driver, List<PinnedNode> nodes, int active,
      int lifecycles) throws Exception {
    Map<String, Long> before = counts(db.observer(), nodes);
    Map<String, Long> sessions;
    Round round;
    try (SessionSampler sampler = new SessionSampler(db.observer())) {
      round = driver.run(LOCKBOX, lifecycles);
      sessions = sampler.samples();
    }
    Map<String, Long> counts = new TreeMap<>();
    counts(db.observer(), nodes).forEach((name, count) -> counts.put(name, count - before.getOrDefault(name, 0L)));
    Measured measured = new Measured(round, active, counts, sessions);
    Benchmark.log("  %d node%s: %d lifecycles in %.1f s = %.1f/s; per lifecycle: %.0f statements, %.1f jobs, "
            + "%.2f acquisitions, %.2f jobs lost at acquisition, %.2f jobs failed (%.2f optimistic locking), "
            + "%.2f rollbacks; jobs by node %s; sessions %s", active, active == 1 ? "" : "s", round.lifecycles(),
        round.seconds(),
        round.perSecond(), measured.perLifecycle(PinnedNode.STATEMENTS), measured.perLifecycle(Metrics.JOB_SUCCESSFUL),
        measured.perLifecycle(Metrics.JOB_ACQUISITION_ATTEMPT), measured.perLifecycle(Metrics.JOB_ACQUIRED_FAILURE),
        measured.perLifecycle(JOBS_FAILED), measured.perLifecycle(JOBS_FAILED_OPTIMISTIC_LOCKING),
        measured.perLifecycle(ROLLBACKS), jobsByNode(counts, nodes), shares(sessions, 6));
    return measured;
  }

  /** The jobs each node ran in the round, e.g. "node-a 2,900, node-b 3,100". */
  private static String jobsByNode(Map<String, Long> counts, List<PinnedNode> nodes) {
    List<String> parts = new ArrayList<>();
    for (PinnedNode node : nodes) {
      parts.add(String.format(Locale.ROOT, "%s %,d", node.name(),
          counts.getOrDefault(node.name() + " " + Metrics.JOB_SUCCESSFUL, 0L)));
    }
    return String.join(", ", parts);
  }

  static final String JOBS_FAILED = "jobs failed (job log)";
  static final String JOBS_FAILED_OPTIMISTIC_LOCKING = "jobs failed on optimistic locking (job log)";
  static final String ROLLBACKS = "transactions rolled back (PostgreSQL)";

  /** Every count so far: the nodes' (summed) and the database's. */
  private static Map<String, Long> counts(JdbcTemplate observer, List<PinnedNode> nodes) {
    Map<String, Long> counts = new TreeMap<>();
    for (PinnedNode node : nodes) {
      Map<String, Long> ofNode = node.counts();
      ofNode.forEach((name, count) -> counts.merge(name, count, Long::sum));
      counts.put(node.name() + " " + Metrics.JOB_SUCCESSFUL, ofNode.get(Metrics.JOB_SUCCESSFUL));
    }
    counts.put(JOBS_FAILED, observer.queryForObject("select count(*) from act_hi_job_log where job_state_ = 1",
        Long.class));
    // Camunda's optimistic locking failure: "ENGINE-03005 Execution of 'UPDATE ...' failed. Entity
    // was updated by another transaction concurrently."
    counts.put(JOBS_FAILED_OPTIMISTIC_LOCKING, observer.queryForObject("select count(*) from act_hi_job_log "
        + "where job_state_ = 1 and job_exception_msg_ like '%another transaction concurrently%'", Long.class));
    counts.put(ROLLBACKS, observer.queryForObject("select xact_rollback from pg_stat_database "
        + "where datname = current_database()", Long.class));
    return counts;
  }

  /**
   * Samples what the database's sessions do, every {@value #SAMPLE_MILLIS} ms: "running",
   * "lock: <statement>" (waiting for a row or transaction lock, the statement's start), another wait
   * by its kind, "idle in transaction" (waiting for the node's next statement); idle sessions are
   * not counted.
   */
  private static final class SessionSampler implements AutoCloseable {

    private final Map<String, LongAdder> samples = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    SessionSampler(JdbcTemplate observer) {
      thread = new Thread(() -> {
        while (running.get()) {
          observer.query("select state, wait_event_type, wait_event, left(regexp_replace(query, '\\s+', ' ', 'g'), 60) "
              + "from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() "
              + "and state <> 'idle'", rs -> {
                String state = rs.getString(1);
                String waitType = rs.getString(2);
                String what = !"active".equals(state) ? state
                    : waitType == null ? "running"
                    : waitType.equals("Lock") ? "lock " + rs.getString(3) + ": " + rs.getString(4)
                    : waitType + ":" + rs.getString(3);
                samples.computeIfAbsent(what, w -> new LongAdder()).increment();
              });
          Work.sleep(SAMPLE_MILLIS);
        }
      }, "cluster-session-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    Map<String, Long> samples() {
      Map<String, Long> counts = new TreeMap<>();
      samples.forEach((what, count) -> counts.put(what, count.sum()));
      return counts;
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join();
    }
  }

  /** The {@code top} most frequent kinds of sample, each with its share: "running 40 %, idle in transaction 35 %". */
  private static String shares(Map<String, Long> sessions, int top) {
    long all = Math.max(1, sessions.values().stream().mapToLong(Long::longValue).sum());
    List<String> parts = new ArrayList<>();
    sessions.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
        .forEach(e -> parts.add(String.format(Locale.ROOT, "%s %.0f %%", e.getKey(), 100.0 * e.getValue() / all)));
    return parts.isEmpty() ? "none sampled" : String.join(", ", parts);
  }

  private static List<Result> report(String db, PinnedNode first, List<Measured> one, List<Measured> two) {
    Measured oneMedian = median(one);
    Measured twoMedian = median(two);
    List<Result> lines = new ArrayList<>();
    lines.add(Result.ratio(db, SCENARIO, "lifecycles/s, 2 nodes each held to one core (baseline: 1 node on one core)",
        twoMedian.round().perSecond(), oneMedian.round().perSecond(), "/s", GOAL));
    List<String> ratios = new ArrayList<>();
    for (int i = 0; i < one.size(); i++) {
      ratios.add(Format.ratio(two.get(i).round().perSecond() / one.get(i).round().perSecond()));
    }
    lines.add(Result.info(db, SCENARIO, "ratio in each round", String.join(", ", ratios)));
    lines.add(Result.info(db, SCENARIO, "each node held by", first.pinning()));
    lines.add(compare(db, "SQL statements per lifecycle", twoMedian, oneMedian, PinnedNode.STATEMENTS));
    lines.add(compare(db, "jobs per lifecycle", twoMedian, oneMedian, Metrics.JOB_SUCCESSFUL));
    lines.add(compare(db, "job acquisitions per lifecycle", twoMedian, oneMedian, Metrics.JOB_ACQUISITION_ATTEMPT));
    lines.add(compare(db, "jobs lost to the other node at acquisition, per lifecycle", twoMedian, oneMedian,
        Metrics.JOB_ACQUIRED_FAILURE));
    lines.add(compare(db, "jobs failed on optimistic locking, per lifecycle", twoMedian, oneMedian,
        JOBS_FAILED_OPTIMISTIC_LOCKING));
    lines.add(compare(db, "transactions rolled back, per lifecycle", twoMedian, oneMedian, ROLLBACKS));
    lines.add(new Result(db, SCENARIO, "database sessions, most sampled", shares(twoMedian.sessions(), 4),
        shares(oneMedian.sessions(), 4), "", "", null));
    return lines;
  }

  private static Result compare(String db, String measure, Measured two, Measured one, String count) {
    double value = two.perLifecycle(count);
    double base = one.perLifecycle(count);
    return new Result(db, SCENARIO, measure, Format.number(value), Format.number(base),
        base == 0 ? "" : Format.ratio(value / base), "", null);
  }

  private static Measured median(List<Measured> rounds) {
    List<Measured> sorted = rounds.stream().sorted(Comparator.comparingDouble(m -> m.round().perSecond())).toList();
    return sorted.get(sorted.size() / 2);
  }
}
