package io.customerlockbox.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The query and export scenarios at smoke scale on each database, so they cannot rot: every line
 * is there with a sane value. The scenarios check every answer and every count themselves (and
 * throw when one is wrong); times are the benchmark's business, never asserted here.
 */
class QueryAndExportSmokeTest {

  @ParameterizedTest
  @EnumSource(BenchDatabase.Kind.class)
  void queriesAndExportRunAtSmokeScale(BenchDatabase.Kind kind) throws Exception {
    List<Result> results = Benchmark.run(List.of(kind), Scale.smoke(), List.of("queries", "export"), false);

    List<Tuple> timed = List.of(
        line("queries", "Recent table (28 days), p99"),
        line("queries", "Access request by id, p99"),
        line("queries", "Audit search by tenant, p99"),
        line("queries", "Audit search by tenant and type, p99"),
        line("queries", "Audit search by tenant and time (1, 7 or 30 days), p99"),
        line("queries", "Audit search by request, p99"),
        line("export", "NDJSON over HTTP, events/s"),
        line("export", "NDJSON in a 256 MB JVM, events/s"),
        line("export", "NDJSON in a 256 MB JVM, peak heap"));
    assertThat(results).allSatisfy(r -> assertThat(r.database()).isEqualTo(kind.label()));
    assertThat(results.stream().filter(r -> r.met() != null))
        .extracting(Result::scenario, Result::measure).containsExactlyElementsOf(timed);
    assertThat(results.stream().filter(r -> r.met() != null || r.measure().endsWith("p50")))
        .hasSize(timed.size() + 6)
        .allSatisfy(r -> assertThat(number(r.value())).as(r.measure()).isPositive());
    assertThat(results.stream().filter(r -> r.measure().startsWith("history:")))
        .extracting(Result::measure).containsOnly("history: 1,000 requests, 7,000 audit events, 10 tenants");
    assertThat(results).filteredOn(r -> r.measure().equals("NDJSON over HTTP, size"))
        .singleElement().satisfies(r -> assertThat(number(r.value())).isPositive());
  }

  private static Tuple line(String scenario, String measure) {
    return tuple(scenario, measure);
  }

  /** The number a value starts with ("1,234 ms", "56.7 MB"). */
  private static double number(String value) {
    return Double.parseDouble(value.split(" ")[0].replace(",", ""));
  }
}
