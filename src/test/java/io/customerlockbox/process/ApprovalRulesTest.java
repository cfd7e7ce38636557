package io.customerlockbox.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.customerlockbox.ApplicationTest;
import io.customerlockbox.ApprovalRulesCopy;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.access.AccessGrantService;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.request.Decision;
import io.customerlockbox.request.LockboxRequestService;
import io.customerlockbox.security.Groups;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.Variables;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The customer's approval rules are the policy (processes/LockboxApprovalRules.dmn): the shipped
 * table asks the demo's two approvers for admin access to contoso's production and one approver
 * everywhere else, and a changed copy of the table, deployed as a process owner would deploy it,
 * changes who approves and how many must without a line of Java.
 */
class ApprovalRulesTest extends ApplicationTest {

  @Autowired DecisionService decisionService;
  @Autowired RepositoryService repositoryService;
  @Autowired AccessRequestService requests;
  @Autowired LockboxRequestService lockboxRequests;
  @Autowired AccessGrantService grants;

  @Test
  void theShippedRulesAskTwoApproversForAdminAccessToContosoProduction() {
    assertThat(evaluate("contoso", "contoso-prod", true, "production", "ADMIN"))
        .containsEntry(ProcessModel.APPROVALS_REQUIRED, 2)
        .containsEntry(ProcessModel.APPROVER_GROUPS, "lockbox-approvers,tenant-admins");
    for (Map<String, Object> one : java.util.List.of(evaluate("contoso", "contoso-prod", true, "production", "WRITE"),
        evaluate("contoso", "contoso-sandbox", false, "sandbox", "ADMIN"),
        evaluate("fabrikam", "fabrikam-prod", true, "production", "ADMIN"),
        evaluate("t1", "t1-prod", true, null, "READ"))) {
      assertThat(one).containsEntry(ProcessModel.APPROVALS_REQUIRED, 1)
          .containsEntry(ProcessModel.APPROVER_GROUPS, "lockbox-approvers,tenant-admins");
    }
  }

  @Test
  void aChangedTableAsksThreeTenantAdminsAndTheProcessFollows() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    String[] admins = {tenant.admin(), tenant.id() + "-admin2", tenant.id() + "-admin3"};
    fixtures.user(admins[1], tenant.id(), Groups.TENANT_ADMINS);
    fixtures.user(admins[2], tenant.id(), Groups.TENANT_ADMINS);
    try (ApprovalRulesCopy rules = ApprovalRulesCopy.deploy(repositoryService, tenant.id(), 3, Groups.TENANT_ADMINS)) {
      AccessRequestView request = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
          fixtures.as("engineer"));
      drive(request.id());
      AccessRequestView pending = view(request);
      assertThat(pending.lockbox().approvalsRequired()).isEqualTo(3);
      assertThat(pending.lockbox().approverGroups()).containsExactly(Groups.TENANT_ADMINS);
      String task = taskService.createTaskQuery().processInstanceId(request.processInstanceId()).singleResult().getId();
      assertThat(taskService.getIdentityLinksForTask(task)).extracting(link -> link.getGroupId())
          .containsExactly(Groups.TENANT_ADMINS);

      // The mail asking for the decision goes to the group the rules named, not to the tenant's approvers.
      String notified = db.sql("select detail from audit_event where request_id = ? and event_type = 'APPROVERS_NOTIFIED'")
          .param(request.id()).query(String.class).single();
      assertThat(notified).contains(admins).doesNotContain(tenant.approver());

      // A lockbox approver is no approver of this request any more.
      assertThatThrownBy(() -> lockboxRequests.decide(pending.lockbox().id(), Decision.APPROVE, null,
          fixtures.as(tenant.approver()))).hasMessageContaining(Groups.TENANT_ADMINS);

      for (int i = 0; i < admins.length; i++) {
        assertThat(view(request).status()).as("after %d approvals", i).isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);
        lockboxRequests.decide(pending.lockbox().id(), Decision.APPROVE, null, fixtures.as(admins[i]));
        drive(request.id());
      }

      AccessRequestView granted = view(request);
      assertThat(granted.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
      assertThat(grants.forRequest(request.id()).orElseThrow().basis().detail()).contains(admins).contains("3 of 3");
    }
  }

  @Test
  void aTableAnsweringNoApproverFailsTheStepIntoAnIncidentBeforeAnyLockboxRequestOpens() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    try (ApprovalRulesCopy rules = ApprovalRulesCopy.deploy(repositoryService, tenant.id(), 0, Groups.TENANT_ADMINS)) {
      AccessRequestView request = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
          fixtures.as("engineer"));
      assertThatThrownBy(() -> drive(request.id())).hasMessageContaining("approvalsRequired 0");
      assertThat(view(request).lockbox()).isNull();
      assertThat(grants.forRequest(request.id())).isEmpty();
    }
  }

  private Map<String, Object> evaluate(String tenant, String environment, boolean managed, String tier, String level) {
    VariableMap inputs = Variables.createVariables().putValue("tenantId", tenant).putValue("environmentId", environment)
        .putValue("environmentManaged", managed).putValue("environmentTier", tier).putValue("accessLevel", level)
        .putValue("breakGlass", false);
    return decisionService.evaluateDecisionTableByKey("LockboxApprovalRules", inputs).getSingleResult().getEntryMap();
  }

  private AccessRequestView view(AccessRequestView request) {
    return requests.get(request.id(), fixtures.as("lead"));
  }
}
