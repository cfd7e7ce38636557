package io.customerlockbox.benchmark;

import static io.customerlockbox.benchmark.LifecycleDriver.Flow.BARE;
import static io.customerlockbox.benchmark.LifecycleDriver.Flow.LOCKBOX;

import io.customerlockbox.Node;
import io.customerlockbox.benchmark.LifecycleDriver.Batch;
import io.customerlockbox.benchmark.LifecycleDriver.Flow;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.management.Metrics;

/**
 * Part 3: pending requests whose 4-day timers all fall due at once (the clock jumps past the
 * last one), against as many bare timers. The 3-day reminders fire first, a jump of their own,
 * as they would a day earlier. Measured: the time until every timer fired and everything it
 * caused (notifications) is done, jobs per second, and each timer's lateness: from the moment
 * all were due to the start of its expiry step.
 */
final class ExpiryStormScenario implements Scenario {

  static final double GOAL = 0.8;

  record Storm(Flow flow, int timers, double seconds, long jobs, Latencies lateness) {
    double timersPerSecond() {
      return timers / seconds;
    }

    double jobsPerSecond() {
      return jobs / seconds;
    }
  }

  @Override
  public String name() {
    return "storm";
  }

  @Override
  public List<Result> run(BenchDatabase.Kind kind, Scale scale) throws Exception {
    Storm bare;
    Storm lockbox;
    try (BenchDatabase db = BenchDatabase.fresh(kind, "storm");
        Node node = db.start("bench");
        LifecycleDriver driver = new LifecycleDriver(List.of(node), db, scale.clients())) {
      bare = storm(driver, node, BARE, scale.stormTimers());
      lockbox = storm(driver, node, LOCKBOX, scale.stormTimers());
    }
    String db = kind.label();
    List<Result> results = new ArrayList<>();
    results.add(Result.ratio(db, "3 expiry storm", bare.timers() + " timers fired/s (baseline: bare timers)",
        lockbox.timersPerSecond(), bare.timersPerSecond(), "/s", GOAL));
    results.add(new Result(db, "3 expiry storm", "drain time", Format.number(lockbox.seconds()) + " s",
        Format.number(bare.seconds()) + " s", Format.ratio(lockbox.seconds() / bare.seconds()), "", null));
    results.add(new Result(db, "3 expiry storm", "jobs/s (timers and what they caused)",
        Format.number(lockbox.jobsPerSecond()) + "/s", Format.number(bare.jobsPerSecond()) + "/s",
        Format.ratio(lockbox.jobsPerSecond() / bare.jobsPerSecond()), "", null));
    results.addAll(LifecycleScenario.latencies(db, "3 expiry storm", "timer lateness", lockbox.lateness(),
        bare.lateness()));
    return results;
  }

  private static Storm storm(LifecycleDriver driver, Node node, Flow flow, int timers) throws Exception {
    Work work = driver.work();
    Batch batch = driver.create(flow, timers, new Latencies());
    boolean lockbox = flow == LOCKBOX;
    String reminder = lockbox ? "BoundaryEvent_ReminderDue" : "BoundaryEvent_Reminder";
    String expiry = lockbox ? "BoundaryEvent_ApprovalOverdue" : "BoundaryEvent_Overdue";
    String expiryStep = lockbox ? "Task_ExpireLockboxRequest" : "Task_Expire";

    work.jumpTo(lastDue(work, reminder).plusSeconds(1));
    work.drain("reminders of " + batch.round(), () -> timersLeft(work, reminder) == 0);
    Benchmark.log("  %s: %d reminders sent", flow, timers);

    Instant allDue = lastDue(work, expiry).plusSeconds(1);
    long jobsBefore = jobsExecuted(node);
    long start = System.nanoTime();
    work.jumpTo(allDue);
    work.drain("expiry storm of " + batch.round(), () -> timersLeft(work, expiry) == 0
        && (!lockbox || driver.lockboxStatusCount(batch.round(), "EXPIRED") == timers));
    double seconds = (System.nanoTime() - start) / 1e9;
    long jobs = jobsExecuted(node) - jobsBefore;

    Latencies lateness = new Latencies();
    work.observer().queryForList("select start_time_ from act_hi_actinst where act_id_ = ? and start_time_ >= ?",
            Timestamp.class, expiryStep, Timestamp.from(allDue))
        .forEach(started -> lateness.add((started.getTime() - allDue.toEpochMilli()) * 1_000_000L));
    LifecycleDriver.check(lateness.count() == timers, "one expiry step per timer, found " + lateness.count());
    Storm storm = new Storm(flow, timers, seconds, jobs, lateness);
    Benchmark.log("  %s: %d timers in %.1f s = %.0f/s, %d jobs = %.0f/s; lateness p50 %.0f p99 %.0f ms", flow, timers,
        seconds, storm.timersPerSecond(), jobs, storm.jobsPerSecond(), lateness.millis(50), lateness.millis(99));
    return storm;
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
