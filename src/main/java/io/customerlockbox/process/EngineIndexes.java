package io.customerlockbox.process;

import java.util.List;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Indexes the product adds to Camunda's own tables, made once the engine has made its schema (a
 * Flyway migration runs before the engine, when a fresh database has no ACT_* table yet), on
 * every start if missing, on H2 and PostgreSQL alike.
 *
 * <p>{@code LOCKBOX_IDX_TASK_PARENT}: deleting a task (a timer ends the customer's review, a
 * decision completes it) asks the engine for its subtasks, {@code PARENT_TASK_ID_ = ?}, a column
 * Camunda does not index: every expiry of a storm read the whole task table, one task per
 * request still pending, so each expiry cost more the larger the storm (PostgreSQL's statistics
 * of the storm: one sequential scan of ACT_RU_TASK per timer, reading half the pending tasks on
 * average; docs/benchmarks.md, "The expiry storm at several sizes").
 *
 * <p>{@code LOCKBOX_IDX_VAR_EXE_TASK_NAME}: the engine reads an execution's variables, or one of
 * them by name ({@code execution.getVariable("notification")}), with {@code EXECUTION_ID_ = ? and
 * TASK_ID_ is null [and NAME_ in (...)]}. Camunda's indexes each cover a part of that, and the
 * planner, without statistics (PostgreSQL without autovacuum, or soon after a burst of new
 * instances) or with a generic plan, picks {@code (TASK_ID_, NAME_, TYPE_)} for it: every
 * variable of that name in the table is read to find the one of this execution. With N requests
 * pending, each such read of a pending instance's variable cost O(N) (seen while a storm's
 * requests were created). An index on all three columns answers it from the
 * execution's own entries, whatever the statistics.
 *
 * <p>{@code LOCKBOX_IDX_JOB_DUEDATE}: the job executor takes the earliest due jobs first ({@code
 * order by DUEDATE_}, {@link JobDueDates}); through this index it reads the few it takes, where
 * Camunda's acquisition otherwise read every job in the table, as many as a storm has timers.
 */
@Component
class EngineIndexes extends AbstractProcessEnginePlugin {

  static final String SUBTASKS = "create index if not exists LOCKBOX_IDX_TASK_PARENT on ACT_RU_TASK (PARENT_TASK_ID_)";

  static final String VARIABLES_OF_EXECUTION = "create index if not exists LOCKBOX_IDX_VAR_EXE_TASK_NAME "
      + "on ACT_RU_VARIABLE (EXECUTION_ID_, TASK_ID_, NAME_)";

  static final String JOB_DUE_DATE = "create index if not exists LOCKBOX_IDX_JOB_DUEDATE on ACT_RU_JOB (DUEDATE_)";

  private final JdbcClient jdbc;

  EngineIndexes(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine processEngine) {
    for (String index : List.of(SUBTASKS, VARIABLES_OF_EXECUTION, JOB_DUE_DATE)) {
      try {
        jdbc.sql(index).update();
      } catch (DataAccessException madeMeanwhile) {
        // Two nodes starting at once may both build it (PostgreSQL lets both in) and one loses on
        // the name: once more, and it exists.
        jdbc.sql(index).update();
      }
    }
  }
}
