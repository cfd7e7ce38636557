package io.customerlockbox.reliability;

import io.customerlockbox.process.CollisionRetry;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;

/**
 * How the engine fails a job whose race the other node won: it changed the instance first, deleted
 * the job, or ended the instance while this node was reading the job, its execution or the
 * instance's other executions. Anything else is a real failure.
 */
final class LostRace {

  private LostRace() {
  }

  static boolean isLost(RuntimeException failure) {
    if (failure instanceof ProcessEngineException) {
      return CollisionRetry.isCollision(failure) || failure.getMessage().startsWith("ENGINE-14026")
          || failure instanceof NullValueException && failure.getMessage().startsWith("Cannot find execution with id");
    }
    return failure instanceof NullPointerException npe && endedWhileLoadingItsExecutions(npe);
  }

  /**
   * The engine read the job's execution, then loads the instance's executions. When the other
   * node's commit ended the instance in between, the instance's own execution is no longer among
   * them, and Camunda 7.24's ExecutionEntity.ensureExecutionTreeInitialized fails with this
   * NullPointerException. The job went with the instance: nothing is left to retry.
   */
  private static boolean endedWhileLoadingItsExecutions(NullPointerException failure) {
    StackTraceElement[] frames = failure.getStackTrace();
    return frames.length > 0 && frames[0].getClassName().equals(ExecutionEntity.class.getName())
        && frames[0].getMethodName().equals("ensureExecutionTreeInitialized");
  }
}
