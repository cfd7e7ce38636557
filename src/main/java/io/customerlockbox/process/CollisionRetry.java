package io.customerlockbox.process;

import io.customerlockbox.StepRefused;

import java.sql.SQLException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.DefaultJobRetryCmd;
import org.camunda.bpm.engine.impl.errorcode.BuiltinExceptionCode;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.springframework.stereotype.Component;

/**
 * A job that lost a race (another node changed the same process instance first: the engine's
 * optimistic locking, or a deadlock the database broke) runs again at once, without using up a
 * retry, where its winner left the instance.
 *
 * <p>Camunda's own retry strategy spares the retries of such a job but still applies the model's
 * {@code failedJobRetryTimeCycle} to it: the job waits its back-off (R3/PT5M) as if it had failed.
 * Two nodes whose reminder and expiry timers of one request were both overdue (a node had been
 * down for a day) collide, and the loser, often the expiry, waited five more minutes: minutes in
 * which an approver could still approve a request that had expired. Real failures keep the
 * model's back-off.
 *
 * <p>A step the domain refused ({@link StepRefused}: a grant without a basis, a step from the wrong
 * status, an instance that is not the request's own) is no passing failure: trying again changes
 * nothing, so its job goes to an incident at once, for an operator to look at in Cockpit.
 */
@Component
public class CollisionRetry extends AbstractProcessEnginePlugin {

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    configuration.setFailedJobCommandFactory(RetryCmd::new);
  }

  /** Whether {@code failure} is the domain refusing the step. */
  public static boolean isRefusal(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof StepRefused) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code failure} is a lost race rather than a failure of the job's own work. */
  public static boolean isCollision(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof OptimisticLockingException
          || cause instanceof ProcessEngineException engine && engine.getCode() == BuiltinExceptionCode.DEADLOCK.getCode()
          || cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("40")) {
        return true;
      }
    }
    return false;
  }

  static final class RetryCmd extends DefaultJobRetryCmd {

    RetryCmd(String jobId, Throwable exception) {
      super(jobId, exception);
    }

    @Override
    public Object execute(CommandContext commandContext) {
      if (isRefusal(exception)) {
        super.execute(commandContext);
        JobEntity job = getJob();
        if (job != null && job.getRetries() > 0) {
          job.setRetries(0); // creates the incident
        }
        return null;
      }
      if (!isCollision(exception)) {
        return super.execute(commandContext);
      }
      JobEntity job = getJob();
      if (job != null) {
        // Due as before, retries as before, free for the next acquisition on any node. The job
        // log records the failure (the engine writes it before this command runs).
        job.unlock();
        notifyAcquisition(commandContext);
      }
      return null;
    }
  }
}
