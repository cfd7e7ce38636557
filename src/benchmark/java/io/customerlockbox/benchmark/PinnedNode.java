package io.customerlockbox.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerlockbox.ApiClient;
import io.customerlockbox.ChildJvm;
import io.customerlockbox.LockboxApplication;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.metrics.Meter;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.management.Metrics;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A node in a JVM of its own, held to one core: {@code taskset -c <core>} (where the machine has
 * it) and {@code -XX:ActiveProcessorCount=1}, so the JVM sizes its GC and common pool for one
 * core as well. The real application, as {@link io.customerlockbox.Node} starts it, with the
 * benchmark's statement counter; the benchmark drives it over HTTP and tells it, on its standard
 * input, where the engine clock went, when to stop or start its job executor, and asks it for
 * its counts (the engine's job acquisition and execution metrics, the statements it sent).
 */
final class PinnedNode implements DrivenNode, AutoCloseable {

  /** Marks the child's answers among its log lines. */
  private static final String ANSWER = "@pinned-node ";
  /** Starting and answering: generous, as a node held to one core of a busy machine starts slowly. */
  private static final Duration PATIENCE = Duration.ofMinutes(10);
  /** The engine's job metrics each node reports (cumulative since its start). */
  static final List<String> JOB_METRICS = List.of(Metrics.JOB_ACQUISITION_ATTEMPT, Metrics.JOB_ACQUIRED_SUCCESS,
      Metrics.JOB_ACQUIRED_FAILURE, Metrics.JOB_EXECUTION_REJECTED, Metrics.JOB_LOCKED_EXCLUSIVE,
      Metrics.JOB_SUCCESSFUL, Metrics.JOB_FAILED);
  static final String STATEMENTS = "statements";

  private final String name;
  private final String pinning;
  private final Process process;
  private final PrintWriter commands;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final ApiClient api;

  private PinnedNode(String name, String pinning, Process process, int port, Path log) throws IOException {
    this.name = name;
    this.pinning = pinning;
    this.process = process;
    this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    this.api = new ApiClient(port, new ObjectMapper());
    Writer logFile = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8); logFile) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (line.startsWith(ANSWER)) {
            answers.add(line.substring(ANSWER.length()));
          } else {
            logFile.write(line);
            logFile.write('\n');
            logFile.flush();
          }
        }
      } catch (IOException e) {
        answers.add("error " + e);
      }
    }, name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Whether nodes can be held to a core each with {@code taskset} (Linux with util-linux). */
  static boolean canPin() {
    return Files.isExecutable(Path.of("/usr/bin/taskset")) && Runtime.getRuntime().availableProcessors() > 1;
  }

  /**
   * Starts node {@code name} on {@code db} in a JVM of its own held to core {@code core} and waits
   * until it is ready. {@code settings} go to the node after the database's and the tried ones.
   */
  static PinnedNode start(BenchDatabase db, String name, int core, List<String> settings) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> args = new ArrayList<>(List.of("--spring.profiles.active=" + db.profiles(), "--server.port=" + port,
        "--camunda.bpm.generic-properties.properties.hostname=" + name, "--logging.level.root=warn",
        "--logging.level.io.customerlockbox=warn",
        // The job metrics stay in the node's memory, where this benchmark reads them: not written
        // out (and reset) every 15 minutes in the middle of a round.
        "--camunda.bpm.metrics.db-reporter-activate=false"));
    for (String setting : db.settings(BenchDatabase.extraSettings().toArray(String[]::new))) {
      args.add("--" + setting);
    }
    for (String setting : settings) {
      args.add("--" + setting);
    }
    ProcessBuilder builder = ChildJvm.of(PinnedNode.class, List.of("-Xmx1g", "-XX:ActiveProcessorCount=1"), args);
    String pinning = "-XX:ActiveProcessorCount=1";
    if (canPin()) {
      builder.command().addAll(0, List.of("/usr/bin/taskset", "-c", Integer.toString(core)));
      pinning = "taskset -c " + core + ", " + pinning;
    }
    Path log = Path.of("target", "benchmark", "node-" + name + ".log");
    Files.createDirectories(log.getParent());
    PinnedNode node = new PinnedNode(name, pinning, builder.redirectErrorStream(true).start(), port, log);
    node.awaitReady(log);
    Benchmark.log("  %s ready (%s), log %s", name, pinning, log);
    return node;
  }

  private void awaitReady(Path log) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited while starting; see " + log);
      }
      if (System.nanoTime() > deadline) {
        close();
        throw new IllegalStateException(name + " was not ready after " + PATIENCE + "; see " + log);
      }
      try {
        if (api.get("/actuator/health/readiness").status() == 200) {
          return;
        }
      } catch (UncheckedIOException notListeningYet) {
        // Tomcat is not up yet.
      }
      Work.sleep(100);
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** How this node is held to its core, e.g. "taskset -c 1, -XX:ActiveProcessorCount=1". */
  String pinning() {
    return pinning;
  }

  @Override
  public ApiClient as(String user, String password) {
    return api.as(user, password);
  }

  @Override
  public void clockMoved(long offsetMillis) {
    ask("clock " + offsetMillis);
  }

  /** Starts ({@code true}) or stops this node's job executor; its API keeps answering. */
  void jobExecutor(boolean on) {
    ask("jobs " + (on ? "on" : "off"));
  }

  /** The node's counts since it started: {@link #JOB_METRICS} and {@value #STATEMENTS}. */
  Map<String, Long> counts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String pair : ask("counts").split(" ")) {
      String[] nameAndCount = pair.split("=", 2);
      counts.put(nameAndCount[0], Long.parseLong(nameAndCount[1]));
    }
    return counts;
  }

  private synchronized String ask(String command) {
    commands.println(command);
    try {
      String answer = answers.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      if (answer == null || answer.startsWith("error")) {
        throw new IllegalStateException(name + " did not answer " + command + ": " + answer);
      }
      return answer;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    commands.println("stop");
    try {
      if (!process.waitFor(1, TimeUnit.MINUTES)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** The node's JVM: the application, then one command a line on standard input, one answer a line. */
  public static void main(String[] args) throws IOException {
    ConfigurableApplicationContext context = new SpringApplicationBuilder(LockboxApplication.class)
        .initializers(StatementCounter.initializer()).run(args);
    ProcessEngineConfigurationImpl engine = (ProcessEngineConfigurationImpl) context.getBean(ProcessEngine.class)
        .getProcessEngineConfiguration();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null && !line.equals("stop"); line = in.readLine()) {
      String[] command = line.split(" ");
      String answer = switch (command[0]) {
        case "clock" -> {
          ClockUtil.offset(Long.parseLong(command[1]));
          engine.getJobExecutor().jobWasAdded();
          yield "ok";
        }
        case "jobs" -> {
          if (command[1].equals("on")) {
            engine.getJobExecutor().start();
          } else {
            engine.getJobExecutor().shutdown();
          }
          yield "ok";
        }
        case "counts" -> {
          Map<String, Meter> meters = engine.getMetricsRegistry().getDbMeters();
          StringBuilder counts = new StringBuilder(STATEMENTS + "=" + StatementCounter.total(StatementCounter.snapshot()));
          for (String metric : JOB_METRICS) {
            Meter meter = meters.get(metric);
            counts.append(' ').append(metric).append('=').append(meter == null ? 0 : meter.get());
          }
          yield counts.toString();
        }
        default -> "error: unknown command " + line;
      };
      System.out.println(ANSWER + answer);
    }
    context.close();
    System.exit(0);
  }
}
