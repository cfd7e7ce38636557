package io.customerlockbox.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.errorcode.BuiltinExceptionCode;
import org.junit.jupiter.api.Test;

/** Which job failures are a lost race, retried at once, and which are the job's own, retried after the model's back-off. */
class CollisionRetryTest {

  @Test
  void aLostRaceIsOptimisticLockingOrADeadlockTheDatabaseBrokeHoweverDeepTheEngineWrappedIt() {
    assertThat(CollisionRetry.isCollision(new OptimisticLockingException("ENGINE-03005 updated concurrently")))
        .isTrue();
    ProcessEngineException deadlock = new ProcessEngineException("deadlock detected");
    deadlock.setCode(BuiltinExceptionCode.DEADLOCK.getCode());
    assertThat(CollisionRetry.isCollision(new ProcessEngineException("flush failed", deadlock))).isTrue();
    assertThat(CollisionRetry.isCollision(new RuntimeException("wrapped",
        new SQLException("could not serialize access due to concurrent update", "40001")))).isTrue();
    assertThat(CollisionRetry.isCollision(new SQLException("deadlock detected", "40P01"))).isTrue();
  }

  @Test
  void theJobsOwnFailuresAreNot() {
    assertThat(CollisionRetry.isCollision(new IllegalStateException("SMTP server answered 421"))).isFalse();
    assertThat(CollisionRetry.isCollision(new ProcessEngineException("ENGINE-14026 No job found"))).isFalse();
    assertThat(CollisionRetry.isCollision(new SQLException("value too long", "22001"))).isFalse();
    assertThat(CollisionRetry.isCollision(null)).isFalse();
  }
}
