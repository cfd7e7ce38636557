package io.customerlockbox.benchmark;

import static io.customerlockbox.benchmark.LifecycleDriver.Flow.BARE;
import static io.customerlockbox.benchmark.LifecycleDriver.Flow.LOCKBOX;

import io.customerlockbox.Node;
import io.customerlockbox.benchmark.LifecycleDriver.Round;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parts 1 and 2 of the benchmark. Lifecycle overhead: complete lockbox lifecycles per second
 * against the bare model's on the same node and database, and the latency of create and
 * approve. Tuning: the lockbox lifecycle with the product's engine settings against Camunda's
 * defaults, each on a fresh database.
 */
final class LifecycleScenario implements Scenario {

  static final double OVERHEAD_GOAL = 0.75;
  static final double TUNING_GOAL = 1.3;

  @Override
  public String name() {
    return "lifecycle";
  }

  @Override
  public List<Result> run(BenchDatabase.Kind kind, Scale scale) throws Exception {
    Round bare;
    Round lockbox;
    try (BenchDatabase db = BenchDatabase.fresh(kind, "lifecycle");
        Node node = db.start("bench");
        LifecycleDriver driver = new LifecycleDriver(List.of(node), db, scale.clients())) {
      driver.run(BARE, scale.warmupLifecycles());
      driver.run(LOCKBOX, scale.warmupLifecycles());
      bare = report(driver.run(BARE, scale.lifecycles()));
      lockbox = report(driver.run(LOCKBOX, scale.lifecycles()));
      writeStatements(kind, bare);
      writeStatements(kind, lockbox);
    }
    Round defaults;
    try (BenchDatabase db = BenchDatabase.fresh(kind, "defaults");
        Node node = db.startWithCamundaDefaults("bench-defaults");
        LifecycleDriver driver = new LifecycleDriver(List.of(node), db, scale.clients())) {
      driver.run(LOCKBOX, scale.warmupLifecycles());
      defaults = report(driver.run(LOCKBOX, scale.lifecycles()));
    }
    String db = kind.label();
    List<Result> results = new ArrayList<>();
    results.add(Result.ratio(db, "1 lifecycle", "complete lifecycles/s (baseline: bare BPMN)", lockbox.perSecond(),
        bare.perSecond(), "/s", OVERHEAD_GOAL));
    results.add(new Result(db, "1 lifecycle", "SQL statements per lifecycle", Format.number(lockbox.statementsPerLifecycle()),
        Format.number(bare.statementsPerLifecycle()), Format.ratio(lockbox.statementsPerLifecycle()
        / bare.statementsPerLifecycle()), "", null));
    results.addAll(latencies(db, "1 lifecycle", "create", lockbox.creates(), bare.creates()));
    results.addAll(latencies(db, "1 lifecycle", "approve", lockbox.approves(), bare.approves()));
    results.add(Result.ratio(db, "2 tuning", "lifecycles/s, product settings (baseline: Camunda defaults)",
        lockbox.perSecond(), defaults.perSecond(), "/s", TUNING_GOAL));
    results.add(new Result(db, "2 tuning", "SQL statements per lifecycle", Format.number(lockbox.statementsPerLifecycle()),
        Format.number(defaults.statementsPerLifecycle()), Format.ratio(lockbox.statementsPerLifecycle()
        / defaults.statementsPerLifecycle()), "", null));
    results.addAll(latencies(db, "2 tuning", "create", lockbox.creates(), defaults.creates()));
    results.addAll(latencies(db, "2 tuning", "approve", lockbox.approves(), defaults.approves()));
    return results;
  }

  /** p50 and p99 of an API call, the product's against the baseline's. */
  static List<Result> latencies(String db, String scenario, String call, Latencies product, Latencies baseline) {
    List<Result> lines = new ArrayList<>();
    for (double percentile : new double[] {50, 99}) {
      double value = product.millis(percentile);
      double base = baseline.millis(percentile);
      lines.add(new Result(db, scenario, call + " p" + (int) percentile, Format.millis(value), Format.millis(base),
          Format.ratio(value / base), "", null));
    }
    return lines;
  }

  /**
   * Writes what a lifecycle sends, statement by statement, most frequent first, to
   * {@code target/benchmark/statements-<database>-<flow>.txt}: where its time goes.
   */
  static void writeStatements(BenchDatabase.Kind kind, Round round) throws IOException {
    StringBuilder lines = new StringBuilder(String.format(Locale.ROOT, "%.1f statements per lifecycle%n",
        round.statementsPerLifecycle()));
    round.statements().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> lines.append(String.format(Locale.ROOT, "%7.2f  %s%n", (double) e.getValue() / round.lifecycles(),
            e.getKey().replaceAll("\\s+", " "))));
    Path file = Path.of("target", "benchmark", "statements-" + kind.name().toLowerCase(Locale.ROOT) + "-"
        + round.flow().name().toLowerCase(Locale.ROOT) + ".txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, lines);
  }

  private static Round report(Round round) {
    Benchmark.log("  %s: %d lifecycles in %.1f s = %.1f/s, %.0f statements each; create p50 %.1f p99 %.1f ms; "
        + "approve p50 %.1f p99 %.1f ms", round.flow(), round.lifecycles(), round.seconds(), round.perSecond(),
        round.statementsPerLifecycle(), round.creates().millis(50),
        round.creates().millis(99), round.approves().millis(50), round.approves().millis(99));
    return round;
  }
}
