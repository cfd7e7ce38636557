package io.customerlockbox.benchmark;

import io.customerlockbox.ChildJvm;
import io.customerlockbox.LockboxApplication;
import java.io.File;
import java.net.ServerSocket;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerlockbox.ApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Part 7: from launching the JVM to the readiness probe answering UP, as an orchestrator sees
 * it. First on an empty database (Flyway, Camunda's schema, the deployment), then restarts on
 * the database the first start left.
 */
final class StartupScenario implements Scenario {

  static final double GOAL_SECONDS = 15;
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  @Override
  public String name() {
    return "startup";
  }

  @Override
  public List<Result> run(BenchDatabase.Kind kind, Scale scale) throws Exception {
    try (BenchDatabase db = BenchDatabase.fresh(kind, "startup")) {
      double first = start(db);
      Latencies restarts = new Latencies();
      for (int i = 0; i < scale.restarts(); i++) {
        restarts.add((long) (start(db) * 1e9));
      }
      double restart = restarts.millis(50) / 1000;
      Benchmark.log("  first start %.1f s, restart (median of %d) %.1f s", first, scale.restarts(), restart);
      String label = kind.label();
      return List.of(
          Result.against(label, "7 start-up", "launch to ready, empty database", Format.number(first) + " s",
              "< " + Format.number(GOAL_SECONDS) + " s", first < GOAL_SECONDS),
          Result.against(label, "7 start-up", "launch to ready, restart (median of " + scale.restarts() + ")",
              Format.number(restart) + " s", "< " + Format.number(GOAL_SECONDS) + " s", restart < GOAL_SECONDS));
    }
  }

  /** Seconds from launch to ready; the node is stopped again afterwards. */
  private static double start(BenchDatabase db) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> args = new ArrayList<>(List.of("--spring.profiles.active=" + db.profiles(), "--server.port=" + port));
    for (String setting : db.settings()) {
      args.add("--" + setting);
    }
    File log = Path.of("target", "benchmark", "startup-" + db.kind().name().toLowerCase(Locale.ROOT) + ".log").toFile();
    ApiClient http = new ApiClient(port, new ObjectMapper());
    long launched = System.nanoTime();
    Process node = ChildJvm.of(LockboxApplication.class, List.of(), args).redirectErrorStream(true)
        .redirectOutput(log).start();
    try {
      while (true) {
        if (!node.isAlive()) {
          throw new IllegalStateException("The node exited while starting; see " + log);
        }
        if (System.nanoTime() - launched > PATIENCE.toNanos()) {
          throw new IllegalStateException("The node was not ready after " + PATIENCE + "; see " + log);
        }
        try {
          if (http.get("/actuator/health/readiness").status() == 200) {
            return (System.nanoTime() - launched) / 1e9;
          }
        } catch (java.io.UncheckedIOException notListeningYet) {
          // Tomcat is not up yet.
        }
        Work.sleep(50);
      }
    } finally {
      node.destroy();
      node.waitFor();
    }
  }
}
