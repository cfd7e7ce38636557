package io.customerlockbox.benchmark;

import java.util.Arrays;

/** Durations of one kind of call, for its percentiles. Thread-safe. */
final class Latencies {

  private long[] nanos = new long[1024];
  private int count;

  synchronized void add(long durationNanos) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = durationNanos;
  }

  /** Adds every duration {@code other} recorded. */
  void addAll(Latencies other) {
    long[] theirs;
    synchronized (other) {
      theirs = Arrays.copyOf(other.nanos, other.count);
    }
    for (long duration : theirs) {
      add(duration);
    }
  }

  /** Times {@code call} and records how long it took. */
  <T> T time(ThrowingSupplier<T> call) throws Exception {
    long start = System.nanoTime();
    try {
      return call.get();
    } finally {
      add(System.nanoTime() - start);
    }
  }

  synchronized int count() {
    return count;
  }

  /** The {@code percentile} (0-100) in milliseconds, nearest-rank. */
  synchronized double millis(double percentile) {
    if (count == 0) {
      throw new IllegalStateException("nothing was measured");
    }
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percentile / 100.0 * count);
    return sorted[Math.max(0, Math.min(count, rank) - 1)] / 1_000_000.0;
  }

  @FunctionalInterface
  interface ThrowingSupplier<T> {
    T get() throws Exception;
  }
}
