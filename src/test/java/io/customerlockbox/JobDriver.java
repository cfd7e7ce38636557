package io.customerlockbox;

import java.util.List;
import io.customerlockbox.process.ProcessModel;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.runtime.ProcessInstanceQuery;

/**
 * Drives a process instance while the job executor is off: executes the jobs that are due now
 * (async continuations, timers whose due date has passed on the engine's clock), then the jobs
 * those created, until none is due. Never sleeps; a job that fails throws its own exception.
 */
public final class JobDriver {

  /** More jobs than any path through the model creates: a loop is a bug, not a slow process. */
  static final int MAX_JOBS = 50;

  private final ManagementService managementService;
  private final RuntimeService runtimeService;

  public JobDriver(ManagementService managementService) {
    this(managementService, null);
  }

  /** With the runtime service it can also drive the notifications of a request ({@link #executeDueJobsOfRequest}). */
  public JobDriver(ManagementService managementService, RuntimeService runtimeService) {
    this.managementService = managementService;
    this.runtimeService = runtimeService;
  }

  /**
   * Every instance working for the access request: its own (business key: the request's id) and
   * its notifications' (the id, then the occasion; the id alone for notifications started before
   * the occasion moved into the key).
   */
  public static ProcessInstanceQuery instancesOfRequest(RuntimeService runtimeService, String accessRequestId) {
    return runtimeService.createProcessInstanceQuery().or().processInstanceBusinessKey(accessRequestId)
        .processInstanceBusinessKeyLike(ProcessModel.notificationKey(accessRequestId, "%")).endOr();
  }

  /**
   * Drives the request's lockbox process, then the notification processes it started, until
   * nothing is due; answers how many jobs ran.
   */
  public int executeDueJobsOfRequest(String accessRequestId) {
    int total = 0;
    int executed;
    do {
      executed = 0;
      for (String processKey : List.of(ProcessModel.PROCESS_KEY, ProcessModel.NOTIFICATION_PROCESS_KEY)) {
        for (ProcessInstance instance : instancesOfRequest(runtimeService, accessRequestId)
            .processDefinitionKey(processKey).list()) {
          executed += executeDueJobs(instance.getId());
        }
      }
      total += executed;
    } while (executed > 0);
    return total;
  }

  /** Executes every job due for {@code processInstanceId}, repeatedly; answers how many ran. */
  public int executeDueJobs(String processInstanceId) {
    int executed = 0;
    while (true) {
      // One at a time: a job may create, or delete, the next ones.
      List<Job> due = managementService.createJobQuery().processInstanceId(processInstanceId)
          .executable().active().orderByJobId().asc().listPage(0, 1);
      if (due.isEmpty()) {
        return executed;
      }
      if (executed == MAX_JOBS) {
        throw new AssertionError("Process instance " + processInstanceId + " still has due jobs after "
            + MAX_JOBS + " executions; does the model loop?");
      }
      managementService.executeJob(due.get(0).getId());
      executed++;
    }
  }
}
