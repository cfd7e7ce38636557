package io.customerlockbox.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.ApplicationTest;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.ConnectionCallback;

/**
 * The engine finds a deleted task's subtasks, and reads one variable of an execution by name,
 * through the indexes the product adds to Camunda's tables: not by reading every pending task
 * (which made each expiry of a storm cost more the more requests were pending) or every
 * instance's variable of that name. (Which index a read of all of an execution's variables takes
 * depends on the table's size when the database planned it: docs/benchmarks.md.)
 */
@Tag(ApplicationTest.BOTH_DATABASES)
class EngineIndexesTest extends ApplicationTest {

  private static final String SUBTASKS = "select * from ACT_RU_TASK where PARENT_TASK_ID_ = 'a-task'";

  @Test
  void subtasksAreFoundThroughTheProductsIndexAndTheVariableAndDueDateIndexesExist() {
    // Made again on a start that finds them: nothing happens.
    jdbc.execute(EngineIndexes.JOB_DUE_DATE);
    jdbc.execute(EngineIndexes.VARIABLES_OF_EXECUTION);
    jdbc.execute(EngineIndexes.SUBTASKS);
    // The subtask lookup has no other index to take: told not to scan, the database must use ours.
    // The read by name has Camunda's own indexes beside ours, and which one a planner takes on a
    // table without statistics varies from run to run (PostgreSQL took two different ones in two runs): that ours
    // exists is what is checked, the storm's statement files show which one a real load takes.
    assertThat(indexesOf("ACT_RU_VARIABLE")).contains("LOCKBOX_IDX_VAR_EXE_TASK_NAME");
    assertThat(indexesOf("ACT_RU_JOB")).contains("LOCKBOX_IDX_JOB_DUEDATE");
    if (onPostgres()) {
      jdbc.execute(EngineIndexes.RUNNING_EXCLUSIVE_JOBS);
      assertThat(indexesOf("ACT_RU_JOB")).contains("LOCKBOX_IDX_JOB_LOCKED");
    }
    assertThat(plan(SUBTASKS)).as(SUBTASKS).containsIgnoringCase("LOCKBOX_IDX_TASK_PARENT");
  }

  /** The names of {@code table}'s indexes, upper case, as the JDBC driver lists them. */
  private List<String> indexesOf(String table) {
    return jdbc.execute((ConnectionCallback<List<String>>) connection -> {
      DatabaseMetaData meta = connection.getMetaData();
      String name = meta.storesLowerCaseIdentifiers() ? table.toLowerCase(Locale.ROOT) : table;
      List<String> indexes = new ArrayList<>();
      try (ResultSet rows = meta.getIndexInfo(null, null, name, false, false)) {
        while (rows.next()) {
          if (rows.getString("INDEX_NAME") != null) {
            indexes.add(rows.getString("INDEX_NAME").toUpperCase(Locale.ROOT));
          }
        }
      }
      return indexes;
    });
  }

  /**
   * The database's plan of {@code read}. PostgreSQL reads a table this small whole whatever its
   * indexes; told not to, it shows which index it takes, as it would for a large one.
   */
  private String plan(String read) {
    return jdbc.execute((ConnectionCallback<String>) connection -> {
      try (Statement statement = connection.createStatement()) {
        boolean postgres = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT)
            .contains("postgres");
        if (postgres) {
          statement.execute("set enable_seqscan = off");
        }
        StringBuilder plan = new StringBuilder();
        try (ResultSet rows = statement.executeQuery("explain " + read)) {
          while (rows.next()) {
            plan.append(rows.getString(1)).append('\n');
          }
        } finally {
          if (postgres) {
            statement.execute("reset enable_seqscan");
          }
        }
        return plan.toString();
      }
    });
  }
}
