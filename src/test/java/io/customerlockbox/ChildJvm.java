package io.customerlockbox;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
    command.addAll(List.of("-cp", classPath(), main.getName()));
    command.addAll(args);
    return new ProcessBuilder(command);
  }

  /**
   * The project's classes and the test scope's jars, as the build lists them. Not Surefire's own
   * class path, a manifest-only jar: Spring resolves {@code classpath*:} through the manifest
   * as well, and would find every model twice.
   */
  private static String classPath() {
    // Written by the build (maven-dependency-plugin, see pom.xml).
    Path dependencies = Path.of("target", "test-classpath.txt");
    try {
      return String.join(File.pathSeparator, Path.of("target", "test-classes").toAbsolutePath().toString(),
          Path.of("target", "classes").toAbsolutePath().toString(), Files.readString(dependencies).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(dependencies + " is missing: run through Maven, which writes it", e);
    }
  }
}
