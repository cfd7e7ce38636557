package io.customerlockbox.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.access.AccessGrantService;
import io.customerlockbox.access.GrantBasis;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.process.ProcessModel;
import java.util.List;
import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Requests waiting at the upgrade to the grant bases (V13) finish: the migration fills in what the
 * previous version knew, and a decision recorded before the decider's group was stored with it is
 * checked against the directory. The models' beans and variables are unchanged, so instances on
 * the deployed model run on. Notifications started under the notification model before its
 * channels' gateway (both channels in parallel, a webhook job for every tenant) finish too.
 */
class UpgradeTest extends ApplicationTest {

  @Autowired AccessRequestService requests;
  @Autowired LockboxRequestService lockboxRequests;
  @Autowired AccessGrantService grants;
  @Autowired RepositoryService repositoryService;

  @Test
  void theMigrationFillsInWhatThePreviousVersionKnew() {
    DriverManagerDataSource dataSource = new DriverManagerDataSource(
        "jdbc:h2:mem:v12-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    FluentConfiguration flyway = Flyway.configure().dataSource(dataSource)
        .locations("classpath:db/migration").table("lockbox_schema_history");
    flyway.target("12").load().migrate();
    JdbcClient jdbc = JdbcClient.create(dataSource);
    jdbc.sql("insert into tenant (id, name) values ('old', 'Old')").update();
    jdbc.sql("insert into environment (id, tenant_id, name, managed) values ('old-prod', 'old', 'Prod', true)").update();
    insert(jdbc, "lead-approved", "PENDING_INTERNAL_APPROVAL", false, "lead");
    insert(jdbc, "lead-denied", "REJECTED", false, "lead");
    insert(jdbc, "emergency", "SUBMITTED", true, null);
    insert(jdbc, "at-customer", "PENDING_CUSTOMER_APPROVAL", false, null);
    jdbc.sql("insert into lockbox_request (id, access_request_id, tenant_id, status, requested_at, expires_at, "
        + "access_period) values ('l1', 'at-customer', 'old', 'ACTION_NEEDED', timestamp with time zone "
        + "'2026-01-01 10:00:00+00', timestamp with time zone '2026-01-05 10:00:00+00', 'PT8H')").update();

    flyway.target("latest").load().migrate();

    assertThat(column(jdbc, "internal_decision", "lead-approved")).isEqualTo("APPROVE");
    assertThat(column(jdbc, "internal_decision", "lead-denied")).isEqualTo("DENY");
    assertThat(column(jdbc, "internal_decision", "emergency")).isNull();
    assertThat(column(jdbc, "lockbox_gate", "at-customer")).isEqualTo("REQUIRED");
    assertThat(column(jdbc, "lockbox_gate", "lead-approved")).isNull();
    assertThat(jdbc.sql("select break_glass_member from access_request where id = 'emergency'")
        .query(Boolean.class).single()).isTrue();
    assertThat(jdbc.sql("select break_glass_member from access_request where id = 'lead-approved'")
        .query(Boolean.class).single()).isFalse();
  }

  @Test
  void anApprovalRecordedBeforeTheUpgradeIsGrantedOnTheCustomersApproval() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView pending = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.WRITE),
        fixtures.as("engineer"));
    drive(pending.id());
    requests.decideInternally(pending.id(), true, "needed", fixtures.as("lead"));
    db.sql("update access_request set internal_decided_as = null where id = ?").param(pending.id()).update();
    drive(pending.id());
    AccessRequestView waiting = requests.get(pending.id(), fixtures.as("lead"));
    assertThat(waiting.status()).isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);

    // Approved under the previous version: the instance waits at the task's asynchronous
    // continuation, and the row has no decided_as (V12 had no such column).
    lockboxRequests.decide(waiting.lockbox().id(), Decision.APPROVE, null, fixtures.as(tenant.approver()));
    db.sql("update lockbox_request set decided_as = null where access_request_id = ?").param(pending.id()).update();
    drive(pending.id());

    assertThat(requests.get(pending.id(), fixtures.as("lead")).status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    GrantBasis basis = grants.forRequest(pending.id()).orElseThrow().basis();
    assertThat(basis.kind()).isEqualTo(GrantBasis.Kind.CUSTOMER_APPROVAL);
    assertThat(basis.detail()).contains("lockbox-approvers of " + tenant.id());
  }

  @Test
  void aNotificationStartedUnderTheParallelChannelsModelFinishesAndTheNextOnesTakeOnlyTheirChannels() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    // The notification model as the previous version deployed it: e-mail and webhooks in parallel.
    Deployment previous = repositoryService.createDeployment().name("notification model with parallel channels")
        .addClasspathResource("upgrade/LockboxNotificationProcess-parallel-channels.bpmn").deploy();
    Deployment current = null;
    try {
      AccessRequestView request = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
          fixtures.as("engineer"));
      jobs.executeDueJobs(request.processInstanceId());
      ProcessInstance waiting = notification(request.id());
      assertThat(repositoryService.getProcessDefinition(waiting.getProcessDefinitionId()).getDeploymentId())
          .isEqualTo(previous.getId());
      assertThat(jobsOf(waiting)).containsExactlyInAnyOrder("Task_SendEmails", "Task_CallWebhooks");

      // The upgrade deploys the current model; the waiting instance stays on its own version.
      current = repositoryService.createDeployment().name("the current notification model")
          .addClasspathResource("processes/LockboxNotificationProcess.bpmn").deploy();
      drive(request.id());

      assertThat(runtimeService.createProcessInstanceQuery().processInstanceId(waiting.getId()).count()).isZero();
      String sent = waiting.getId() + "/Task_SendEmails/";
      assertThat(db.sql("select notification_key from sent_notification where notification_key like ?")
          .param(sent + "%").query(String.class).list())
          .containsExactlyInAnyOrder(sent + tenant.approver(), sent + tenant.admin());

      // The customer's decision starts a notification on the current model: e-mail only, the
      // tenant registered no webhook.
      lockboxRequests.decide(requests.get(request.id(), fixtures.as("lead")).lockbox().id(), Decision.APPROVE, null,
          fixtures.as(tenant.approver()));
      ProcessInstance decided = notification(request.id());
      assertThat(repositoryService.getProcessDefinition(decided.getProcessDefinitionId()).getDeploymentId())
          .isEqualTo(current.getId());
      assertThat(jobsOf(decided)).containsExactly("Task_SendEmails");
    } finally {
      // Back to the shipped model for every other test of this context.
      repositoryService.deleteDeployment(previous.getId(), true);
      if (current != null) {
        repositoryService.deleteDeployment(current.getId(), true);
      }
    }
  }

  private ProcessInstance notification(String requestId) {
    return runtimeService.createProcessInstanceQuery().processInstanceBusinessKey(requestId)
        .processDefinitionKey(ProcessModel.NOTIFICATION_PROCESS_KEY).singleResult();
  }

  private List<String> jobsOf(ProcessInstance instance) {
    return managementService.createJobQuery().processInstanceId(instance.getId()).list().stream()
        .map(job -> managementService.createJobDefinitionQuery().jobDefinitionId(job.getJobDefinitionId())
            .singleResult().getActivityId())
        .toList();
  }

  private static void insert(JdbcClient jdbc, String id, String status, boolean breakGlass, String lead) {
    jdbc.sql("insert into access_request (id, tenant_id, environment_id, justification, access_level, "
            + "isolated_identity, mfa_verified, break_glass, incident_id, requested_by, requested_at, status, "
            + "process_instance_id, jit_outcome, internal_decided_by) values (?, 'old', 'old-prod', 'why', 'WRITE', "
            + "true, true, ?, ?, 'engineer', timestamp with time zone '2026-01-01 09:00:00+00', ?, ?, ?, ?)")
        .params(id, breakGlass, breakGlass ? "INC-1" : null, status, "pi-" + id,
            lead == null ? null : "INTERNAL_APPROVAL", lead)
        .update();
  }

  private static String column(JdbcClient jdbc, String column, String id) {
    return jdbc.sql("select " + column + " from access_request where id = ?").param(id).query(String.class)
        .list().get(0);
  }
}
