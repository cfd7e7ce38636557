package io.customerlockbox;

import org.camunda.bpm.BpmPlatform;
import org.camunda.bpm.container.RuntimeContainerDelegate;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * The engine REST API and the webapps find their engine in static registries, by the name
 * "default". Spring keeps several test contexts alive in one JVM, each with its own engine and
 * database, and the newest one's engine holds that name; so before each test class runs, its own
 * context's engine takes the name back. (Only tests run several engines in one JVM.)
 */
public class EngineOfThisContext implements TestExecutionListener, Ordered {

  @Override
  public void prepareTestInstance(TestContext testContext) {
    claimDefaultName(testContext.getApplicationContext());
  }

  /** Hands the name to {@code context}'s engine; also for tests that start the application themselves. */
  public static void claimDefaultName(ApplicationContext context) {
    if (context.getBeanNamesForType(ProcessEngine.class).length == 0) {
      return;
    }
    ProcessEngine engine = context.getBean(ProcessEngine.class);
    ProcessEngines.registerProcessEngine(engine);
    RuntimeContainerDelegate container = RuntimeContainerDelegate.INSTANCE.get();
    ProcessEngine registered = BpmPlatform.getProcessEngineService().getProcessEngine(engine.getName());
    if (registered != engine) {
      if (registered != null) {
        container.unregisterProcessEngine(registered);
      }
      container.registerProcessEngine(engine);
    }
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
