package io.customerlockbox.benchmark;

/**
 * How big a benchmark run is. {@link #full()} is what BENCHMARKS.md reports; {@link #smoke()}
 * runs every scenario at a tiny size in the tests, so the benchmark cannot rot.
 *
 * @param warmupLifecycles lifecycles run and thrown away before each measured round
 * @param lifecycles lifecycles per measured round
 * @param clients concurrent API clients of the lifecycle rounds
 * @param stormTimers pending requests (and bare timers) of the expiry storm
 * @param historicalRequests requests (with their audit events) in the database of the query scenario
 * @param exportEvents audit events one export streams
 * @param querySamples timed calls per query, after as many again to warm up
 * @param restarts start-ups timed on an existing database (after one on an empty one)
 */
public record Scale(String name, int warmupLifecycles, int lifecycles, int clients, int stormTimers,
    int historicalRequests, int exportEvents, int querySamples, int restarts) {

  public static Scale full() {
    return new Scale("full", 200, 1_000, 8, 10_000, 1_000_000, 1_000_000, 1_000, 3);
  }

  public static Scale smoke() {
    return new Scale("smoke", 2, 4, 2, 10, 1_000, 2_000, 5, 1);
  }

  /** This scale with one size changed ({@code lifecycles=300} on the command line). */
  Scale with(String size, int value) {
    return switch (size) {
      case "warmupLifecycles" -> new Scale(name, value, lifecycles, clients, stormTimers, historicalRequests, exportEvents, querySamples, restarts);
      case "lifecycles" -> new Scale(name, warmupLifecycles, value, clients, stormTimers, historicalRequests, exportEvents, querySamples, restarts);
      case "clients" -> new Scale(name, warmupLifecycles, lifecycles, value, stormTimers, historicalRequests, exportEvents, querySamples, restarts);
      case "stormTimers" -> new Scale(name, warmupLifecycles, lifecycles, clients, value, historicalRequests, exportEvents, querySamples, restarts);
      case "historicalRequests" -> new Scale(name, warmupLifecycles, lifecycles, clients, stormTimers, value, exportEvents, querySamples, restarts);
      case "exportEvents" -> new Scale(name, warmupLifecycles, lifecycles, clients, stormTimers, historicalRequests, value, querySamples, restarts);
      case "querySamples" -> new Scale(name, warmupLifecycles, lifecycles, clients, stormTimers, historicalRequests, exportEvents, value, restarts);
      case "restarts" -> new Scale(name, warmupLifecycles, lifecycles, clients, stormTimers, historicalRequests, exportEvents, querySamples, value);
      default -> throw new IllegalArgumentException("Unknown size " + size);
    };
  }

  static Scale named(String name) {
    return switch (name) {
      case "full" -> full();
      case "smoke" -> smoke();
      default -> throw new IllegalArgumentException("scale: full or smoke, not " + name);
    };
  }
}
