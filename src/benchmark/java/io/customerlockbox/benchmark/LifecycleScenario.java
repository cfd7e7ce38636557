package io.customerlockbox.benchmark;

import static io.customerlockbox.benchmark.LifecycleDriver.Flow.BARE;
import static io.customerlockbox.benchmark.LifecycleDriver.Flow.LOCKBOX;

import io.customerlockbox.Node;
import io.customerlockbox.benchmark.LifecycleDriver.Round;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Parts 1 and 2 of the benchmark. Lifecycle overhead: complete lockbox lifecycles per second
 * against the bare model's on the same node and database, and the latency of create and
 * approve. Tuning: the lockbox lifecycle with the product's engine settings against Camunda's
 * defaults, each on a database of its own.
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
    List<Round> bare = new ArrayList<>();
    List<Round> lockbox = new ArrayList<>();
    List<Round> defaults = new ArrayList<>();
    // Both nodes live through all rounds, which take turns: bare, lockbox, Camunda's defaults, and
    // again. Whatever the machine does meanwhile falls on all three alike, and the median round of
    // each is compared.
    try (BenchDatabase db = BenchDatabase.fresh(kind, "lifecycle");
        Node node = db.start("bench");
        LifecycleDriver driver = new LifecycleDriver(List.of(node), db, scale.clients());
        BenchDatabase defaultsDb = BenchDatabase.fresh(kind, "defaults");
        Node defaultsNode = defaultsDb.startWithCamundaDefaults("bench-defaults");
        LifecycleDriver defaultsDriver = new LifecycleDriver(List.of(defaultsNode), defaultsDb, scale.clients())) {
      driver.run(BARE, scale.warmupLifecycles());
      driver.run(LOCKBOX, scale.warmupLifecycles());
      defaultsDriver.run(LOCKBOX, scale.warmupLifecycles());
      for (int round = 0; round < scale.rounds(); round++) {
        bare.add(report("bare", driver.run(BARE, scale.lifecycles())));
        lockbox.add(report("lockbox", driver.run(LOCKBOX, scale.lifecycles())));
        defaults.add(report("Camunda defaults", defaultsDriver.run(LOCKBOX, scale.lifecycles())));
      }
    }
    writeStatements(kind, "bare", median(bare));
    writeStatements(kind, "lockbox", median(lockbox));
    writeStatements(kind, "defaults", median(defaults));
    String db = kind.label();
    List<Result> results = new ArrayList<>();
    results.addAll(compare(db, "1 lifecycle", "complete lifecycles/s (baseline: bare BPMN)", OVERHEAD_GOAL,
        lockbox, bare));
    results.addAll(compare(db, "2 tuning", "lifecycles/s, product settings (baseline: Camunda defaults)",
        TUNING_GOAL, lockbox, defaults));
    return results;
  }

  /**
   * The product's rounds against a baseline's: the median rounds' throughput and statements, each
   * round's ratio, and the API's latencies over all rounds.
   */
  private static List<Result> compare(String db, String scenario, String throughput, double goal,
      List<Round> product, List<Round> baseline) {
    Round productMedian = median(product);
    Round baselineMedian = median(baseline);
    List<Result> lines = new ArrayList<>();
    lines.add(Result.ratio(db, scenario, throughput, productMedian.perSecond(), baselineMedian.perSecond(), "/s",
        goal));
    lines.add(Result.info(db, scenario, "ratio in each round", perRound(product, baseline)));
    lines.add(new Result(db, scenario, "SQL statements per lifecycle",
        Format.number(productMedian.statementsPerLifecycle()), Format.number(baselineMedian.statementsPerLifecycle()),
        Format.ratio(productMedian.statementsPerLifecycle() / baselineMedian.statementsPerLifecycle()), "", null));
    lines.add(new Result(db, scenario, "engine jobs per lifecycle", Format.number(productMedian.jobsPerLifecycle()),
        Format.number(baselineMedian.jobsPerLifecycle()),
        Format.ratio(productMedian.jobsPerLifecycle() / baselineMedian.jobsPerLifecycle()), "", null));
    lines.addAll(latencies(db, scenario, "create", all(product, Round::creates), all(baseline, Round::creates)));
    lines.addAll(latencies(db, scenario, "approve", all(product, Round::approves), all(baseline, Round::approves)));
    return lines;
  }

  /** The round of median throughput. */
  private static Round median(List<Round> rounds) {
    List<Round> sorted = rounds.stream().sorted(Comparator.comparingDouble(Round::perSecond)).toList();
    return sorted.get(sorted.size() / 2);
  }

  /** The ratio of each round to the baseline's round of the same turn, e.g. "0.71, 0.74, 0.72". */
  private static String perRound(List<Round> product, List<Round> baseline) {
    List<String> ratios = new ArrayList<>();
    for (int i = 0; i < product.size(); i++) {
      ratios.add(Format.ratio(product.get(i).perSecond() / baseline.get(i).perSecond()));
    }
    return String.join(", ", ratios);
  }

  /** One call's latencies over every round. */
  private static Latencies all(List<Round> rounds, Function<Round, Latencies> call) {
    Latencies all = new Latencies();
    rounds.forEach(round -> all.addAll(call.apply(round)));
    return all;
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
  static void writeStatements(BenchDatabase.Kind kind, String label, Round round) throws IOException {
    StringBuilder lines = new StringBuilder(String.format(Locale.ROOT, "%.1f statements per lifecycle%n",
        round.statementsPerLifecycle()));
    round.statements().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> lines.append(String.format(Locale.ROOT, "%7.2f  %s%n", (double) e.getValue() / round.lifecycles(),
            e.getKey().replaceAll("\\s+", " "))));
    Path file = Path.of("target", "benchmark", "statements-" + kind.name().toLowerCase(Locale.ROOT) + "-"
        + label + ".txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, lines);
  }

  private static Round report(String label, Round round) {
    Benchmark.log("  %s: %d lifecycles in %.1f s = %.1f/s, %.0f statements and %.1f jobs each; create p50 %.1f "
        + "p99 %.1f ms; approve p50 %.1f p99 %.1f ms", label, round.lifecycles(), round.seconds(), round.perSecond(),
        round.statementsPerLifecycle(), round.jobsPerLifecycle(), round.creates().millis(50),
        round.creates().millis(99), round.approves().millis(50), round.approves().millis(99));
    return round;
  }
}
