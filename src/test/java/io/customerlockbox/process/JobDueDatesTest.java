package io.customerlockbox.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.AccessRequestView;
import java.util.List;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.AcquireJobsCmd;
import org.camunda.bpm.engine.impl.jobexecutor.AcquiredJobs;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The job executor takes only jobs that have a due date (it reads them in due-date order, through
 * an index): a job the previous version created without one, an async step waiting when it
 * stopped, gets one at the next start and runs.
 */
@Tag(ApplicationTest.BOTH_DATABASES)
class JobDueDatesTest extends ApplicationTest {

  @Autowired AccessRequestService requests;
  @Autowired JobDueDates jobDueDates;

  @Test
  void aJobThePreviousVersionLeftWithoutADueDateRunsAfterTheStart() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView created = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("engineer"));
    Job waiting = managementService.createJobQuery().processInstanceId(created.processInstanceId()).singleResult();
    assertThat(waiting.getDuedate()).as("this version dates every job it creates").isNotNull();
    assertThat(acquiredByTheJobExecutor()).contains(waiting.getId());

    // As the previous version left it.
    db.sql("update ACT_RU_JOB set DUEDATE_ = null where ID_ = ?").param(waiting.getId()).update();
    assertThat(acquiredByTheJobExecutor()).doesNotContain(waiting.getId());

    jobDueDates.postProcessEngineBuild(engine); // what every start does before its job executor runs
    assertThat(acquiredByTheJobExecutor()).contains(waiting.getId());
    drive(created.id());
    assertThat(requests.get(created.id(), fixtures.as("lead")).status())
        .isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);
  }

  /**
   * The jobs the job executor's own acquisition takes now (every due one), released again for the
   * test to run them.
   */
  private List<String> acquiredByTheJobExecutor() {
    ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
    JobExecutor executor = configuration.getJobExecutor();
    AcquiredJobs acquired = configuration.getCommandExecutorTxRequired()
        .execute(new AcquireJobsCmd(executor, Integer.MAX_VALUE));
    db.sql("update ACT_RU_JOB set LOCK_OWNER_ = null, LOCK_EXP_TIME_ = null where LOCK_OWNER_ = ?")
        .param(executor.getLockOwner()).update();
    return acquired.getJobIdBatches().stream().flatMap(List::stream).toList();
  }
}
