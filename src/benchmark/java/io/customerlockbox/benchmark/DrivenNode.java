package io.customerlockbox.benchmark;

import io.customerlockbox.ApiClient;
import io.customerlockbox.Node;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

/**
 * A node a benchmark round calls: its API, and its engine's clock. A node of this JVM
 * ({@link #of(Node)}) shares the benchmark's clock; a node in a JVM of its own ({@link PinnedNode})
 * is told where the clock went.
 */
interface DrivenNode {

  String name();

  /** The node's API as {@code user}. */
  ApiClient as(String user, String password);

  /**
   * The engine clock now runs {@code offsetMillis} ahead of the system's: this node's engine
   * follows, and its job executor looks for due jobs at once (an idle one sleeps up to its
   * max-wait, and nothing new was created to wake it).
   */
  void clockMoved(long offsetMillis);

  /** A node of this JVM. */
  static DrivenNode of(Node node) {
    return new InThisJvm(node);
  }

  /** A node started in the benchmark's own JVM: the engine's clock ({@code ClockUtil}) is already this JVM's. */
  record InThisJvm(Node node) implements DrivenNode {

    @Override
    public String name() {
      return node.name();
    }

    @Override
    public ApiClient as(String user, String password) {
      return node.as(user, password);
    }

    @Override
    public void clockMoved(long offsetMillis) {
      ((ProcessEngineConfigurationImpl) node.bean(ProcessEngine.class).getProcessEngineConfiguration())
          .getJobExecutor().jobWasAdded();
    }
  }
}
