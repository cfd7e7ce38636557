package io.customerlockbox.benchmark;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL's autovacuum, for a benchmark database on a server that runs without it (this
 * machine's: {@code autovacuum = off}). Production runs autovacuum, and the product relies on it
 * (docs/clustering.md): it vacuums a table's dead rows away and analyses a table as it grows,
 * which has the nodes' prepared statements planned again. Without it a plan made while a table was
 * nearly empty (a sequential scan) stays while the table grows, and dead rows pile up in the
 * tables and indexes a storm or a round reads; the benchmark would measure a server production
 * does not run. So once a naptime this visits the database as autovacuum's launcher would and,
 * table by table, vacuums and analyses what autovacuum would by the server's own thresholds, with
 * its cost delay; on a server that runs autovacuum the server does that. A scenario also has a
 * visit made when the benchmark skips days (its clock jumps to the reminders and the expiries):
 * by then autovacuum would have visited many times.
 */
final class AutoVacuum implements AutoCloseable {

  /** Autovacuum's settings, as the server has them. */
  record Thresholds(double vacuumBase, double vacuumScale, double insertBase, double insertScale, double analyzeBase,
      double analyzeScale) {

    /** Autovacuum's test (PostgreSQL's {@code relation_needs_vacanalyze}): a table not yet analysed counts as empty. */
    Action of(Table table) {
      double tuples = Math.max(0, table.tuples());
      boolean vacuum = table.deadRows() > vacuumBase + vacuumScale * tuples
          || table.insertsSinceVacuum() > insertBase + insertScale * tuples;
      boolean analyze = table.changesSinceAnalyze() > analyzeBase + analyzeScale * tuples;
      return vacuum && analyze ? Action.VACUUM_ANALYZE : vacuum ? Action.VACUUM : analyze ? Action.ANALYZE : Action.NONE;
    }
  }

  /** One table's counts, from {@code pg_class} and {@code pg_stat_user_tables}. */
  record Table(String name, double tuples, long deadRows, long insertsSinceVacuum, long changesSinceAnalyze) {
  }

  enum Action {
    NONE(null), VACUUM("vacuum"), ANALYZE("analyze"), VACUUM_ANALYZE("vacuum analyze");

    private final String command;

    Action(String command) {
      this.command = command;
    }
  }

  private final Connection connection;
  private final Thresholds thresholds;
  private final ScheduledExecutorService launcher; // null where the server runs autovacuum
  private int vacuums;
  private int analyses;
  private long nanos;

  private AutoVacuum(Connection connection, Thresholds thresholds, boolean serverRunsIt, long naptimeSeconds) {
    this.connection = connection;
    this.thresholds = thresholds;
    if (serverRunsIt) {
      this.launcher = null;
      return;
    }
    this.launcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "benchmark-autovacuum");
      thread.setDaemon(true);
      return thread;
    });
    launcher.scheduleWithFixedDelay(this::visit, naptimeSeconds, naptimeSeconds, TimeUnit.SECONDS);
  }

  /** Autovacuum for PostgreSQL database {@code db}: visiting once a naptime if its server runs none. */
  static AutoVacuum of(BenchDatabase db) {
    try {
      Connection connection = db.connect();
      try (Statement statement = connection.createStatement();
          ResultSet settings = statement.executeQuery("select current_setting('autovacuum')::boolean, "
              + "(select setting::int from pg_settings where name = 'autovacuum_naptime'), "
              + "current_setting('autovacuum_vacuum_threshold')::float8, "
              + "current_setting('autovacuum_vacuum_scale_factor')::float8, "
              + "current_setting('autovacuum_vacuum_insert_threshold')::float8, "
              + "current_setting('autovacuum_vacuum_insert_scale_factor')::float8, "
              + "current_setting('autovacuum_analyze_threshold')::float8, "
              + "current_setting('autovacuum_analyze_scale_factor')::float8, "
              + "current_setting('autovacuum_vacuum_cost_delay'), "
              + "case when current_setting('autovacuum_vacuum_cost_limit')::int < 0 "
              + "then current_setting('vacuum_cost_limit')::int "
              + "else current_setting('autovacuum_vacuum_cost_limit')::int end")) {
        settings.next();
        boolean serverRunsIt = settings.getBoolean(1);
        Thresholds thresholds = new Thresholds(settings.getDouble(3), settings.getDouble(4), settings.getDouble(5),
            settings.getDouble(6), settings.getDouble(7), settings.getDouble(8));
        int naptimeSeconds = settings.getInt(2);
        String costDelay = settings.getString(9);
        int costLimit = settings.getInt(10);
        // Autovacuum's workers pause as its cost delay says; a VACUUM or ANALYZE command does too
        // once its session has a delay.
        statement.execute("set vacuum_cost_delay = '" + costDelay + "'");
        statement.execute("set vacuum_cost_limit = " + costLimit);
        return new AutoVacuum(connection, thresholds, serverRunsIt, naptimeSeconds);
      } catch (SQLException | RuntimeException e) {
        connection.close();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read PostgreSQL's autovacuum settings", e);
    }
  }

  /** One visit: each table autovacuum would vacuum or analyse now, one after the other. */
  synchronized void visit() {
    try {
      List<Table> tables = new ArrayList<>();
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("select quote_ident(s.schemaname) || '.' || quote_ident(s.relname), "
              + "c.reltuples, s.n_dead_tup, s.n_ins_since_vacuum, s.n_mod_since_analyze "
              + "from pg_stat_user_tables s join pg_class c on c.oid = s.relid")) {
        while (rows.next()) {
          tables.add(new Table(rows.getString(1), rows.getDouble(2), rows.getLong(3), rows.getLong(4), rows.getLong(5)));
        }
      }
      long started = System.nanoTime();
      int vacuumed = 0;
      int analysed = 0;
      for (Table table : tables) {
        Action action = thresholds.of(table);
        if (action != Action.NONE) {
          try (Statement statement = connection.createStatement()) {
            statement.execute(action.command + " " + table.name());
          }
          vacuumed += action == Action.ANALYZE ? 0 : 1;
          analysed += action == Action.VACUUM ? 0 : 1;
        }
      }
      if (vacuumed + analysed > 0) {
        long took = System.nanoTime() - started;
        vacuums += vacuumed;
        analyses += analysed;
        nanos += took;
        Benchmark.log("  autovacuum: %d tables vacuumed, %d analysed in %.1f s", vacuumed,
            analysed, took / 1e9);
      }
    } catch (SQLException e) {
      // As autovacuum's own: a visit that fails is logged and the next one tries again.
      Benchmark.log("  autovacuum visit failed: %s", e.getMessage());
    }
  }

  /** Stops at the end of a visit in progress: the database can be dropped after this. */
  @Override
  public void close() throws Exception {
    if (launcher != null) {
      launcher.shutdown();
      if (!launcher.awaitTermination(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("The benchmark's autovacuum did not finish its visit");
      }
    }
    synchronized (this) {
      connection.close();
      if (vacuums + analyses > 0) {
        Benchmark.log("  autovacuum, this database: %d vacuums, %d analyses, %.1f s in all", vacuums, analyses,
            nanos / 1e9);
      }
    }
  }
}
