package io.customerlockbox.request;

import io.customerlockbox.ApprovalRulesCopy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.customerlockbox.ApiClient;
import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.StepRefused;
import io.customerlockbox.access.AccessGrantService;
import io.customerlockbox.access.GrantBasis;
import io.customerlockbox.audit.AuditEvent;
import io.customerlockbox.audit.AuditEventType;
import io.customerlockbox.audit.AuditTrail;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.process.ProcessModel;
import io.customerlockbox.security.IdentityDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.variable.Variables;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The customer's approval is the only door (issue 13): the two attacks the issue opens with fail,
 * a grant without a basis fails its step into an incident and leaves a security event naming who
 * tried, and the lockbox request's deadline is the domain's, not the timer's.
 */
@Tag(ApplicationTest.BOTH_DATABASES)
class DomainGuaranteeTest extends ApplicationTest {

  @Autowired AccessRequestService requests;
  @Autowired LockboxRequestService lockboxRequests;
  @Autowired AccessRequestLifecycle lifecycle;
  @Autowired AccessGrantService grants;
  @Autowired AuditTrail audit;
  @Autowired IdentityDirectory directory;
  @Autowired MeterRegistry meters;
  @Autowired RepositoryService repositoryService;
  @Autowired io.customerlockbox.policy.PolicyService policies;

  /**
   * Attack 1: an engineer (not in break-glass) whose request the customer denied starts the
   * process through the engine REST API, naming the denied request and asking for break-glass.
   */
  @Test
  void aStartFromOutsideNamingADeniedRequestIsRefusedAndRecordedAgainstWhoTried() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView denied = deniedRequest(tenant);
    long instancesBefore = runtimeService.createProcessInstanceQuery().processDefinitionKey(ProcessModel.PROCESS_KEY).count();

    ApiClient engineer = api.as("engineer", "demo");
    ApiClient.Response byVariable = engineer.post("/engine-rest/process-definition/key/" + ProcessModel.PROCESS_KEY
        + "/start", "{\"variables\": {\"accessRequestId\": {\"value\": \"" + denied.id() + "\"}, "
        + "\"breakGlass\": {\"value\": true, \"type\": \"Boolean\"}}}");
    ApiClient.Response byBusinessKey = engineer.post("/engine-rest/process-definition/key/" + ProcessModel.PROCESS_KEY
        + "/start", "{\"businessKey\": \"" + denied.id() + "\", \"variables\": {\"breakGlass\": {\"value\": true, "
        + "\"type\": \"Boolean\"}, \"tenantId\": {\"value\": \"" + tenant.id() + "\"}, \"environmentId\": {\"value\": \""
        + tenant.prod() + "\"}, \"justification\": {\"value\": \"again\"}, \"accessLevel\": {\"value\": \"READ\"}, "
        + "\"isolatedIdentity\": {\"value\": true, \"type\": \"Boolean\"}, \"mfaVerified\": {\"value\": true, "
        + "\"type\": \"Boolean\"}}}");

    assertThat(byVariable.status()).as(byVariable.body()).isEqualTo(409);
    assertThat(byBusinessKey.status()).as(byBusinessKey.body()).isEqualTo(409);
    assertThat(runtimeService.createProcessInstanceQuery().processDefinitionKey(ProcessModel.PROCESS_KEY).count())
        .isEqualTo(instancesBefore);
    assertNothingGranted(denied, AccessRequestStatus.DENIED, tenant);
    assertThat(events(denied, AuditEventType.STEP_REFUSED)).hasSize(2).allSatisfy(event -> {
      assertThat(event.actor()).isEqualTo("engineer");
      assertThat(event.detail()).contains("BIND_INSTANCE", "start from outside", denied.id());
    });
  }

  /**
   * Attack 2: a pending request moved straight to "Grant access" with a process-instance
   * modification (what Cockpit offers), by the engine's administrator, who keeps every engine right.
   */
  @Test
  void aModificationStraightToGrantAccessIsRefusedAndRecordedAgainstWhoTried() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView pending = pendingCustomer(tenant);
    double refusedBefore = refusedGrants();

    ApiClient.Response modified = api.as("admin", "demo").post("/engine-rest/process-instance/"
        + pending.processInstanceId() + "/modification",
        "{\"instructions\": [{\"type\": \"startBeforeActivity\", \"activityId\": \"Task_GrantAccess\"}]}");

    assertThat(modified.status()).as(modified.body()).isEqualTo(409);
    assertNothingGranted(pending, AccessRequestStatus.PENDING_CUSTOMER_APPROVAL, tenant);
    assertThat(view(pending).lockbox().status()).isEqualTo(LockboxStatus.ACTION_NEEDED);
    AuditEvent refused = single(pending, AuditEventType.GRANT_REFUSED);
    assertThat(refused.actor()).isEqualTo("admin");
    assertThat(refused.detail()).contains("ACTION_NEEDED, not approved", pending.processInstanceId());
    assertThat(refusedGrants()).isEqualTo(refusedBefore + 1);
    assertThat(events(pending, AuditEventType.LOCKBOX_APPROVED)).isEmpty();

    // The customer still decides, and only then is access granted, on the customer's approval.
    lockboxRequests.decide(view(pending).lockbox().id(), Decision.APPROVE, null, fixtures.as(tenant.approver()));
    drive(pending.id());
    AccessRequestView granted = view(pending);
    assertThat(granted.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    assertThat(grants.forRequest(pending.id()).orElseThrow().basis().kind()).isEqualTo(GrantBasis.Kind.CUSTOMER_APPROVAL);
    assertThat(single(pending, AuditEventType.ACCESS_GRANTED).detail())
        .contains("CUSTOMER_APPROVAL", "approved by " + tenant.approver());
  }

  /**
   * The customer's revocation is the customer's alone: the engine's administrator correlates the
   * revoke message through the engine REST API, with no revocation on record. The model's step
   * after the message asks the domain and refuses: access stays granted, the check still answers
   * true, nothing is recorded as the customer's, and the refusal names who tried.
   */
  @Test
  void theRevokeMessageCorrelatedFromOutsideWithoutTheCustomersRevocationEndsNothing() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    policies.updatePolicy(tenant.id(), new io.customerlockbox.policy.PolicyUpdate(true, PolicyScope.ALL_MANAGED,
        List.of(), true, null), tenant.admin());
    AccessRequestView pending = pendingCustomer(tenant);
    lockboxRequests.decide(pending.lockbox().id(), Decision.APPROVE, null, fixtures.as(tenant.approver()));
    drive(pending.id());
    assertThat(view(pending).status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);

    ApiClient.Response correlated = api.as("admin", "demo").post("/engine-rest/message", "{\"messageName\": \""
        + ProcessModel.CUSTOMER_REVOKED_ACCESS_MESSAGE + "\", \"processInstanceId\": \"" + pending.processInstanceId()
        + "\"}");

    assertThat(correlated.status()).as(correlated.body()).isEqualTo(409);
    AccessRequestView still = view(pending);
    assertThat(still.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    assertThat(still.grant().endedAt()).isNull();
    assertThat(grants.check(tenant.prod(), pending.requestedBy()).allowed()).isTrue();
    assertThat(events(pending, AuditEventType.ACCESS_REVOKED_BY_CUSTOMER)).isEmpty();
    AuditEvent refused = single(pending, AuditEventType.STEP_REFUSED);
    assertThat(refused.actor()).isEqualTo("admin");
    assertThat(refused.detail()).contains("REVOKE_FOR_CUSTOMER", "did not revoke", pending.processInstanceId());
    assertThat(runtimeService.createExecutionQuery().processInstanceId(pending.processInstanceId())
        .messageEventSubscriptionName(ProcessModel.CUSTOMER_REVOKED_ACCESS_MESSAGE).count()).isOne();

    // The customer's own revocation still works, and only it ends the access for the customer.
    lockboxRequests.revoke(pending.lockbox().id(), "not needed any more", fixtures.as(tenant.admin()));
    assertThat(view(pending).status()).isEqualTo(AccessRequestStatus.ACCESS_ENDED);
    assertThat(grants.check(tenant.prod(), pending.requestedBy()).allowed()).isFalse();
    assertThat(single(pending, AuditEventType.ACCESS_REVOKED_BY_CUSTOMER).actor()).isEqualTo(tenant.admin());
  }

  /** The gateway after the customer's task asks the domain: a variable written while the instance waits there counts for nothing. */
  @Test
  void aGatewayVariableForgedAfterADenialChangesNothing() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView pending = pendingCustomer(tenant);
    lockboxRequests.decide(view(pending).lockbox().id(), Decision.DENY, "not now", fixtures.as(tenant.approver()));
    runtimeService.setVariable(pending.processInstanceId(), ProcessModel.LOCKBOX_APPROVED, true);

    Job continuation = managementService.createJobQuery().processInstanceId(pending.processInstanceId()).messages()
        .singleResult();
    managementService.executeJob(continuation.getId());

    assertThat(historyService.createHistoricActivityInstanceQuery().processInstanceId(pending.processInstanceId())
        .activityId("EndEvent_LockboxRequestDenied").count()).as("the denied end").isEqualTo(1);
    assertThat(runtimeService.createIncidentQuery().processInstanceId(pending.processInstanceId()).count()).isZero();
    assertNothingGranted(pending, AccessRequestStatus.DENIED, tenant);
  }

  /**
   * An instance of an earlier model version, whose gateway still read the variable, is steered to
   * the grant by a forged value: the grant finds no basis, its job fails into an incident, and the
   * refusal is on record.
   */
  @Test
  void aGrantWithoutABasisFailsItsJobIntoAnIncident() throws IOException {
    String xml;
    try (InputStream model = getClass().getClassLoader().getResourceAsStream("processes/LockboxAccessRequestProcess.bpmn")) {
      xml = new String(model.readAllBytes(), StandardCharsets.UTF_8);
    }
    String earlier = xml.replace("${decisionGateways.customerApproved(execution)}", "${lockboxApproved}")
        .replace("${decisionGateways.internallyApproved(execution)}", "${internalApproved}");
    assertThat(earlier).as("the gateways read the variables again").isNotEqualTo(xml);
    Deployment deployment = repositoryService.createDeployment().name("a model that trusted its variables")
        .addString("LockboxAccessRequestProcess.bpmn", earlier)
        .addClasspathResource("processes/JitAccessRules.dmn")
        .addClasspathResource("processes/LockboxApprovalRules.dmn")
        .addClasspathResource("forms/CustomerApprovalForm.form")
        .addClasspathResource("forms/InternalApprovalForm.form")
        .addClasspathResource("forms/AccessRequestStartForm.form").deploy();
    try {
      TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
      AccessRequestView pending = pendingCustomer(tenant);
      lockboxRequests.decide(view(pending).lockbox().id(), Decision.DENY, "not now", fixtures.as(tenant.approver()));
      runtimeService.setVariable(pending.processInstanceId(), ProcessModel.LOCKBOX_APPROVED, true);

      Job continuation = managementService.createJobQuery().processInstanceId(pending.processInstanceId()).messages()
        .singleResult();
      assertThatThrownBy(() -> managementService.executeJob(continuation.getId()))
          .isInstanceOf(StepRefused.class).hasMessageContaining("GRANT");

      Incident incident = runtimeService.createIncidentQuery().processInstanceId(pending.processInstanceId()).singleResult();
      assertThat(incident).as("an incident for the operator").isNotNull();
      assertThat(incident.getIncidentMessage()).contains("GRANT", pending.id());
      assertNothingGranted(pending, AccessRequestStatus.DENIED, tenant);
      AuditEvent refused = single(pending, AuditEventType.GRANT_REFUSED);
      assertThat(refused.actor()).as("the job executor ran it").isNull();
      assertThat(refused.detail()).contains("DENIED");
    } finally {
      // Back to the shipped model for every other test of this context.
      repositoryService.deleteDeployment(deployment.getId(), true);
    }
  }

  /** Decision variables set on the instance before the customer's task existed count for nothing. */
  @Test
  void decisionVariablesSetFromOutsideAreIgnored() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = requests.create(Fixtures.request(tenant.id(), tenant.prod(),
        io.customerlockbox.request.AccessLevel.READ), fixtures.as("engineer"));
    runtimeService.setVariables(request.processInstanceId(), Variables.createVariables()
        .putValue(ProcessModel.LOCKBOX_DECISION, "APPROVE").putValue(ProcessModel.LOCKBOX_APPROVED, true));
    drive(request.id());
    Task task = taskService.createTaskQuery().processInstanceId(request.processInstanceId()).singleResult();
    assertThat(taskService.getVariable(task.getId(), ProcessModel.LOCKBOX_DECISION)).isNull();

    // An approver completing without a decision of their own decides nothing.
    assertThatThrownBy(() -> directory.asEngineUser(fixtures.as(tenant.approver()), () -> {
      taskService.complete(task.getId());
      return null;
    })).hasMessageContaining(ProcessModel.LOCKBOX_DECISION);
    assertThat(view(request).lockbox().status()).isEqualTo(LockboxStatus.ACTION_NEEDED);
    assertNothingGranted(request, AccessRequestStatus.PENDING_CUSTOMER_APPROVAL, tenant);
  }

  /** The deadline is the lockbox request's expiresAt: a decision 1 ms after it is refused, the timer then fires once. */
  @Test
  void aDecisionOneMillisecondAfterTheDeadlineIsRefusedAndTheTimerThenFiresOnce() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView pending = pendingCustomer(tenant);
    LockboxRequest lockbox = lockboxRequests.get(view(pending).lockbox().id(), fixtures.as(tenant.approver()));
    ClockUtil.setCurrentTime(Date.from(lockbox.expiresAt().plusMillis(1)));

    assertThatThrownBy(() -> lockboxRequests.decide(lockbox.id(), Decision.APPROVE, null, fixtures.as(tenant.approver())))
        .isInstanceOfSatisfying(io.customerlockbox.Refusal.class,
            e -> assertThat(e.kind()).isEqualTo(io.customerlockbox.Refusal.Kind.CONFLICT));
    // Tasklist's way (the task's own completion) is held to the same deadline.
    Task task = taskService.createTaskQuery().processInstanceId(pending.processInstanceId()).singleResult();
    assertThatThrownBy(() -> directory.asEngineUser(fixtures.as(tenant.approver()), () -> {
      taskService.complete(task.getId(), Variables.createVariables().putValue(ProcessModel.LOCKBOX_DECISION, "APPROVE"));
      return null;
    })).hasRootCauseInstanceOf(StepRefused.class).rootCause().hasMessageContaining("expired at " + lockbox.expiresAt());
    assertThat(view(pending).lockbox().status()).isEqualTo(LockboxStatus.ACTION_NEEDED);
    assertThat(events(pending, AuditEventType.LOCKBOX_APPROVED)).isEmpty();

    Job timer = managementService.createJobQuery().processInstanceId(pending.processInstanceId())
        .activityId(ProcessModel.APPROVAL_OVERDUE_TIMER).singleResult();
    managementService.executeJob(timer.getId());
    assertNothingGranted(pending, AccessRequestStatus.EXPIRED, tenant);
    assertThat(view(pending).lockbox().status()).isEqualTo(LockboxStatus.EXPIRED);

    // A late timer (a second run of the expiry step for the same instance) changes nothing.
    StepContext late = new StepContext(pending.id(), pending.processInstanceId(), "late-timer", null);
    assertThat(lifecycleInTransaction(late)).isFalse();
    assertThat(events(pending, AuditEventType.LOCKBOX_EXPIRED)).hasSize(1);
    assertThat(view(pending).status()).isEqualTo(AccessRequestStatus.EXPIRED);
  }

  @Test
  void aDecisionOneMillisecondBeforeTheDeadlineCounts() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView pending = pendingCustomer(tenant);
    Instant deadline = view(pending).lockbox().expiresAt();
    ClockUtil.setCurrentTime(Date.from(deadline.minusMillis(1)));

    lockboxRequests.decide(view(pending).lockbox().id(), Decision.APPROVE, null, fixtures.as(tenant.approver()));
    drive(pending.id());

    assertThat(view(pending).status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    assertThat(grants.forRequest(pending.id()).orElseThrow().basis().decidedAt()).isEqualTo(deadline.minusMillis(1));
  }

  // --- extensions: only the customer's approval of the requester's ask moves a grant's end

  /** The extension message correlated through the engine REST API, with no ask on record: refused, nothing changes. */
  @Test
  void anExtensionMessageFromOutsideWithoutAnAskOnRecordChangesNothing() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView granted = granted(tenant);

    ApiClient.Response correlated = api.as("admin", "demo").post("/engine-rest/message", "{\"messageName\": \""
        + ProcessModel.EXTENSION_ASKED_MESSAGE + "\", \"processInstanceId\": \"" + granted.processInstanceId() + "\"}");

    assertThat(correlated.status()).as(correlated.body()).isEqualTo(409);
    assertEndStands(granted, tenant);
    assertThat(taskService.createTaskQuery().processInstanceId(granted.processInstanceId()).count()).isZero();
    assertThat(events(granted, AuditEventType.STEP_REFUSED)).singleElement()
        .satisfies(event -> assertThat(event.detail()).contains("OPEN_EXTENSION"));
  }

  /**
   * "Extend access" reached by a modification (what Cockpit offers) with nothing asked, then after
   * a denial with the gateway's variable forged: refused each time, and the end stands.
   */
  @Test
  void extendAccessReachedWithoutAnApprovedExtensionNeverMovesTheEnd() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView granted = granted(tenant);
    String modification = "/engine-rest/process-instance/" + granted.processInstanceId() + "/modification";
    String toExtendAccess = "{\"instructions\": [{\"type\": \"startBeforeActivity\", \"activityId\": \"Task_ExtendAccess\"}]}";

    assertThat(api.as("admin", "demo").post(modification, toExtendAccess).status()).isEqualTo(409);
    assertEndStands(granted, tenant);

    LockboxRequest asked = requests.askForExtension(granted.id(), "The data fix needs two more hours",
        fixtures.as("engineer"));
    lockboxRequests.decide(asked.id(), Decision.DENY, "not today", fixtures.as(tenant.approver()));
    runtimeService.setVariable(granted.processInstanceId(), ProcessModel.LOCKBOX_APPROVED, true);
    drive(granted.id());
    assertThat(api.as("admin", "demo").post(modification, toExtendAccess).status()).isEqualTo(409);

    assertEndStands(granted, tenant);
    assertThat(events(granted, AuditEventType.STEP_REFUSED)).hasSize(2).allSatisfy(event ->
        assertThat(event.detail()).contains("EXTEND_ACCESS"));
    assertThat(events(granted, AuditEventType.STEP_REFUSED).get(1).detail()).contains("DENIED, not approved");
  }

  // --- helpers

  private AccessRequestView granted(TestTenant tenant) {
    AccessRequestView pending = pendingCustomer(tenant);
    lockboxRequests.decide(pending.lockbox().id(), Decision.APPROVE, null, fixtures.as(tenant.approver()));
    drive(pending.id());
    AccessRequestView granted = view(pending);
    assertThat(granted.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    return granted;
  }

  /** The grant's end, its signature, the data plane's answer and the model's timer are as at the grant. */
  private void assertEndStands(AccessRequestView granted, TestTenant tenant) {
    var grant = grants.forRequest(granted.id()).orElseThrow();
    assertThat(grant.expiresAt()).isEqualTo(granted.grant().expiresAt());
    assertThat(grants.check(tenant.prod(), granted.requestedBy()).expiresAt()).isEqualTo(granted.grant().expiresAt());
    assertThat(events(granted, AuditEventType.ACCESS_EXTENDED)).isEmpty();
    assertThat(managementService.createJobQuery().processInstanceId(granted.processInstanceId())
        .activityId(ProcessModel.ACCESS_PERIOD_TIMER).singleResult().getDuedate())
        .isEqualTo(Date.from(granted.grant().expiresAt()));
  }

  private boolean lifecycleInTransaction(StepContext step) {
    return new org.springframework.transaction.support.TransactionTemplate(transactions)
        .execute(status -> lifecycle.expireLockboxRequest(step));
  }

  @Autowired org.springframework.transaction.PlatformTransactionManager transactions;

  /**
   * Several approvers: the approval rules' inputs are read from the domain and their answer is
   * recorded on the lockbox request, so variables written through the engine (a lower count,
   * another group, another tenant or access level) change nothing, before or after it opened.
   */
  @Test
  void forgedApprovalVariablesNeverLowerTheApprovalsNeeded() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    try (ApprovalRulesCopy rules = ApprovalRulesCopy.deploy(repositoryService, tenant.id(), 2,
        "lockbox-approvers,tenant-admins")) {
      AccessRequestView request = requests.create(Fixtures.request(tenant.id(), tenant.prod(),
          io.customerlockbox.request.AccessLevel.WRITE), fixtures.as("engineer"));
      drive(request.id());
      runtimeService.setVariables(request.processInstanceId(), Variables.createVariables()
          .putValue(ProcessModel.APPROVALS_REQUIRED, 1).putValue(ProcessModel.APPROVER_GROUPS, "support-engineers")
          .putValue(ProcessModel.TENANT_ID, "someone-else").putValue(ProcessModel.ACCESS_LEVEL, "READ"));
      requests.decideInternally(request.id(), true, "needed", fixtures.as("lead"));
      drive(request.id());

      AccessRequestView pending = view(request);
      assertThat(pending.lockbox().approvalsRequired()).isEqualTo(2);
      assertThat(pending.lockbox().approverGroups()).containsExactly("lockbox-approvers", "tenant-admins");
      assertThat(taskService.createTaskQuery().processInstanceId(request.processInstanceId()).singleResult())
          .satisfies(task -> assertThat(taskService.getIdentityLinksForTask(task.getId()))
              .extracting(link -> link.getGroupId()).doesNotContain("support-engineers"));

      lockboxRequests.decide(pending.lockbox().id(), Decision.APPROVE, null, fixtures.as(tenant.approver()));
      runtimeService.setVariable(request.processInstanceId(), ProcessModel.APPROVALS_REQUIRED, 1);
      runtimeService.setVariable(request.processInstanceId(), ProcessModel.LOCKBOX_APPROVED, true);
      drive(request.id());

      AccessRequestView afterOne = view(request);
      assertThat(afterOne.status()).isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);
      assertThat(afterOne.lockbox().status()).isEqualTo(LockboxStatus.ACTION_NEEDED);
      assertThat(afterOne.grant()).isNull();
      assertThat(grants.check(tenant.prod(), "engineer").allowed()).isFalse();
    }
  }

  /** One person completing the customer's task twice through the engine REST API counts once, and grants nothing. */
  @Test
  void completingTheApprovalTaskTwiceAsOnePersonNeverGrants() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    try (ApprovalRulesCopy rules = ApprovalRulesCopy.deploy(repositoryService, tenant.id(), 2,
        "lockbox-approvers,tenant-admins")) {
      AccessRequestView pending = pendingCustomer(tenant);
      ApiClient approver = api.as(tenant.approver(), Fixtures.PASSWORD);
      String body = "{\"variables\": {\"" + ProcessModel.LOCKBOX_DECISION + "\": {\"value\": \"APPROVE\"}}}";

      ApiClient.Response first = approver.post("/engine-rest/task/" + reviewTask(pending) + "/complete", body);
      assertThat(first.status()).as(first.body()).isEqualTo(204);
      drive(pending.id());
      ApiClient.Response second = approver.post("/engine-rest/task/" + reviewTask(pending) + "/complete", body);
      assertThat(second.status()).as(second.body()).isBetween(400, 499);
      assertThat(second.body()).contains("approved this lockbox request already");
      drive(pending.id());

      AccessRequestView after = view(pending);
      assertThat(after.lockbox().approvals()).extracting(LockboxRequestView.Approval::by)
          .containsExactly(tenant.approver());
      assertThat(after.status()).isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);
      assertThat(grants.forRequest(pending.id())).isEmpty();
      assertThat(grants.check(tenant.prod(), "engineer").allowed()).isFalse();
    }
  }

  private String reviewTask(AccessRequestView request) {
    return taskService.createTaskQuery().processInstanceId(request.processInstanceId())
        .taskDefinitionKey(ProcessModel.CUSTOMER_APPROVAL_TASK).singleResult().getId();
  }

  private AccessRequestView pendingCustomer(TestTenant tenant) {
    AccessRequestView request = requests.create(Fixtures.request(tenant.id(), tenant.prod(),
        io.customerlockbox.request.AccessLevel.READ), fixtures.as("engineer"));
    drive(request.id());
    assertThat(view(request).status()).isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);
    return view(request);
  }

  private AccessRequestView deniedRequest(TestTenant tenant) {
    AccessRequestView pending = pendingCustomer(tenant);
    lockboxRequests.decide(pending.lockbox().id(), Decision.DENY, "not during quarter close",
        fixtures.as(tenant.approver()));
    drive(pending.id());
    assertThat(view(pending).status()).isEqualTo(AccessRequestStatus.DENIED);
    return view(pending);
  }

  private void assertNothingGranted(AccessRequestView request, AccessRequestStatus status, TestTenant tenant) {
    assertThat(view(request).status()).isEqualTo(status);
    assertThat(grants.forRequest(request.id())).isEmpty();
    assertThat(grants.check(tenant.prod(), request.requestedBy()).allowed()).isFalse();
    assertThat(events(request, AuditEventType.ACCESS_GRANTED)).isEmpty();
  }

  private AccessRequestView view(AccessRequestView request) {
    return requests.get(request.id(), fixtures.as("lead"));
  }

  private List<AuditEvent> events(AccessRequestView request, AuditEventType type) {
    return audit.forRequest(request.id()).stream().filter(e -> e.type() == type).toList();
  }

  private AuditEvent single(AccessRequestView request, AuditEventType type) {
    List<AuditEvent> found = events(request, type);
    assertThat(found).as(type + " of " + request.id()).hasSize(1);
    return found.get(0);
  }

  private double refusedGrants() {
    var counter = meters.find("lockbox.steps.refused").tag("step", "GRANT").counter();
    return counter == null ? 0 : counter.count();
  }
}
