package io.customerlockbox.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.customerlockbox.Prerequisite;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Lints every model in processes/ with bpmnlint (config in src/test/bpmnlint/.bpmnlintrc) and
 * keeps it at zero warnings (docs/process.md, "Model conventions"). bpmnlint is a Node tool:
 * without npm the test is skipped on a developer machine and fails in CI ({@link Prerequisite}).
 */
class BpmnLintTest {

  private static final boolean WINDOWS = System.getProperty("os.name").startsWith("Windows");
  private static final long NPM_CI_TIMEOUT_MINUTES = 5;
  private static final long LINT_TIMEOUT_MINUTES = 2;
  /** A problem line of bpmnlint's report: "  Task_X  warning  message  rule-name". */
  private static final Pattern PROBLEM_LINE =
      Pattern.compile("^\\s+\\S+\\s+(warning|error)\\s+", Pattern.MULTILINE);

  @Test
  void modelsHaveNoLintWarnings() throws Exception {
    Path repo = repoRoot();
    Path lintDir = repo.resolve("src/test/bpmnlint");
    Path npm = Prerequisite.npm();

    if (needsInstall(lintDir)) {
      Result install = run(lintDir, NPM_CI_TIMEOUT_MINUTES, npm.toString(), "ci");
      assertEquals(0, install.exitCode(),
          () -> "npm ci failed in " + lintDir + ":\n" + install.output());
    }

    String npx = npm.resolveSibling(WINDOWS ? "npx.cmd" : "npx").toString();
    List<String> command = new ArrayList<>(
        List.of(npx, "bpmnlint", "--config", ".bpmnlintrc", "--max-warnings=0"));
    List<Path> models = models(repo);
    assertFalse(models.isEmpty(), "no .bpmn files in " + repo.resolve("processes"));
    models.forEach(model -> command.add(model.toString()));

    Result lint = run(lintDir, LINT_TIMEOUT_MINUTES, command.toArray(String[]::new));
    assertEquals(0, lint.exitCode(), () -> "bpmnlint found problems:\n" + lint.output());
    assertFalse(PROBLEM_LINE.matcher(lint.output()).find(),
        () -> "bpmnlint reported warnings:\n" + lint.output());
  }

  /** Maven runs tests in the project directory; an IDE may start them in a subdirectory. */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("pom.xml"))
          && Files.isDirectory(dir.resolve("processes"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no pom.xml with a processes/ directory above "
        + Path.of("").toAbsolutePath());
  }

  private static List<Path> models(Path repo) throws IOException {
    try (Stream<Path> files = Files.list(repo.resolve("processes"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".bpmn")).sorted().toList();
    }
  }

  /** npm ci is slow and needs the registry: run it only when node_modules is missing or stale. */
  private static boolean needsInstall(Path lintDir) throws IOException {
    Path installed = lintDir.resolve("node_modules/.package-lock.json");
    if (!Files.exists(installed)) {
      return true;
    }
    return Files.getLastModifiedTime(lintDir.resolve("package-lock.json"))
        .compareTo(Files.getLastModifiedTime(installed)) > 0;
  }

  private record Result(int exitCode, String output) {}

  /** Output goes to a file, so a chatty process cannot block on a full pipe. */
  private static Result run(Path dir, long timeoutMinutes, String... command) throws Exception {
    Path log = Files.createTempFile("bpmnlint", ".log");
    try {
      Process process = new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        fail(String.join(" ", command) + " did not finish within " + timeoutMinutes
            + " minutes:\n" + Files.readString(log, StandardCharsets.UTF_8));
      }
      return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
