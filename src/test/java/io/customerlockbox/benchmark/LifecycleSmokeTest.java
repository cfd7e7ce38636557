package io.customerlockbox.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's lifecycle, storm, start-up and cluster scenarios at a tiny size, so they cannot
 * rot: each one drives the real product to the end (a scenario throws when a lifecycle, a timer
 * or a start-up did not finish) and reports every line of its table. No timing is asserted.
 */
class LifecycleSmokeTest {

  @Test
  void lifecycleStormAndStartUpRunOnH2AndReportEveryLine() throws Exception {
    List<Result> results = Benchmark.run(List.of(BenchDatabase.Kind.H2), Scale.smoke(),
        List.of("lifecycle", "storm", "startup"), false);

    assertThat(results).extracting(Result::scenario).containsOnly("1 lifecycle", "2 tuning", "3 expiry storm",
        "7 start-up");
    assertThat(results).extracting(Result::database).containsOnly("H2");
    assertThat(measures(results, "1 lifecycle")).containsExactly("complete lifecycles/s (baseline: bare BPMN)",
        "ratio in each round", "SQL statements per lifecycle", "engine jobs per lifecycle", "create p50", "create p99",
        "approve p50", "approve p99");
    assertThat(measures(results, "2 tuning")).hasSize(8);
    // One measured round at smoke scale: its ratio is the one reported.
    assertThat(results).filteredOn(line -> line.measure().equals("ratio in each round"))
        .allSatisfy(line -> assertThat(line.value()).matches("\\d+\\.\\d\\d"));
    // The storm at each of its sizes, each line once; the largest storm's details after them.
    List<Integer> sizes = ExpiryStormScenario.sizes(Scale.smoke());
    assertThat(sizes).hasSizeGreaterThan(1).isSorted().doesNotHaveDuplicates();
    int largest = sizes.get(sizes.size() - 1);
    List<String> storm = new ArrayList<>();
    sizes.forEach(size -> storm.add(size + " timers fired/s (baseline: bare timers)"));
    storm.add("timers/s at " + largest + " against at " + sizes.get(0) + " (each flow)");
    List.of("SQL statements per timer", "drain time", "jobs/s (timers and what they caused)")
        .forEach(measure -> storm.add(measure + " (" + largest + " timers)"));
    List.of("p50", "p99").forEach(percentile -> storm.add("timer lateness (" + largest + " timers) " + percentile));
    assertThat(measures(results, "3 expiry storm")).containsExactlyElementsOf(storm);
    assertThat(results).filteredOn(line -> line.scenario().equals("3 expiry storm") && !line.goal().isEmpty())
        .singleElement().satisfies(line -> assertThat(line.measure()).startsWith(largest + " timers"));
    assertThat(measures(results, "7 start-up")).hasSize(2);
    // Ratio lines hold both numbers; goal lines say whether the goal was met.
    assertThat(results).allSatisfy(line -> assertThat(line.value()).isNotBlank());
    assertThat(results).filteredOn(line -> !line.ratio().isEmpty())
        .allSatisfy(line -> assertThat(Double.parseDouble(line.ratio())).isPositive());
    assertThat(results).filteredOn(line -> !line.goal().isEmpty())
        .allSatisfy(line -> assertThat(line.met()).isNotNull());
  }

  @Test
  void twoNodesShareOnePostgresql() throws Exception {
    List<Result> results = Benchmark.run(List.of(BenchDatabase.Kind.H2, BenchDatabase.Kind.POSTGRES), Scale.smoke(),
        List.of("cluster"), false);

    // Only on PostgreSQL: an H2 file belongs to one node.
    assertThat(results).extracting(Result::database).containsOnly("PostgreSQL");
    assertThat(measures(results, "6 cluster")).containsExactly(
        "lifecycles/s, 2 nodes each held to one core (baseline: 1 node on one core)", "ratio in each round",
        "each node held by", "SQL statements per lifecycle", "jobs per lifecycle", "job acquisitions per lifecycle",
        "jobs lost to the other node at acquisition, per lifecycle", "jobs failed on optimistic locking, per lifecycle",
        "transactions rolled back, per lifecycle", "database sessions, most sampled");
    assertThat(results.get(0).met()).isNotNull();
    assertThat(Double.parseDouble(results.get(0).ratio())).isPositive();
    // Both nodes worked and sent statements.
    assertThat(Double.parseDouble(results.get(3).value().replace(",", ""))).isPositive();
    assertThat(results.get(2).value()).contains("ActiveProcessorCount=1");
  }

  private static List<String> measures(List<Result> results, String scenario) {
    return results.stream().filter(line -> line.scenario().equals(scenario)).map(Result::measure).toList();
  }
}
