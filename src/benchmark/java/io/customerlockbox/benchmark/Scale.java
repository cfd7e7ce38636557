package io.customerlockbox.benchmark;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/**
 * How big a benchmark run is. {@link #full()} is what docs/benchmarks.md reports; {@link #smoke()}
 * runs every scenario at a tiny size in the tests, so the benchmark cannot rot.
 *
 * @param warmupLifecycles lifecycles of each flow run and thrown away before the measured rounds
 * @param lifecycles lifecycles per measured round
 * @param clients concurrent API clients of the lifecycle rounds
 * @param stormTimers pending requests (and bare timers) of the expiry storm
 * @param historicalRequests requests (with their audit events) in the database of the query scenario
 * @param exportEvents audit events one export streams
 * @param querySamples timed calls per query, after as many again to warm up
 * @param restarts start-ups timed on an existing database (after one on an empty one)
 * @param rounds measured rounds of each lifecycle flow, taken in turns; the median round counts
 * @param auditAppends audit events appended per round, each in a transaction of its own, with and without head signing
 */
public record Scale(String name, int warmupLifecycles, int lifecycles, int clients, int stormTimers,
    int historicalRequests, int exportEvents, int querySamples, int restarts, int rounds, int auditAppends) {

  public static Scale full() {
    return new Scale("full", 1_000, 1_000, 8, 10_000, 1_000_000, 1_000_000, 1_000, 3, 3, 20_000);
  }

  public static Scale smoke() {
    return new Scale("smoke", 2, 4, 2, 10, 1_000, 2_000, 5, 1, 1, 50);
  }

  /** This scale with one size changed ({@code lifecycles=300} on the command line): any component but the name. */
  Scale with(String size, int value) {
    RecordComponent[] components = Scale.class.getRecordComponents();
    Object[] values = new Object[components.length];
    boolean known = false;
    try {
      for (int i = 0; i < components.length; i++) {
        boolean changed = components[i].getType() == int.class && components[i].getName().equals(size);
        known |= changed;
        values[i] = changed ? value : components[i].getAccessor().invoke(this);
      }
      if (!known) {
        throw new IllegalArgumentException("Unknown size " + size);
      }
      return Scale.class.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType)
          .toArray(Class<?>[]::new)).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  static Scale named(String name) {
    return switch (name) {
      case "full" -> full();
      case "smoke" -> smoke();
      default -> throw new IllegalArgumentException("scale: full or smoke, not " + name);
    };
  }
}
