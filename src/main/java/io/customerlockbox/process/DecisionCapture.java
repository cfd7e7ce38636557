package io.customerlockbox.process;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.dmn.engine.delegate.DmnDecisionEvaluationEvent;
import org.camunda.bpm.dmn.engine.delegate.DmnDecisionTableEvaluationEvent;
import org.camunda.bpm.dmn.engine.delegate.DmnEvaluatedDecisionRule;
import org.camunda.bpm.dmn.engine.delegate.DmnEvaluatedOutput;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.springframework.stereotype.Component;

/**
 * Remembers what the last evaluation of a decision table in this thread answered: which rules
 * fired (their ids are meaningful, "Rule_AutoApproveRead", so the audit trail records them) and
 * the first matching rule's outputs. The engine hands the matched rules to decision evaluation
 * listeners, which run in the same thread just before the business rule task's end listener
 * ({@link JitEvaluatedListener}, {@link ApprovalRulesEvaluatedListener}) takes the answer; the
 * answer never becomes a stored process variable.
 */
@Component
class DecisionCapture extends AbstractProcessEnginePlugin {

  /** What one evaluation answered: the matched rules' ids ("unknown" when none) and the first one's outputs. */
  record Evaluation(String rules, Map<String, Object> outputs) {}

  private static final Evaluation NONE = new Evaluation("unknown", Map.of());

  private final ThreadLocal<Map<String, Evaluation>> evaluations = ThreadLocal.withInitial(HashMap::new);

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
    if (event.getDecisionResult() instanceof DmnDecisionTableEvaluationEvent table) {
      List<DmnEvaluatedDecisionRule> matched = table.getMatchingRules();
      Map<String, Object> outputs = new HashMap<>();
      if (!matched.isEmpty()) {
        for (DmnEvaluatedOutput output : matched.get(0).getOutputEntries().values()) {
          outputs.put(output.getOutputName(), output.getValue() == null ? null : output.getValue().getValue());
        }
      }
      String rules = matched.stream().map(DmnEvaluatedDecisionRule::getId).collect(Collectors.joining(", "));
      evaluations.get().put(table.getDecision().getKey(),
          new Evaluation(rules.isEmpty() ? NONE.rules() : rules, outputs));
    }
  }

  /** What decision {@code decisionKey} answered in this thread's last evaluation, once. */
  Evaluation take(String decisionKey) {
    Evaluation evaluation = evaluations.get().remove(decisionKey);
    return evaluation == null ? NONE : evaluation;
  }
}
