package io.customerlockbox;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The one place that decides whether a test must run here: what a test needs from the machine
 * (PostgreSQL, Chromium, npm) is either there, or the test fails in CI and is skipped elsewhere
 * with a notice that starts with {@code SKIPPED}. The build repeats every line holding
 * {@code SKIPPED} at its end (pom.xml, "test-notices"), so a skip is never silent.
 *
 * <p>CI is any value of the environment variable {@code CI} but empty, {@code false}, {@code 0}
 * or {@code no} (in any case): Jenkins, GitHub Actions, GitLab and {@code .ci/run} all set it.
 */
public final class Prerequisite {

  private static final Set<String> OFF = Set.of("", "false", "0", "no");

  private Prerequisite() {}

  /** Whether this run is CI's, where nothing a test needs may be missing. */
  public static boolean inCi() {
    String ci = System.getenv("CI");
    return ci != null && !OFF.contains(ci.trim().toLowerCase(Locale.ROOT));
  }

  /**
   * {@code what} is missing: fails in CI, otherwise prints a SKIPPED notice and aborts the test.
   * Never returns.
   *
   * @param what    the tests that cannot run, e.g. "browser tests"
   * @param reason  what is missing, e.g. "no Chromium at /usr/bin/chromium"
   * @param remedy  how to get it, e.g. "apt-get install chromium"
   */
  public static RuntimeException missing(String what, String reason, String remedy, Throwable cause) {
    String message = what + ": " + reason + ". " + remedy + "; CI never skips them.";
    if (inCi()) {
      throw new AssertionError("CI must run the " + message, cause);
    }
    System.out.println("SKIPPED " + message);
    Assumptions.abort(message);
    throw new IllegalStateException("unreachable");
  }

  /** The Chromium the browser tests drive: {@code LOCKBOX_CHROMIUM}, else Debian's /usr/bin/chromium. */
  public static Path chromium() {
    String configured = System.getenv("LOCKBOX_CHROMIUM");
    Path chromium = Path.of(configured == null || configured.isBlank() ? "/usr/bin/chromium" : configured);
    if (!Files.isExecutable(chromium)) {
      throw missing("browser tests", "no Chromium at " + chromium,
          "Install it (apt-get install chromium; .ci/run does) or set LOCKBOX_CHROMIUM", null);
    }
    return chromium;
  }

  /** npm on the PATH, for the tests that run Node tools (bpmnlint). */
  public static Path npm() {
    String name = System.getProperty("os.name").startsWith("Windows") ? "npm.cmd" : "npm";
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return Stream.of(path.split(Pattern.quote(File.pathSeparator)))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(() -> missing("bpmnlint of processes/*.bpmn", "npm is not on the PATH",
            "Install Node.js 20+ with npm (.ci/run does)", null));
  }
}
