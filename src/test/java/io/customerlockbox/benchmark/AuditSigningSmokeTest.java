package io.customerlockbox.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The head-signing scenario at smoke scale on each database, so it cannot rot: both lines are
 * there with numbers (the scenario itself checks that the signed heads are signed). Times are the
 * benchmark's business, never asserted here.
 */
class AuditSigningSmokeTest {

  @ParameterizedTest
  @EnumSource(BenchDatabase.Kind.class)
  void signedAndUnsignedAppendsAreMeasuredInTheSameRun(BenchDatabase.Kind kind) throws Exception {
    List<Result> results = Benchmark.run(List.of(kind), Scale.smoke(), List.of("audit-signing"), false);

    assertThat(results).extracting(Result::measure).containsExactly(
        "appends with the head signed, per s (baseline: unsigned)",
        "one head signature, µs (baseline: one unsigned append)");
    Result ratio = results.get(0);
    assertThat(Double.parseDouble(ratio.value().replace(",", ""))).isPositive();
    assertThat(Double.parseDouble(ratio.baseline().replace(",", ""))).isPositive();
    assertThat(ratio.ratio()).matches("[0-9]+\\.[0-9]{2}");
    assertThat(results.get(1).value()).endsWith(" µs");
    assertThat(results.get(1).baseline()).endsWith(" µs");
    assertThat(results.get(1).met()).isNotNull();
  }
}
