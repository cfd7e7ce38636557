package io.customerlockbox.process;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Gives a due date to every job a previous version left without one, on every start, before the
 * job executor runs.
 *
 * <p>The job executor takes the earliest due jobs first, through an index on the due date
 * ({@code ensure-job-due-date-not-null} and {@code job-executor-acquire-by-due-date} in
 * application.yaml, {@link EngineIndexes#JOB_DUE_DATE}): without it each acquisition read every
 * job of the table, so in an expiry storm each timer cost more the more were pending
 * (docs/benchmarks.md, "Job acquisition by due date"). With those settings the engine gives every
 * new job a due date (an async step: the moment it was created) and acquires only jobs that have
 * one: a job the previous version created without one (an async step waiting when it stopped)
 * would never run. It gets the time it was created, so it runs first, as it would have.
 */
@Component
class JobDueDates extends AbstractProcessEnginePlugin {

  static final String LEFT_WITHOUT_ONE = "update ACT_RU_JOB set DUEDATE_ = coalesce(CREATE_TIME_, ?) "
      + "where DUEDATE_ is null";

  private final JdbcClient jdbc;

  JobDueDates(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine processEngine) {
    if (((ProcessEngineConfigurationImpl) processEngine.getProcessEngineConfiguration()).isEnsureJobDueDateNotNull()) {
      jdbc.sql(LEFT_WITHOUT_ONE).param(ClockUtil.getCurrentTime()).update();
    }
  }
}
