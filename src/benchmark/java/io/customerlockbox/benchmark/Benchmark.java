package io.customerlockbox.benchmark;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * The benchmark ({@code mvn -Pbenchmark verify}, see docs/benchmarks.md): every scenario on every
 * database asked for, one table at the end, also written to {@code target/benchmark/}.
 *
 * <p>Arguments (the profile passes the {@code benchmark.*} properties): {@code databases=h2,postgres},
 * {@code scale=full|smoke}, {@code scenarios=lifecycle,storm,...} (default: all), {@code sizes=lifecycles=500;...}
 * (sizes of {@link Scale} changed), {@code settings=a=b;...} (engine settings to try).
 */
public final class Benchmark {

  private Benchmark() {}

  static List<Scenario> scenarios() {
    return List.of(new LifecycleScenario(), new ExpiryStormScenario(), new QueryScenario(), new ExportScenario(),
        new ClusterScenario(), new StartupScenario(), new AuditSigningScenario());
  }

  public static void main(String[] args) throws Exception {
    List<BenchDatabase.Kind> kinds = List.of(BenchDatabase.Kind.H2, BenchDatabase.Kind.POSTGRES);
    Scale scale = Scale.full();
    List<String> only = List.of();
    List<String[]> sizes = new ArrayList<>();
    for (String arg : args) {
      String[] pair = arg.split("=", 2);
      String value = pair.length == 2 ? pair[1].trim() : "";
      if (value.isEmpty()) {
        continue;
      }
      switch (pair[0]) {
        case "databases" -> kinds = Arrays.stream(value.split(",")).map(BenchDatabase.Kind::named).distinct().toList();
        case "scale" -> scale = Scale.named(value);
        case "scenarios" -> only = List.of(value.split(","));
        case "settings" -> BenchDatabase.extraSettings(List.of(value.split(";")));
        case "sizes" -> Arrays.stream(value.split(";")).map(size -> size.split("=", 2)).forEach(sizes::add);
        default -> throw new IllegalArgumentException("Unknown argument " + arg);
      }
    }
    for (String[] size : sizes) {
      scale = scale.with(size[0], Integer.parseInt(size[1].trim()));
    }
    Instant started = Instant.now();
    List<Result> results = run(kinds, scale, only, true);
    String report = "Benchmark, " + scale.name() + " scale, " + machine() + ", took "
        + Duration.between(started, Instant.now()).toMinutes() + " min\n\n" + Format.table(results);
    System.out.println("\n" + report);
    Path file = Path.of("target", "benchmark", "results-" + scale.name() + ".md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, report);
    System.out.println("Written to " + file.toAbsolutePath());
    // Nodes' non-daemon threads (Tomcat, job executors) are all closed; exit in case a library left one.
    System.exit(results.stream().anyMatch(Result::failed) ? 1 : 0);
  }

  /**
   * Runs the scenarios named in {@code only} (all when empty) on each database of {@code kinds}.
   * A scenario that fails throws, unless {@code keepGoing}: then the table says it failed and why,
   * and the scenarios after it still run (a long run keeps what it measured).
   */
  static List<Result> run(List<BenchDatabase.Kind> kinds, Scale scale, List<String> only, boolean keepGoing)
      throws Exception {
    List<Result> results = new ArrayList<>();
    for (BenchDatabase.Kind kind : kinds) {
      for (Scenario scenario : scenarios()) {
        if ((only.isEmpty() || only.contains(scenario.name())) && scenario.runsOn(kind)) {
          log("%s on %s, %s scale", scenario.name(), kind.label(), scale.name());
          try {
            results.addAll(scenario.run(kind, scale));
          } catch (Exception e) {
            if (!keepGoing) {
              throw e;
            }
            log("%s on %s FAILED: %s", scenario.name(), kind.label(), e);
            e.printStackTrace(System.out);
            results.add(Result.failure(kind.label(), scenario.name(), e));
          } finally {
            ClockUtil.reset();
          }
        }
      }
    }
    return results;
  }

  static void log(String format, Object... args) {
    System.out.printf(Locale.ROOT, "[benchmark %tT] %s%n", Instant.now().toEpochMilli(), String.format(Locale.ROOT, format, args));
  }

  static String machine() {
    Runtime runtime = Runtime.getRuntime();
    return String.format(Locale.ROOT, "%d cores, Java %s, max heap %d MB, %s %s", runtime.availableProcessors(),
        System.getProperty("java.version"), runtime.maxMemory() / (1024 * 1024),
        System.getProperty("os.name"), ManagementFactory.getOperatingSystemMXBean().getArch());
  }
}
