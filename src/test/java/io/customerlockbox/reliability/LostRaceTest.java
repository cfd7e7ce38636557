package io.customerlockbox.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;

/**
 * {@link LostRace} recognises the engine's own failures, so that an engine upgrade that changes
 * one fails here rather than, now and then, in {@link TwoNodeClusterTest}'s races.
 */
class LostRaceTest {

  @Test
  void anInstanceEndedWhileAJobLoadsItsExecutionsIsALostRace() throws Exception {
    ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl)
        new StandaloneInMemProcessEngineConfiguration().setJdbcUrl("jdbc:h2:mem:lost-race;DB_CLOSE_DELAY=-1");
    ProcessEngine engine = configuration.buildProcessEngine();
    ExecutorService otherNode = Executors.newSingleThreadExecutor();
    try {
      // Two branches: each waits in an execution of its own below the instance's.
      engine.getRepositoryService().createDeployment().addModelInstance("branches.bpmn",
          Bpmn.createExecutableProcess("branches").startEvent().parallelGateway("fork").userTask("left").endEvent()
              .moveToNode("fork").userTask("right").endEvent().done()).deploy();
      String instance = engine.getRuntimeService().startProcessInstanceByKey("branches").getId();
      String branch = engine.getRuntimeService().createExecutionQuery().processInstanceId(instance)
          .activityId("left").singleResult().getId();

      NullPointerException failure = catchThrowableOfType(NullPointerException.class,
          () -> configuration.getCommandExecutorTxRequired().execute(context -> {
            ExecutionEntity execution = context.getExecutionManager().findExecutionById(branch);
            try {
              otherNode.submit(() -> engine.getRuntimeService().deleteProcessInstance(instance, "the other node won"))
                  .get();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            return execution.getProcessInstance();
          }));

      assertThat(failure).as("the engine's failure when the instance ended under it").isNotNull();
      assertThat(LostRace.isLost(failure)).isTrue();
    } finally {
      otherNode.shutdownNow();
      engine.close();
    }
  }

  @Test
  void collisionsAndAVanishedJobAreLostRaces() {
    assertThat(LostRace.isLost(new OptimisticLockingException("ENGINE-03005 updated concurrently"))).isTrue();
    assertThat(LostRace.isLost(new ProcessEngineException("ENGINE-14026 No job found with id 'x'"))).isTrue();
  }

  @Test
  void anyOtherFailureIsNot() {
    assertThat(LostRace.isLost(new NullPointerException("a bug of our own"))).isFalse();
    assertThat(LostRace.isLost(new ProcessEngineException("ENGINE-03051 something else"))).isFalse();
    assertThat(LostRace.isLost(new IllegalStateException("SMTP server answered 421"))).isFalse();
  }
}
