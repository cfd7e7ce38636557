package io.customerlockbox.benchmark;

import java.util.List;
import java.util.Locale;

/** Numbers and the table as docs/benchmarks.md shows them. */
final class Format {

  private Format() {}

  static String number(double value) {
    if (value >= 100) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.2f", value);
  }

  static String ratio(double ratio) {
    return String.format(Locale.ROOT, "%.2f", ratio);
  }

  static String millis(double millis) {
    return number(millis) + " ms";
  }

  /** A Markdown table of {@code results}. */
  static String table(List<Result> results) {
    StringBuilder table = new StringBuilder(
        "| Database | Scenario | Measure | Lockbox | Baseline | Ratio | Goal | |\n|---|---|---|---:|---:|---:|---|---|\n");
    for (Result r : results) {
      table.append("| ").append(String.join(" | ", r.database(), r.scenario(), r.measure(), r.value(), r.baseline(),
          r.ratio(), r.goal(), r.verdict())).append(" |\n");
    }
    return table.toString();
  }
}
