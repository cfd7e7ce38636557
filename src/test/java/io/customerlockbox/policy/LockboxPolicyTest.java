package io.customerlockbox.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which environments a tenant's lockbox policy protects, and how it says why: a plain rule, no Spring. */
class LockboxPolicyTest {

  private static final Environment PROD = new Environment("t-prod", "t", "Production", true);
  private static final Environment SANDBOX = new Environment("t-sandbox", "t", "Sandbox", false);

  @ParameterizedTest(name = "enabled={0} scope={1} selected={2}: prod {3}, sandbox {4}")
  @CsvSource({
      "true,  ALL,         '',                  true,  true",
      "true,  ALL_MANAGED, '',                  true,  false",
      "true,  SELECTED,    t-sandbox,           false, true",
      "true,  SELECTED,    t-prod,              true,  false",
      "true,  SELECTED,    t-prod t-sandbox,    true,  true",
      "false, ALL,         '',                  false, false",
      "false, ALL_MANAGED, '',                  false, false",
      "false, SELECTED,    t-prod t-sandbox,    false, false"})
  void protectsExactlyWhatItsScopeCovers(boolean enabled, PolicyScope scope, String selected, boolean prod,
      boolean sandbox) {
    LockboxPolicy policy = policy(enabled, scope, selected);
    assertThat(policy.protects(PROD)).as("prod").isEqualTo(prod);
    assertThat(policy.protects(SANDBOX)).as("sandbox").isEqualTo(sandbox);
  }

  @ParameterizedTest(name = "enabled={0} scope={1} selected={2}: {3}")
  @CsvSource({
      "true,  ALL,         '',        t-sandbox, policy covers all environments",
      "true,  ALL_MANAGED, '',        t-prod,    policy covers all managed environments",
      "true,  ALL_MANAGED, '',        t-sandbox, environment t-sandbox is not managed",
      "true,  SELECTED,    t-prod,    t-prod,    environment t-prod is selected by the policy",
      "true,  SELECTED,    t-prod,    t-sandbox, environment t-sandbox is not selected by the policy",
      "false, ALL,         '',        t-prod,    lockbox policy is disabled for tenant t"})
  void explainsItsAnswerInAnAuditorsWords(boolean enabled, PolicyScope scope, String selected, String environment,
      String explanation) {
    assertThat(policy(enabled, scope, selected).explain(environment.equals("t-prod") ? PROD : SANDBOX))
        .isEqualTo(explanation);
  }

  private static LockboxPolicy policy(boolean enabled, PolicyScope scope, String selected) {
    List<String> ids = selected.isBlank() ? List.of() : List.of(selected.trim().split("\\s+"));
    return new LockboxPolicy("t", enabled, scope, ids, null, "someone", LockboxPolicy.DEFAULT_MAX_EXTENSIONS);
  }
}
