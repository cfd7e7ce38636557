package io.customerlockbox.benchmark;

import static io.customerlockbox.benchmark.LifecycleDriver.Flow.BARE;
import static io.customerlockbox.benchmark.LifecycleDriver.Flow.LOCKBOX;

import io.customerlockbox.Node;
import io.customerlockbox.benchmark.LifecycleDriver.Batch;
import io.customerlockbox.benchmark.LifecycleDriver.Flow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.management.Metrics;

/**
 * Part 3: pending requests whose 4-day timers all fall due at once (the clock jumps past the
 * last one), against as many bare timers, at several sizes in one run: a tenth, three tenths and
 * all of {@link Scale#stormTimers()} (1,000, 3,000 and 10,000 at full scale), each size on a
 * fresh database and node, bare then lockbox, after an unmeasured storm of the smallest size that
 * warms the JVM. So whether a storm's rate falls with its size shows in one run, on one machine.
 * The 3-day reminders fire first, a jump of their own, as they would a day earlier. Measured per
 * storm: the time until every timer fired and everything it caused (notifications) is done, jobs
 * per second, each timer's lateness (from the moment all were due to the start of its expiry
 * step), and the statements the nodes sent with the time each took
 * ({@code target/benchmark/storm-<database>-<flow>-<size>.txt}).
 */
final class ExpiryStormScenario implements Scenario {

  static final double GOAL = 0.8;
  static final String SCENARIO = "3 expiry storm";

  record Storm(Flow flow, int timers, double seconds, long jobs, Latencies lateness, Map<String, Long> statements,
      Map<String, Long> statementNanos, Map<String, Long> tableReads) {
    double timersPerSecond() {
      return timers / seconds;
    }

    double jobsPerSecond() {
      return jobs / seconds;
    }

    double statementsPerTimer() {
      return (double) StatementCounter.total(statements) / timers;
    }

    /** Milliseconds the nodes waited for the database, per timer (all statements, all threads). */
    double statementMillisPerTimer() {
      return StatementCounter.total(statementNanos) / 1e6 / timers;
    }
  }

  /** The bare and the lockbox storm of one size. */
  record Size(Storm bare, Storm lockbox) {
    int timers() {
      return lockbox.timers();
    }

    double ratio() {
      return lockbox.timersPerSecond() / bare.timersPerSecond();
    }
  }

  /** The storm sizes of a run: a tenth, three tenths and all of the scale's storm (distinct, at least 1). */
  static List<Integer> sizes(Scale scale) {
    int largest = scale.stormTimers();
    return IntStream.of(largest / 10, largest * 3 / 10, largest).map(size -> Math.max(1, size)).distinct()
        .boxed().toList();
  }

  @Override
  public String name() {
    return "storm";
  }

  @Override
  public List<Result> run(BenchDatabase.Kind kind, Scale scale) throws Exception {
    List<Size> sizes = new ArrayList<>();
    boolean warm = false;
    for (int timers : sizes(scale)) {
      try (BenchDatabase db = BenchDatabase.fresh(kind, "storm");
          Node node = db.start("bench");
          LifecycleDriver driver = new LifecycleDriver(List.of(node), db, scale.clients())) {
        if (!warm) {
          Benchmark.log("  warm-up: a storm of %d of each flow, not measured", sizes(scale).get(0));
          storm(db, driver, node, BARE, sizes(scale).get(0));
          storm(db, driver, node, LOCKBOX, sizes(scale).get(0));
          warm = true;
        }
        Size size = new Size(storm(db, driver, node, BARE, timers), storm(db, driver, node, LOCKBOX, timers));
        Benchmark.log("  %d timers: lockbox %.1f/s, bare %.1f/s, ratio %.2f", timers,
            size.lockbox().timersPerSecond(), size.bare().timersPerSecond(), size.ratio());
        writeStatements(kind, size.bare());
        writeStatements(kind, size.lockbox());
        sizes.add(size);
      }
    }
    return results(kind.label(), sizes);
  }

  /**
   * The table's lines, each once: the rate and ratio at each size (the goal on the largest), how
   * the rate of each flow changed from the smallest storm to the largest, then the largest storm's
   * statements, drain time, jobs and lateness.
   */
  static List<Result> results(String db, List<Size> sizes) {
    List<Result> results = new ArrayList<>();
    Size smallest = sizes.get(0);
    Size largest = sizes.get(sizes.size() - 1);
    for (Size size : sizes) {
      String measure = String.format(Locale.ROOT, "%,d timers fired/s (baseline: bare timers)", size.timers());
      Result line = Result.ratio(db, SCENARIO, measure, size.lockbox().timersPerSecond(),
          size.bare().timersPerSecond(), "/s", GOAL);
      results.add(size == largest ? line : new Result(db, SCENARIO, measure, line.value(), line.baseline(),
          line.ratio(), "", null));
    }
    if (sizes.size() > 1) {
      double lockboxGrowth = largest.lockbox().timersPerSecond() / smallest.lockbox().timersPerSecond();
      double bareGrowth = largest.bare().timersPerSecond() / smallest.bare().timersPerSecond();
      results.add(new Result(db, SCENARIO, String.format(Locale.ROOT,
          "timers/s at %,d against at %,d (each flow)", largest.timers(), smallest.timers()),
          Format.ratio(lockboxGrowth), Format.ratio(bareGrowth), Format.ratio(lockboxGrowth / bareGrowth), "", null));
    }
    String at = String.format(Locale.ROOT, " (%,d timers)", largest.timers());
    results.add(new Result(db, SCENARIO, "SQL statements per timer" + at,
        Format.number(largest.lockbox().statementsPerTimer()), Format.number(largest.bare().statementsPerTimer()),
        Format.ratio(largest.lockbox().statementsPerTimer() / largest.bare().statementsPerTimer()), "", null));
    results.add(new Result(db, SCENARIO, "drain time" + at, Format.number(largest.lockbox().seconds()) + " s",
        Format.number(largest.bare().seconds()) + " s",
        Format.ratio(largest.lockbox().seconds() / largest.bare().seconds()), "", null));
    results.add(new Result(db, SCENARIO, "jobs/s (timers and what they caused)" + at,
        Format.number(largest.lockbox().jobsPerSecond()) + "/s", Format.number(largest.bare().jobsPerSecond()) + "/s",
        Format.ratio(largest.lockbox().jobsPerSecond() / largest.bare().jobsPerSecond()), "", null));
    results.addAll(LifecycleScenario.latencies(db, SCENARIO, "timer lateness" + at, largest.lockbox().lateness(),
        largest.bare().lateness()));
    return results;
  }

  private static Storm storm(BenchDatabase db, LifecycleDriver driver, Node node, Flow flow, int timers) throws Exception {
    Work work = driver.work();
    Batch batch = driver.create(flow, timers, new Latencies());
    boolean lockbox = flow == LOCKBOX;
    String reminder = lockbox ? "BoundaryEvent_ReminderDue" : "BoundaryEvent_Reminder";
    String expiry = lockbox ? "BoundaryEvent_ApprovalOverdue" : "BoundaryEvent_Overdue";
    String expiryStep = lockbox ? "Task_ExpireLockboxRequest" : "Task_Expire";

    // The clock skips the days the requests wait, in which PostgreSQL's autovacuum would have
    // visited many times: one visit now, untimed (H2 analyses by itself). Through the storm
    // autovacuum visits once a naptime, timed like the rest of it.
    db.autovacuumAsAfterDays();
    work.jumpTo(lastDue(work, reminder).plusSeconds(1));
    work.drain("reminders of " + batch.round(), () -> timersLeft(work, reminder) == 0);
    Benchmark.log("  %s: %d reminders sent", flow, timers);
    db.autovacuumAsAfterDays();

    Instant allDue = lastDue(work, expiry).plusSeconds(1);
    long jobsBefore = jobsExecuted(node);
    Map<String, Long> statementsBefore = StatementCounter.snapshot();
    Map<String, Long> nanosBefore = StatementCounter.nanosSnapshot();
    Map<String, Long> readsBefore = tableReads(db.kind(), work);
    long start = System.nanoTime();
    work.jumpTo(allDue);
    work.drain("expiry storm of " + batch.round(), () -> timersLeft(work, expiry) == 0
        && (!lockbox || driver.lockboxStatusCount(batch.round(), "EXPIRED") == timers));
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Long> statements = StatementCounter.since(statementsBefore, StatementCounter.snapshot());
    Map<String, Long> nanos = StatementCounter.since(nanosBefore, StatementCounter.nanosSnapshot());
    long jobs = jobsExecuted(node) - jobsBefore;
    Map<String, Long> reads = StatementCounter.since(readsBefore, tableReads(db.kind(), work));

    Latencies lateness = new Latencies();
    work.observer().queryForList("select start_time_ from act_hi_actinst where act_id_ = ? and start_time_ >= ?",
            Timestamp.class, expiryStep, Timestamp.from(allDue))
        .forEach(started -> lateness.add((started.getTime() - allDue.toEpochMilli()) * 1_000_000L));
    LifecycleDriver.check(lateness.count() == timers, "one expiry step per timer, found " + lateness.count());
    Storm storm = new Storm(flow, timers, seconds, jobs, lateness, statements, nanos, reads);
    Benchmark.log("  %s: %d timers in %.1f s = %.1f/s, %d jobs = %.0f/s; %.0f statements and %.1f ms of them per "
        + "timer; lateness p50 %.0f p99 %.0f ms", flow, timers, seconds, storm.timersPerSecond(), jobs,
        storm.jobsPerSecond(), storm.statementsPerTimer(), storm.statementMillisPerTimer(), lateness.millis(50),
        lateness.millis(99));
    return storm;
  }

  /**
   * Writes a storm's statements per timer, the costliest first: how often each ran and how long
   * it took (milliseconds per timer, and per execution), to compare the sizes statement by statement.
   */
  private static void writeStatements(BenchDatabase.Kind kind, Storm storm) throws IOException {
    StringBuilder lines = new StringBuilder(String.format(Locale.ROOT,
        "%s storm of %d timers: %.1f/s; %.1f statements and %.2f ms of them per timer%n"
            + "  runs/timer  ms/timer  ms/run  statement%n", storm.flow(), storm.timers(), storm.timersPerSecond(),
        storm.statementsPerTimer(), storm.statementMillisPerTimer()));
    storm.statementNanos().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> {
          long runs = storm.statements().getOrDefault(e.getKey(), 1L);
          lines.append(String.format(Locale.ROOT, "%11.2f %9.3f %7.3f  %s%n", (double) runs / storm.timers(),
              e.getValue() / 1e6 / storm.timers(), e.getValue() / 1e6 / runs, e.getKey().replaceAll("\\s+", " ")));
        });
    if (!storm.tableReads().isEmpty()) {
      lines.append(String.format(Locale.ROOT, "%nRows PostgreSQL read per timer, by table and way (pg_stat_user_tables)%n"));
      storm.tableReads().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(e -> lines.append(String.format(Locale.ROOT, "%11.2f  %s%n", (double) e.getValue() / storm.timers(),
              e.getKey())));
    }
    Path file = Path.of("target", "benchmark", "storm-" + kind.name().toLowerCase(Locale.ROOT) + "-"
        + storm.flow().name().toLowerCase(Locale.ROOT) + "-" + storm.timers() + ".txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, lines);
  }

  /**
   * On PostgreSQL, the rows read so far from each table of the storm's database, by sequential scan
   * and through indexes, and the scans themselves (the server's statistics, which it publishes
   * within a second or so: the storm's drain outlasts that). A read that grows per timer with the
   * storm's size shows here whatever the machine's load. Empty on H2.
   */
  private static Map<String, Long> tableReads(BenchDatabase.Kind kind, Work work) {
    Map<String, Long> reads = new HashMap<>();
    if (kind != BenchDatabase.Kind.POSTGRES) {
      return reads;
    }
    Work.sleep(1_500);
    work.observer().query("select relname, seq_scan, seq_tup_read, coalesce(idx_scan, 0), coalesce(idx_tup_fetch, 0) "
        + "from pg_stat_user_tables", rs -> {
          String table = rs.getString(1).toLowerCase(Locale.ROOT);
          reads.put(table + ": sequential scans", rs.getLong(2));
          reads.put(table + ": rows read by sequential scans", rs.getLong(3));
          reads.put(table + ": index scans", rs.getLong(4));
          reads.put(table + ": rows fetched through indexes", rs.getLong(5));
        });
    return reads;
  }

  private static Instant lastDue(Work work, String timerActivity) {
    return work.observer().queryForObject("select max(j.duedate_) from act_ru_job j join act_ru_jobdef d "
        + "on d.id_ = j.job_def_id_ where d.act_id_ = ?", Timestamp.class, timerActivity).toInstant();
  }

  private static long timersLeft(Work work, String timerActivity) {
    return work.count("select count(*) from act_ru_job j join act_ru_jobdef d on d.id_ = j.job_def_id_ "
        + "where d.act_id_ = ?", timerActivity);
  }

  /** Jobs this node's job executor completed so far (the engine's own metric, written out now). */
  static long jobsExecuted(Node node) {
    ManagementService management = node.management();
    management.reportDbMetricsNow();
    return management.createMetricsQuery().name(Metrics.JOB_SUCCESSFUL).sum();
  }
}
