package io.customerlockbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A class of this project run in a JVM of its own, on this JVM's class path: for what must be
 * measured or killed apart from the test (a bounded heap, a start-up, a kill -9).
 */
public final class ChildJvm {

  private ChildJvm() {}

  /** {@code java <jvmOptions> -cp <this class path> <main> <args>}, not started yet. */
  public static ProcessBuilder of(Class<?> main, List<String> jvmOptions, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    // Under Surefire the class path is a manifest-only jar that names every other jar: it works here too.
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(args);
    return new ProcessBuilder(command);
  }
}
