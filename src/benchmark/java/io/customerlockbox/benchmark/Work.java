package io.customerlockbox.benchmark;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The engine side of a measurement: the nodes' job executors drain what a phase left them, and
 * time jumps so timers fall due without waiting hours. The clock is the engine's own
 * ({@link ClockUtil}, which the lockbox reads too), shared by every node of this JVM and told to
 * the nodes in JVMs of their own.
 */
final class Work {

  private static final Duration PATIENCE = Duration.ofMinutes(30);

  private final List<DrivenNode> nodes;
  private final JdbcTemplate observer;

  Work(List<DrivenNode> nodes, JdbcTemplate observer) {
    this.nodes = nodes;
    this.observer = observer;
  }

  JdbcTemplate observer() {
    return observer;
  }

  /** How many rows {@code sql} counts, read on the benchmark's own connection. */
  long count(String sql, Object... params) {
    Long count = observer.queryForObject(sql, Long.class, params);
    return count == null ? 0 : count;
  }

  /** Moves the engine clock on by {@code duration} and tells every job executor to look for due jobs now. */
  void advance(Duration duration) {
    Instant now = ClockUtil.getCurrentTime().toInstant();
    jumpTo(now.plus(duration));
  }

  /** Sets the engine clock to {@code instant} (it goes on ticking from there) and wakes the job executors. */
  void jumpTo(Instant instant) {
    long offset = instant.toEpochMilli() - System.currentTimeMillis();
    ClockUtil.offset(offset);
    for (DrivenNode node : nodes) {
      node.clockMoved(offset);
    }
  }

  static Instant now() {
    return ClockUtil.getCurrentTime().toInstant();
  }

  /** Waits until {@code done} holds and no job is due any more (a phase's follow-up work is part of it). */
  void drain(String what, BooleanSupplier done) {
    long started = System.nanoTime();
    long deadline = started + PATIENCE.toNanos();
    while (!(done.getAsBoolean() && dueJobs() == 0)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": not done after " + PATIENCE + " (" + dueJobs() + " jobs due)");
      }
      // Every check counts the jobs table, whose size grows with the phase's: checked every 20 ms
      // through a long phase (a storm of 10,000 timers) the checks would take a share of the
      // machine that grows with the size. A hundredth of the time waited so far (at most 250 ms)
      // adds at most a hundredth to what a phase measures.
      sleep(Math.min(250, Math.max(20, (System.nanoTime() - started) / 100_000_000L)));
    }
    long incidents = count("select count(*) from act_ru_incident");
    if (incidents > 0) {
      throw new IllegalStateException(what + ": " + incidents + " incidents (failed jobs); see Cockpit or act_ru_incident");
    }
  }

  /** Jobs due now that have retries left, those being executed included. */
  long dueJobs() {
    return count("select count(*) from act_ru_job where retries_ > 0 and suspension_state_ = 1 "
        + "and (duedate_ is null or duedate_ <= ?)", Timestamp.from(now()));
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
