package io.customerlockbox.benchmark;

/** Engine settings a benchmark node can be started with, beside the product's own (application.yaml). */
final class EngineSettings {

  private EngineSettings() {}

  /**
   * Camunda 7.24's defaults for everything the product tunes: what a deployer gets who takes
   * the engine as it comes (history level full, removal time at the instance's end, the job
   * executor's out-of-the-box pool and acquisition, JDBC batching on). The connection pool stays
   * the product's: with Hikari's default of 10 beside 10 job threads a busy node starves itself,
   * which would end the run rather than measure the engine.
   */
  static final String[] CAMUNDA_DEFAULTS = {
      "camunda.bpm.history-level=full",
      "camunda.bpm.generic-properties.properties.history-removal-time-strategy=end",
      "camunda.bpm.generic-properties.properties.jdbc-batch-processing=true",
      "camunda.bpm.job-execution.deployment-aware=false",
      "camunda.bpm.job-execution.core-pool-size=3",
      "camunda.bpm.job-execution.max-pool-size=10",
      "camunda.bpm.job-execution.queue-capacity=3",
      "camunda.bpm.job-execution.max-jobs-per-acquisition=3",
      "camunda.bpm.job-execution.wait-time-in-millis=5000",
      "camunda.bpm.job-execution.max-wait=60000",
      "camunda.bpm.job-execution.backoff-time-in-millis=0",
      "camunda.bpm.job-execution.lock-time-in-millis=300000",
      "camunda.bpm.generic-properties.properties.ensure-job-due-date-not-null=false",
      "camunda.bpm.generic-properties.properties.job-executor-acquire-by-due-date=false",
  };
}
