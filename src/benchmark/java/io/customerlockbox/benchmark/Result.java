package io.customerlockbox.benchmark;

/**
 * One line of the benchmark's table: what the lockbox reached, what the same run's baseline
 * reached, their ratio, the goal and whether it was met ({@code null}: no goal).
 */
public record Result(String database, String scenario, String measure, String value, String baseline, String ratio,
    String goal, Boolean met) {

  /** A measure without baseline or goal. */
  static Result info(String database, String scenario, String measure, String value) {
    return new Result(database, scenario, measure, value, "", "", "", null);
  }

  /** A measure held to an absolute goal (e.g. p99 under 50 ms). */
  static Result against(String database, String scenario, String measure, String value, String goal, boolean met) {
    return new Result(database, scenario, measure, value, "", "", goal, met);
  }

  /** A measure compared with its baseline; {@code minRatio} is the goal (value / baseline at least). */
  static Result ratio(String database, String scenario, String measure, double value, double baseline,
      String unit, double minRatio) {
    double ratio = value / baseline;
    return new Result(database, scenario, measure, Format.number(value) + unit, Format.number(baseline) + unit,
        Format.ratio(ratio), "≥ " + Format.ratio(minRatio), ratio >= minRatio);
  }

  private static final String DID_NOT_FINISH = "did not finish: ";

  /** A scenario that did not finish: its line says why instead of a number. */
  static Result failure(String database, String scenario, Exception cause) {
    return new Result(database, scenario, DID_NOT_FINISH
        + String.valueOf(cause.getMessage()).replaceAll("[\\r\\n|]+", " "), "", "", "", "", false);
  }

  boolean failed() {
    return measure.startsWith(DID_NOT_FINISH);
  }

  String verdict() {
    return met == null ? "" : met ? "met" : failed() ? "FAILED" : "MISSED";
  }
}
