package io.customerlockbox.process;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.db.sql.DbSqlSessionFactory;
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
 *
 * <p>{@code LOCKBOX_IDX_JOB_LOCKED} (PostgreSQL): for each job it may take, the acquisition asks
 * whether another exclusive job of the same instance is running ({@code not exists (... where
 * J2.PROCESS_INSTANCE_ID_ = RES.PROCESS_INSTANCE_ID_ and J2.EXCLUSIVE_ and J2.LOCK_OWNER_ is not
 * null ...)}). PostgreSQL answers that by hashing the running jobs once per acquisition, and
 * without this index it read every job of the table to find them, however few it took. The index
 * holds the running exclusive jobs alone. H2 has no partial index and asks per job, through
 * Camunda's index on the instance.
 */
@Component
class EngineIndexes extends AbstractProcessEnginePlugin {

  static final String SUBTASKS = "create index if not exists LOCKBOX_IDX_TASK_PARENT on ACT_RU_TASK (PARENT_TASK_ID_)";

  static final String VARIABLES_OF_EXECUTION = "create index if not exists LOCKBOX_IDX_VAR_EXE_TASK_NAME "
      + "on ACT_RU_VARIABLE (EXECUTION_ID_, TASK_ID_, NAME_)";

  static final String JOB_DUE_DATE = "create index if not exists LOCKBOX_IDX_JOB_DUEDATE on ACT_RU_JOB (DUEDATE_)";

  static final String RUNNING_EXCLUSIVE_JOBS = "create index if not exists LOCKBOX_IDX_JOB_LOCKED "
      + "on ACT_RU_JOB (PROCESS_INSTANCE_ID_) where EXCLUSIVE_ and LOCK_OWNER_ is not null";

  private final JdbcClient jdbc;

  EngineIndexes(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine processEngine) {
    List<String> indexes = new ArrayList<>(List.of(SUBTASKS, VARIABLES_OF_EXECUTION, JOB_DUE_DATE));
    if (DbSqlSessionFactory.POSTGRES.equals(
        ((ProcessEngineConfigurationImpl) processEngine.getProcessEngineConfiguration()).getDatabaseType())) {
      indexes.add(RUNNING_EXCLUSIVE_JOBS);
    }
    for (String index : indexes) {
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
