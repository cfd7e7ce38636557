package io.customerlockbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A database of its own for one test class on the PostgreSQL at 127.0.0.1:5432 (database
 * {@code test}, user {@code postgres}) or at {@code LOCKBOX_TEST_PG_URL}: created fresh, so runs
 * never see each other's rows, and dropped afterwards, so they leave no mess.
 *
 * <p>An unreachable PostgreSQL fails the test in CI and skips it elsewhere ({@link Prerequisite}).
 */
public final class PostgresDatabase implements AutoCloseable {

  private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";

  private final String adminUrl;
  private final String user;
  private final String password;
  private final String name;
  private final boolean kept;

  private PostgresDatabase(String adminUrl, String user, String password, String name, boolean kept) {
    this.adminUrl = adminUrl;
    this.user = user;
    this.password = password;
    this.name = name;
    this.kept = kept;
  }

  /** Creates the database; an unreachable PostgreSQL is a {@link Prerequisite} missing. */
  public static PostgresDatabase create(String testName) {
    return open(testName, "lockbox_" + testName + "_" + UUID.randomUUID().toString().substring(0, 8), false);
  }

  /**
   * Database {@code name}, created if missing and left in place on close: for data that takes
   * long to make and is worth reusing (the benchmark's million requests).
   */
  public static PostgresDatabase kept(String name) {
    return open(name, name, true);
  }

  private static PostgresDatabase open(String testName, String databaseName, boolean kept) {
    String url = env("LOCKBOX_TEST_PG_URL", DEFAULT_URL);
    String user = env("LOCKBOX_TEST_PG_USER", "postgres");
    String password = env("LOCKBOX_TEST_PG_PASSWORD", "");
    String name = databaseName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    try (Connection connection = DriverManager.getConnection(url, user, password);
        Statement statement = connection.createStatement()) {
      boolean exists;
      try (var found = statement.executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
        exists = found.next();
      }
      if (!exists) {
        statement.execute("create database " + name);
      }
    } catch (SQLException e) {
      throw Prerequisite.missing(testName + " (PostgreSQL)", "PostgreSQL at " + url + " is not reachable ("
          + e.getMessage() + ")", "Start PostgreSQL or set LOCKBOX_TEST_PG_URL", e);
    }
    return new PostgresDatabase(url, user, password, name, kept);
  }

  /** The JDBC URL of this test's own database. */
  public String url() {
    int slash = adminUrl.lastIndexOf('/');
    int query = adminUrl.indexOf('?', slash);
    return adminUrl.substring(0, slash + 1) + name + (query < 0 ? "" : adminUrl.substring(query));
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  @Override
  public void close() throws SQLException {
    if (kept) {
      return;
    }
    try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
        Statement statement = connection.createStatement()) {
      statement.execute("drop database if exists " + name + " with (force)");
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
