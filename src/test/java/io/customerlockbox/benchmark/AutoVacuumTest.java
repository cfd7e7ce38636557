package io.customerlockbox.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.benchmark.AutoVacuum.Action;
import io.customerlockbox.benchmark.AutoVacuum.Table;
import io.customerlockbox.benchmark.AutoVacuum.Thresholds;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The benchmark's stand-in for PostgreSQL's autovacuum: autovacuum's test of a table (PostgreSQL's
 * defaults: 50 rows plus a tenth of the table changed for an analysis, 50 plus a fifth dead or
 * 1,000 plus a fifth inserted for a vacuum), and a visit on a real server, as the storm has one made
 * before each clock jump.
 */
class AutoVacuumTest {

  private static final Thresholds DEFAULTS = new Thresholds(50, 0.2, 1_000, 0.2, 50, 0.1);

  @Test
  void aTableNeverAnalysedIsAnalysedOnceFiftyRowsChanged() {
    assertThat(DEFAULTS.of(new Table("t", -1, 0, 50, 50))).isEqualTo(Action.NONE);
    assertThat(DEFAULTS.of(new Table("t", -1, 0, 51, 51))).isEqualTo(Action.ANALYZE);
  }

  @Test
  void aTableIsAnalysedOnceATenthOfItChanged() {
    assertThat(DEFAULTS.of(new Table("t", 10_000, 0, 0, 1_050))).isEqualTo(Action.NONE);
    assertThat(DEFAULTS.of(new Table("t", 10_000, 0, 0, 1_051))).isEqualTo(Action.ANALYZE);
  }

  @Test
  void aTableIsVacuumedOnceAFifthOfItIsDeadOrNew() {
    assertThat(DEFAULTS.of(new Table("t", 10_000, 2_050, 0, 0))).isEqualTo(Action.NONE);
    assertThat(DEFAULTS.of(new Table("t", 10_000, 2_051, 0, 0))).isEqualTo(Action.VACUUM);
    assertThat(DEFAULTS.of(new Table("t", 10_000, 0, 3_001, 0))).isEqualTo(Action.VACUUM);
    assertThat(DEFAULTS.of(new Table("t", 10_000, 2_051, 0, 1_051))).isEqualTo(Action.VACUUM_ANALYZE);
  }

  @Test
  void aVisitAnalysesATableThatGrew() throws Exception {
    try (BenchDatabase db = BenchDatabase.fresh(BenchDatabase.Kind.POSTGRES, "autovacuum")) {
      JdbcTemplate sql = db.observer();
      try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
        statement.execute("create table grown (id int primary key)");
        statement.execute("insert into grown select generate_series(1, 500)");
        // The server publishes a session's table counts when it is idle, at most once a second;
        // this has them published now.
        statement.execute("select pg_stat_force_next_flush()");
      }
      assertThat(analyses(sql)).isZero();

      db.autovacuumAsAfterDays();

      assertThat(analyses(sql)).isOne();
      assertThat(sql.queryForObject("select reltuples from pg_class where relname = 'grown'", Double.class))
          .isEqualTo(500);
    }
  }

  private static Long analyses(JdbcTemplate sql) {
    return sql.queryForObject("select analyze_count from pg_stat_user_tables where relname = 'grown'", Long.class);
  }
}
