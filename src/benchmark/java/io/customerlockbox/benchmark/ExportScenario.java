package io.customerlockbox.benchmark;

import io.customerlockbox.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The audit export of {@code exportEvents} events as NDJSON: the newest events of a year of
 * {@link History}, all tenants' (an administrator exporting a period). Once through the node's HTTP
 * API, read as it streams in; once in a JVM of its own whose heap is capped at {@value #HEAP_MB} MB
 * ({@link HeapBoundExport}), which reports its peak heap. Both count the events; over HTTP the
 * first and the last are checked to be the window's.
 */
final class ExportScenario implements Scenario {

  private static final double GOAL_EVENTS_PER_SECOND = 50_000;
  private static final int HEAP_MB = 256;

  @Override
  public String name() {
    return "export";
  }

  @Override
  public List<Result> run(BenchDatabase.Kind kind, Scale scale) throws Exception {
    try (BenchDatabase db = HistoricalData.database(kind, scale);
        HistoricalData data = HistoricalData.start(db, name(), scale.historicalRequests())) {
      History history = data.history();
      long events = scale.exportEvents();
      if (events > history.events()) {
        throw new IllegalArgumentException("The history holds " + history.events() + " events, fewer than " + events);
      }
      // [from, to) holds exactly the newest `events` events of the history.
      long first = history.events() - events;
      long last = history.events() - 1;
      Instant from = history.eventAt(first / History.STEPS, (int) (first % History.STEPS));
      Instant to = history.asOf();
      String label = kind.label();
      List<Result> results = new ArrayList<>(data.results(kind, name()));

      long started = System.nanoTime();
      Lines lines = data.node().as("admin", "demo").stream(
          "/api/audit-events/export?format=NDJSON&from=" + from + "&to=" + to, (status, body) -> {
            if (status != 200) {
              throw new IllegalStateException("The export answered " + status);
            }
            return Lines.read(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)));
          });
      double seconds = (System.nanoTime() - started) / 1e9;
      expectEvents("over HTTP", lines.count(), events);
      String firstId = eventId(history, first);
      String lastId = eventId(history, last);
      if (!lines.first().contains("\"id\":\"" + firstId + "\"") || !lines.last().contains("\"id\":\"" + lastId + "\"")) {
        throw new IllegalStateException("The export should run from event " + firstId + " to " + lastId + ", not from "
            + lines.first() + " to " + lines.last());
      }
      results.add(throughput(label, "NDJSON over HTTP", events / seconds));
      results.add(Result.info(label, name(), "NDJSON over HTTP, size", String.format(Locale.ROOT, "%s MB (%,d B per event)",
          Format.number(lines.bytes() / 1e6), lines.bytes() / events)));

      Process probe = ChildJvm.of(HeapBoundExport.class, List.of("-Xmx" + HEAP_MB + "m", "-XX:+ExitOnOutOfMemoryError"),
              List.of(db.url(), db.user(), db.password(), from.toString(), to.toString()))
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      String report = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!probe.waitFor(1, TimeUnit.HOURS) || probe.exitValue() != 0) {
        throw new IllegalStateException("The export JVM (-Xmx" + HEAP_MB + "m) failed: " + report);
      }
      HeapBoundExport.Report bounded = HeapBoundExport.Report.parse(report);
      expectEvents("in a JVM of its own", bounded.events(), events);
      double peakMb = bounded.peakHeapBytes() / (1024.0 * 1024);
      results.add(throughput(label, "NDJSON in a " + HEAP_MB + " MB JVM", events / (bounded.nanos() / 1e9)));
      results.add(Result.against(label, name(), "NDJSON in a " + HEAP_MB + " MB JVM, peak heap",
          Format.number(peakMb) + " MB", "< " + HEAP_MB + " MB", peakMb < HEAP_MB));
      return results;
    }
  }

  private Result throughput(String label, String measure, double perSecond) {
    Benchmark.log("export %s: %,.0f events/s", measure, perSecond);
    return Result.against(label, name(), measure + ", events/s", Format.number(perSecond),
        "≥ " + Format.number(GOAL_EVENTS_PER_SECOND), perSecond >= GOAL_EVENTS_PER_SECOND);
  }

  private static String eventId(History history, long event) {
    return history.eventId(event / History.STEPS, (int) (event % History.STEPS));
  }

  private static void expectEvents(String where, long exported, long expected) {
    if (exported != expected) {
      throw new IllegalStateException("The export " + where + " wrote " + exported + " events, not " + expected);
    }
  }

  /** The lines of a body: how many, their bytes, the first and the last. */
  private record Lines(long count, long bytes, String first, String last) {

    static Lines read(BufferedReader reader) throws java.io.IOException {
      long count = 0;
      long bytes = 0;
      String first = "";
      String last = "";
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (count++ == 0) {
          first = line;
        }
        // The history's text is ASCII: a character is a byte, plus the line end.
        bytes += line.length() + 1;
        last = line;
      }
      return new Lines(count, bytes, first, last);
    }
  }
}
