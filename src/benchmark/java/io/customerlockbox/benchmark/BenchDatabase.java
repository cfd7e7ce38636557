package io.customerlockbox.benchmark;

import com.zaxxer.hikari.HikariDataSource;
import io.customerlockbox.Node;
import io.customerlockbox.PostgresDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The database one scenario runs on: an H2 file under {@code target/benchmark} (the product's
 * embedded default) or a PostgreSQL database of its own (the production profile). Fresh ones
 * are deleted on close; kept ones hold data that takes long to make, for the next run.
 */
final class BenchDatabase implements AutoCloseable {

  enum Kind {
    H2, POSTGRES;

    String label() {
      return this == H2 ? "H2" : "PostgreSQL";
    }

    static Kind named(String name) {
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "h2" -> H2;
        case "postgres", "postgresql" -> POSTGRES;
        default -> throw new IllegalArgumentException("databases: h2 and/or postgres, not " + name);
      };
    }
  }

  static final Path H2_DIRECTORY = Path.of("target", "benchmark", "h2");

  /** Settings every node gets ({@code settings=a=b;c=d}): for trying engine settings before choosing them. */
  private static List<String> extra = List.of();

  static void extraSettings(List<String> settings) {
    extra = settings;
  }

  static List<String> extraSettings() {
    return extra;
  }

  private final Kind kind;
  private final String url;
  private final String user;
  private final String password;
  private final PostgresDatabase postgres;
  private final Path h2File;
  private final AutoVacuum autoVacuum;
  private HikariDataSource observer;

  private BenchDatabase(Kind kind, String url, String user, String password, PostgresDatabase postgres, Path h2File) {
    this.kind = kind;
    this.url = url;
    this.user = user;
    this.password = password;
    this.postgres = postgres;
    this.h2File = h2File;
    this.autoVacuum = kind == Kind.POSTGRES ? AutoVacuum.of(this) : null;
  }

  /** An empty database, deleted on close. */
  static BenchDatabase fresh(Kind kind, String name) {
    if (kind == Kind.POSTGRES) {
      PostgresDatabase db = PostgresDatabase.create("bench_" + name);
      return new BenchDatabase(kind, db.url(), db.user(), db.password(), db, null);
    }
    deleteH2(name);
    return h2(name, H2_DIRECTORY.resolve(name));
  }

  /** Database {@code name} as the last run left it (created if missing), kept on close. */
  static BenchDatabase kept(Kind kind, String name) {
    if (kind == Kind.POSTGRES) {
      PostgresDatabase db = PostgresDatabase.kept("lockbox_bench_" + name);
      return new BenchDatabase(kind, db.url(), db.user(), db.password(), db, null);
    }
    return h2(name, null);
  }

  private static BenchDatabase h2(String name, Path deleteOnClose) {
    // The product's page cache (application.yaml); AUTO_SERVER: a second JVM (the export's, the
    // start-up's) opens the same file over TCP.
    String url = "jdbc:h2:file:" + H2_DIRECTORY.toAbsolutePath().resolve(name) + ";CACHE_SIZE=131072;AUTO_SERVER=TRUE";
    return new BenchDatabase(Kind.H2, url, "sa", "", null, deleteOnClose);
  }

  Kind kind() {
    return kind;
  }

  String url() {
    return url;
  }

  String user() {
    return user;
  }

  String password() {
    return password;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  /**
   * The benchmark's own connections, beside the nodes' pools: what it reads to see whether a
   * phase is done is neither counted nor queued as the product's work.
   */
  JdbcTemplate observer() {
    if (observer == null) {
      observer = new HikariDataSource();
      observer.setJdbcUrl(url);
      observer.setUsername(user);
      observer.setPassword(password);
      observer.setMaximumPoolSize(2);
      observer.setPoolName("benchmark-observer");
    }
    return new JdbcTemplate(observer);
  }

  /**
   * What PostgreSQL's autovacuum does while requests wait for days (reminders are due after 3, the
   * expiry after 4): each table over its thresholds vacuumed and analysed, now. Nothing on H2,
   * which analyses a table itself as it changes ({@code ANALYZE_AUTO}).
   */
  void autovacuumAsAfterDays() {
    if (autoVacuum != null) {
      autoVacuum.visit();
    }
  }

  /** The profiles a node on this database runs with (demo: its tenants and users drive the load). */
  String profiles() {
    return kind == Kind.POSTGRES ? "postgres,demo" : "demo";
  }

  /** The datasource settings of a node on this database, plus {@code more}. */
  String[] settings(String... more) {
    List<String> settings = new ArrayList<>(List.of("spring.datasource.url=" + url,
        "spring.datasource.username=" + user, "spring.datasource.password=" + password,
        "spring.main.banner-mode=off", "logging.level.io.customerlockbox.demo=error"));
    settings.addAll(List.of(more));
    return settings.toArray(String[]::new);
  }

  /** Starts node {@code name} on this database with the product's engine settings (and any tried ones). */
  Node start(String name) {
    return Node.launch(name, profiles(), StatementCounter.initializer(), settings(extra.toArray(String[]::new)));
  }

  /** Starts node {@code name} on this database with Camunda's defaults in place of the product's engine settings. */
  Node startWithCamundaDefaults(String name) {
    return Node.launch(name, profiles(), StatementCounter.initializer(), settings(EngineSettings.CAMUNDA_DEFAULTS));
  }

  @Override
  public void close() throws Exception {
    if (autoVacuum != null) {
      autoVacuum.close();
    }
    if (observer != null) {
      observer.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    if (h2File != null) {
      deleteH2(h2File.getFileName().toString());
    }
  }

  private static void deleteH2(String name) {
    try {
      Files.createDirectories(H2_DIRECTORY);
      try (Stream<Path> files = Files.list(H2_DIRECTORY)) {
        for (Path file : files.filter(f -> f.getFileName().toString().startsWith(name + ".")).sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot delete the H2 database " + name, e);
    }
  }
}
