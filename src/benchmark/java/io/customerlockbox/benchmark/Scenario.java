package io.customerlockbox.benchmark;

import java.util.List;

/** One scenario of the benchmark: it makes its own databases and nodes, measures, and cleans up. */
interface Scenario {

  /** The name given to {@code -Dbenchmark.scenarios}. */
  String name();

  /** Whether it means anything on {@code kind} (a cluster needs a shared server database). */
  default boolean runsOn(BenchDatabase.Kind kind) {
    return true;
  }

  /**
   * Runs at {@code scale} on a database of {@code kind} and answers its table lines. Throws when
   * the product did not do what was asked (a lifecycle left unfinished, an event missing from an
   * export): a number is only worth reporting when the work behind it was done.
   */
  List<Result> run(BenchDatabase.Kind kind, Scale scale) throws Exception;
}
