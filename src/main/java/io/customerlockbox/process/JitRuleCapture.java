package io.customerlockbox.process;

import java.util.stream.Collectors;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.dmn.engine.delegate.DmnDecisionEvaluationEvent;
import org.camunda.bpm.dmn.engine.delegate.DmnDecisionTableEvaluationEvent;
import org.camunda.bpm.dmn.engine.delegate.DmnEvaluatedDecisionRule;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.springframework.stereotype.Component;

/**
 * Remembers which rule of the just-in-time decision table fired, for the audit trail. The
 * business rule task maps only the table's output into the process; the engine hands the matched
 * rules to decision evaluation listeners, which run in the same thread just before the task's end
 * listener ({@link JitEvaluatedListener}) takes the answer. Rule ids are meaningful
 * ("Rule_AutoApproveRead"), so the id is what the trail records.
 */
@Component
class JitRuleCapture extends AbstractProcessEnginePlugin {

  static final String DECISION_KEY = "JitAccessRules";

  private final ThreadLocal<String> matchedRule = new ThreadLocal<>();

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    // The engine adds its history and metrics listeners to this configuration's own list.
    if (configuration.getDmnEngineConfiguration() == null) {
      configuration.setDmnEngineConfiguration(
          (DefaultDmnEngineConfiguration) DmnEngineConfiguration.createDefaultDmnEngineConfiguration());
    }
    configuration.getDmnEngineConfiguration().getCustomPostDecisionEvaluationListeners().add(this::remember);
  }

  private void remember(DmnDecisionEvaluationEvent event) {
    if (DECISION_KEY.equals(event.getDecisionResult().getDecision().getKey())
        && event.getDecisionResult() instanceof DmnDecisionTableEvaluationEvent table) {
      matchedRule.set(table.getMatchingRules().stream().map(DmnEvaluatedDecisionRule::getId)
          .collect(Collectors.joining(", ")));
    }
  }

  /** The rule that fired in this thread's last evaluation, once; "unknown" if none was seen. */
  String take() {
    String rule = matchedRule.get();
    matchedRule.remove();
    return rule == null || rule.isEmpty() ? "unknown" : rule;
  }
}
