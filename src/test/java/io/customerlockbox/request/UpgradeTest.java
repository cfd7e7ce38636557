package io.customerlockbox.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.customerlockbox.ApplicationTest;
import io.customerlockbox.ApprovalRulesCopy;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.JobDriver;
import io.customerlockbox.access.AccessGrantService;
import io.customerlockbox.access.GrantBasis;
import io.customerlockbox.Refusal;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.policy.PolicyUpdate;
import io.customerlockbox.process.ProcessModel;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.runtime.Job;
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
 * the deployed model run on; instances of the model before customer revoke (V32) end as they did,
 * and instances of the model before extensions (issue 15) finish on it.
 * Notifications started under the notification model before its channels' gateway (both channels
 * in parallel, a webhook job for every tenant) finish too.
 */
class UpgradeTest extends ApplicationTest {

  @Autowired AccessRequestService requests;
  @Autowired LockboxRequestService lockboxRequests;
  @Autowired AccessGrantService grants;
  @Autowired RepositoryService repositoryService;
  @Autowired PolicyService policies;

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
    insert(jdbc, "customer-approved", "PENDING_CUSTOMER_APPROVAL", false, null);
    jdbc.sql("insert into lockbox_request (id, access_request_id, tenant_id, status, requested_at, expires_at, "
        + "access_period, decided_by, decided_at, comment) values ('l2', 'customer-approved', 'old', 'APPROVED', "
        + "timestamp with time zone '2026-01-01 10:00:00+00', timestamp with time zone '2026-01-05 10:00:00+00', "
        + "'PT8H', 'old-approver', timestamp with time zone '2026-01-02 10:00:00+00', 'fine')").update();

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
    // V30: lockbox requests opened before the approval rules need one approval of the groups of
    // old, and an approval given before is an approval row like any other.
    assertThat(jdbc.sql("select approvals_required, approver_groups from lockbox_request order by id")
        .query((rs, n) -> rs.getInt(1) + " of " + rs.getString(2)).list())
        .containsExactly("1 of lockbox-approvers,tenant-admins", "1 of lockbox-approvers,tenant-admins");
    assertThat(jdbc.sql("select lockbox_request_id || ' by ' || approver || ': ' || comment from lockbox_approval")
        .query(String.class).list()).containsExactly("l2 by old-approver: fine");
  }

  /**
   * An instance of the model version before the approval rules, waiting at its review task (no
   * "Customer approval" subprocess, candidate groups in the model) when the new version is
   * deployed: its lockbox request, opened without rules, needs one approval of a lockbox
   * approver or tenant admin, and it finishes on the same listener and beans.
   */
  @Test
  void anInstanceOfThePreviousModelWaitingForTheCustomerFinishes() {
    Deployment previous = deployTheModelBeforeIssue15("the model before the approval rules");
    Deployment current = null;
    try {
      TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
      AccessRequestView pending = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
          fixtures.as("engineer"));
      drive(pending.id());
      // The upgrade: the shipped model is the latest again; the instance stays on its version.
      current = ApprovalRulesCopy.deployShipped(repositoryService);
      AccessRequestView waiting = requests.get(pending.id(), fixtures.as("lead"));
      assertThat(waiting.status()).isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);
      assertThat(repositoryService.getProcessDefinition(runtimeService.createProcessInstanceQuery()
          .processInstanceId(pending.processInstanceId()).singleResult().getProcessDefinitionId()).getDeploymentId())
          .isEqualTo(previous.getId());
      // What a row written before V30 holds.
      db.sql("update lockbox_request set approvals_required = null, approver_groups = null where id = ?")
          .param(waiting.lockbox().id()).update();

      LockboxRequestView decided = lockboxRequests.view(lockboxRequests.decide(waiting.lockbox().id(),
          Decision.APPROVE, null, fixtures.as(tenant.approver())));
      drive(pending.id());

      assertThat(decided.approvalsRequired()).isEqualTo(1);
      assertThat(decided.status()).isEqualTo(LockboxStatus.APPROVED);
      assertThat(requests.get(pending.id(), fixtures.as("lead")).status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
      GrantBasis basis = grants.forRequest(pending.id()).orElseThrow().basis();
      assertThat(basis.kind()).isEqualTo(GrantBasis.Kind.CUSTOMER_APPROVAL);
      assertThat(basis.detail()).contains(tenant.approver() + " (lockbox-approvers)", "1 of 1");
    } finally {
      repositoryService.deleteDeployment(previous.getId(), true);
      if (current != null) {
        repositoryService.deleteDeployment(current.getId(), true);
      }
    }
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
    db.sql("update lockbox_approval set decided_as = null where lockbox_request_id = ?").param(waiting.lockbox().id())
        .update();
    drive(pending.id());

    assertThat(requests.get(pending.id(), fixtures.as("lead")).status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    GrantBasis basis = grants.forRequest(pending.id()).orElseThrow().basis();
    assertThat(basis.kind()).isEqualTo(GrantBasis.Kind.CUSTOMER_APPROVAL);
    assertThat(basis.detail()).contains(tenant.approver() + " (lockbox-approvers) of " + tenant.id());
  }

  /**
   * Instances of the model before customer revoke (V32) wait at "Access ends" without the revoke
   * message's subscription. They still end by the 8-hour timer and by the engineer's release; a
   * revocation the customer asks for is refused with 409 and changes nothing, rather than end the
   * grant under an instance that would then wait for it.
   */
  @Test
  void instancesOfTheModelBeforeRevokeStillEndAndARevocationOfThemChangesNothing() {
    Deployment before = deployTheModelBeforeIssue15("the model before customer revoke");
    Deployment current = null;
    try {
      TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
      policies.updatePolicy(tenant.id(), new PolicyUpdate(true, PolicyScope.ALL_MANAGED, List.of(), true, null),
          tenant.admin());
      AccessRequestView timed = grantedUnderTheDeployedModel(tenant);
      AccessRequestView released = grantedUnderTheDeployedModel(tenant);
      // The upgrade deploys the model with the revoke branch; the two instances stay on the earlier one.
      current = ApprovalRulesCopy.deployShipped(repositoryService);

      Refusal refused = catchThrowableOfType(Refusal.class, () -> lockboxRequests.revoke(timed.lockbox().id(),
          "not needed any more", fixtures.as(tenant.approver())));
      assertThat(refused.kind()).isEqualTo(Refusal.Kind.CONFLICT);
      assertThat(refused.getMessage()).contains("earlier version");
      AccessRequestView still = requests.get(timed.id(), fixtures.as("lead"));
      assertThat(still.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
      assertThat(still.grant().endedAt()).isNull();
      assertThat(grants.check(tenant.prod(), "engineer").allowed()).isTrue();
      assertThat(db.sql("select count(*) from customer_revocation where access_request_id = ?").param(timed.id())
          .query(Long.class).single()).isZero();

      Job period = managementService.createJobQuery().processInstanceId(timed.processInstanceId())
          .activityId(ProcessModel.ACCESS_PERIOD_TIMER).singleResult();
      ClockUtil.setCurrentTime(period.getDuedate());
      managementService.executeJob(period.getId());
      assertThat(requests.get(timed.id(), fixtures.as("lead")).grant().endReason()).isEqualTo("EXPIRED");

      requests.release(released.id(), fixtures.as("engineer"));
      assertThat(requests.get(released.id(), fixtures.as("lead")).grant().endReason()).isEqualTo("RELEASED");
      for (AccessRequestView ended : List.of(timed, released)) {
        assertThat(requests.get(ended.id(), fixtures.as("lead")).status()).isEqualTo(AccessRequestStatus.ACCESS_ENDED);
        assertThat(runtimeService.createProcessInstanceQuery().processInstanceId(ended.processInstanceId()).count())
            .isZero();
      }
    } finally {
      ClockUtil.reset();
      // Back to the shipped model for every other test of this context.
      if (current != null) {
        repositoryService.deleteDeployment(current.getId(), true);
      }
      repositoryService.deleteDeployment(before.getId(), true);
    }
  }

  private AccessRequestView grantedUnderTheDeployedModel(TestTenant tenant) {
    AccessRequestView pending = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("engineer"));
    drive(pending.id());
    String lockboxId = requests.get(pending.id(), fixtures.as("lead")).lockbox().id();
    lockboxRequests.decide(lockboxId, Decision.APPROVE, null, fixtures.as(tenant.approver()));
    drive(pending.id());
    AccessRequestView granted = requests.get(pending.id(), fixtures.as("lead"));
    assertThat(granted.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    assertThat(runtimeService.createExecutionQuery().processInstanceId(granted.processInstanceId())
        .messageEventSubscriptionName(ProcessModel.CUSTOMER_REVOKED_ACCESS_MESSAGE).count())
        .as("the earlier model does not wait for the revoke message").isZero();
    return granted;
  }

  /**
   * Instances of the model before extensions (its copy in src/test/resources/upgrade) finish: one
   * waiting at the customer's review, one granted and waiting in its 8-hour wait with the PT8H
   * timer. That model knows no extension, so asking for one is refused and changes nothing.
   */
  @Test
  void instancesOfTheModelBeforeExtensionsFinishOnIt() {
    Deployment previous = deployTheModelBeforeIssue15("the model before extensions");
    Instant start = Instant.parse("2026-03-02T09:00:00Z");
    ClockUtil.setCurrentTime(Date.from(start));
    try {
      TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
      AccessRequestView atReview = pendingAtTheCustomer(tenant, previous);
      AccessRequestView granted = pendingAtTheCustomer(tenant, previous);
      lockboxRequests.decide(granted.lockbox().id(), Decision.APPROVE, null, fixtures.as(tenant.approver()));
      drive(granted.id());
      Instant end = start.plus(Duration.ofHours(8));
      assertThat(grants.forRequest(granted.id()).orElseThrow().expiresAt()).isEqualTo(end);
      Job timer = managementService.createJobQuery().processInstanceId(granted.processInstanceId())
          .activityId("Event_AccessPeriodOver").singleResult();
      assertThat(timer.getDuedate()).isEqualTo(Date.from(end));

      assertThatThrownBy(() -> requests.askForExtension(granted.id(), "The data fix needs two more hours",
          fixtures.as("engineer")))
          .isInstanceOfSatisfying(Refusal.class, e -> assertThat(e.kind()).isEqualTo(Refusal.Kind.CONFLICT));
      assertThat(requests.get(granted.id(), fixtures.as("lead")).lockboxRequests()).hasSize(1);

      ClockUtil.setCurrentTime(Date.from(end));
      managementService.executeJob(timer.getId());
      assertThat(requests.get(granted.id(), fixtures.as("lead")).status()).isEqualTo(AccessRequestStatus.ACCESS_ENDED);

      lockboxRequests.decide(atReview.lockbox().id(), Decision.APPROVE, null, fixtures.as(tenant.approver()));
      drive(atReview.id());
      AccessRequestView grantedLater = requests.get(atReview.id(), fixtures.as("lead"));
      assertThat(grantedLater.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
      assertThat(grantedLater.grant().expiresAt()).isEqualTo(end.plus(Duration.ofHours(8)));
      Job laterTimer = managementService.createJobQuery().processInstanceId(atReview.processInstanceId())
          .activityId("Event_AccessPeriodOver").singleResult();
      assertThat(laterTimer.getDuedate()).isEqualTo(Date.from(end.plus(Duration.ofHours(8))));
      ClockUtil.setCurrentTime(laterTimer.getDuedate());
      managementService.executeJob(laterTimer.getId());
      assertThat(requests.get(atReview.id(), fixtures.as("lead")).status()).isEqualTo(AccessRequestStatus.ACCESS_ENDED);
    } finally {
      ClockUtil.reset();
      // Back to the shipped model for every other test of this context.
      repositoryService.deleteDeployment(previous.getId(), true);
    }
  }

  /**
   * The model as released before issue 15 (approval rules, customer revoke, extensions), its copy
   * in src/test/resources/upgrade, with what it asks of its deployment (no approval rules).
   */
  private Deployment deployTheModelBeforeIssue15(String name) {
    return repositoryService.createDeployment().name(name)
        .addClasspathResource("upgrade/LockboxAccessRequestProcess-before-issue-15.bpmn")
        .addClasspathResource("processes/JitAccessRules.dmn")
        .addClasspathResource("forms/CustomerApprovalForm.form")
        .addClasspathResource("forms/InternalApprovalForm.form")
        .addClasspathResource("forms/AccessRequestStartForm.form").deploy();
  }

  private AccessRequestView pendingAtTheCustomer(TestTenant tenant, Deployment deployment) {
    AccessRequestView created = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("engineer"));
    String definition = runtimeService.createProcessInstanceQuery().processInstanceId(created.processInstanceId())
        .singleResult().getProcessDefinitionId();
    assertThat(repositoryService.getProcessDefinition(definition).getDeploymentId()).isEqualTo(deployment.getId());
    drive(created.id());
    AccessRequestView pending = requests.get(created.id(), fixtures.as("lead"));
    assertThat(pending.status()).isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);
    return pending;
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
    return JobDriver.instancesOfRequest(runtimeService, requestId)
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
