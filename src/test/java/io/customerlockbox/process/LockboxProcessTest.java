package io.customerlockbox.process;

import io.customerlockbox.ApprovalRulesCopy;
import io.customerlockbox.access.GrantBasis;
import io.customerlockbox.request.LockboxRequestView;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;

import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Refusal;
import io.customerlockbox.access.AccessGrantService;
import io.customerlockbox.audit.AuditEvent;
import io.customerlockbox.audit.AuditEventType;
import io.customerlockbox.audit.AuditTrail;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.policy.PolicyUpdate;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.request.Decision;
import io.customerlockbox.request.LockboxPurpose;
import io.customerlockbox.request.LockboxRequest;
import io.customerlockbox.request.LockboxRequestService;
import io.customerlockbox.request.LockboxStatus;
import io.customerlockbox.request.NewAccessRequest;
import io.customerlockbox.security.Groups;
import io.customerlockbox.security.LockboxUser;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.community.process_test_coverage.spring_test.common.ProcessEngineCoverageProperties;
import org.camunda.community.process_test_coverage.spring_test.platform7.ProcessEngineCoverageConfiguration;
import org.camunda.community.process_test_coverage.spring_test.platform7.ProcessEngineCoverageTestExecutionListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestExecutionListeners;

/**
 * One test per path through {@code LockboxAccessRequestProcess}, on the real model, rules,
 * delegates and database, with the job executor off: each test fixes the engine's clock, drives
 * the process to its wait states, asserts the timers' due dates and executes the timer jobs.
 * Together the tests must cover every flow node and sequence flow of the model.
 */
@Import({Fixtures.class, ProcessEngineCoverageConfiguration.class, LockboxProcessTest.FullCoverage.class})
@TestExecutionListeners(listeners = ProcessEngineCoverageTestExecutionListener.class,
    mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
class LockboxProcessTest extends ApplicationTest {

  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  @TestConfiguration
  static class FullCoverage {
    @Bean
    ProcessEngineCoverageProperties processEngineCoverageProperties() {
      return new ProcessEngineCoverageProperties.Builder().assertClassCoverageAtLeast(1.0).build();
    }
  }

  @Autowired AccessRequestService requests;
  @Autowired LockboxRequestService lockboxRequests;
  @Autowired AccessGrantService grants;
  @Autowired AuditTrail audit;
  @Autowired RepositoryService repositoryService;
  @Autowired IdentityService identityService;
  @Autowired PolicyService policies;

  @BeforeEach
  void fixClock() {
    ClockUtil.setCurrentTime(Date.from(START));
  }

  @Test
  void readAccessIsAutoApprovedAndGrantedWithoutLockboxWhenTheTenantHasNoPolicy() {
    TestTenant tenant = fixtures.tenantWithoutPolicy();
    Started started = start(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ), "engineer");
    assertThat(started.view().status()).isEqualTo(AccessRequestStatus.SUBMITTED);
    assertThat(started.instance()).isWaitingAt("Task_CheckScope");

    execute(job());

    assertThat(started.instance())
        .hasPassed("Task_EvaluateJitRules", "Task_CheckLockboxPolicy", "Task_GrantAccess")
        .hasNotPassed("Task_ReviewInternalApproval", "Task_CreateLockboxRequest")
        .isWaitingAt("Gateway_AccessEnds");
    AccessRequestView view = view(started);
    assertThat(view.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    assertThat(view.internalApproval().jitOutcome()).isEqualTo("AUTO_APPROVE");
    assertThat(view.lockbox()).isNull();
    assertThat(view.grant().grantedAt()).isEqualTo(START);
    assertThat(view.grant().expiresAt()).isEqualTo(START.plus(Duration.ofHours(8)));
    assertThat(job("Event_AccessPeriodOver")).hasDueDate(Date.from(START.plus(Duration.ofHours(8))));
    assertThat(event(view, AuditEventType.LOCKBOX_NOT_REQUIRED).detail()).contains("disabled");
  }

  @Test
  void writeAccessNeedsALeadThenTheCustomerAndIsRevokedAfterEightHours() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    Started started = start(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.WRITE), "engineer");
    drive(started);

    assertThat(started.instance()).isWaitingAt("Task_ReviewInternalApproval");
    assertThat(task()).hasCandidateGroup(Groups.SUPPORT_LEADS);
    assertThat(task().getTenantId()).isNull();
    assertThat(view(started).status()).isEqualTo(AccessRequestStatus.PENDING_INTERNAL_APPROVAL);

    requests.decideInternally(started.view().id(), true, "needed for the fix", fixtures.as("lead"));
    drive(started);

    assertThat(started.instance()).hasPassed("Task_NotifyApprovers").isWaitingAt("Task_ReviewLockboxRequest");
    assertThat(task()).hasCandidateGroup(Groups.LOCKBOX_APPROVERS).hasCandidateGroup(Groups.TENANT_ADMINS);
    assertThat(task().getTenantId()).isEqualTo(tenant.id());
    assertThat(job("BoundaryEvent_ApprovalOverdue")).hasDueDate(Date.from(START.plus(Duration.ofDays(4))));
    AccessRequestView waiting = view(started);
    assertThat(waiting.status()).isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);
    assertThat(waiting.internalApproval().decidedBy()).isEqualTo("lead");
    assertThat(waiting.lockbox().status()).isEqualTo(LockboxStatus.ACTION_NEEDED);
    assertThat(waiting.lockbox().expiresAt()).isEqualTo(START.plus(Duration.ofDays(4)));
    assertThat(waiting.lockbox().accessPeriod()).isEqualTo("PT8H");

    Instant approvedAt = START.plus(Duration.ofHours(1));
    ClockUtil.setCurrentTime(Date.from(approvedAt));
    lockboxRequests.decide(waiting.lockbox().id(), Decision.APPROVE, "go ahead", fixtures.as(tenant.approver()));
    drive(started);

    AccessRequestView granted = view(started);
    assertThat(granted.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    assertThat(granted.lockbox().decidedBy()).isEqualTo(tenant.approver());
    assertThat(granted.grant().grantedAt()).isEqualTo(approvedAt);
    assertThat(Duration.between(granted.grant().grantedAt(), granted.grant().expiresAt())).isEqualTo(Duration.ofHours(8));
    assertThat(job("Event_AccessPeriodOver")).hasDueDate(Date.from(approvedAt.plus(Duration.ofHours(8))));
    assertThat(grants.check(tenant.prod(), "engineer").allowed()).isTrue();

    ClockUtil.setCurrentTime(Date.from(approvedAt.plus(Duration.ofHours(8))));
    execute(job("Event_AccessPeriodOver"));

    assertThat(started.instance()).isEnded().hasPassed("Task_RevokeAccess", "EndEvent_AccessExpired");
    AccessRequestView ended = view(started);
    assertThat(ended.status()).isEqualTo(AccessRequestStatus.ACCESS_ENDED);
    assertThat(ended.grant().endReason()).isEqualTo("EXPIRED");
    assertThat(grants.check(tenant.prod(), "engineer").allowed()).isFalse();
    assertThat(audit.forRequest(started.view().id())).extracting(AuditEvent::type).containsExactly(
        AuditEventType.REQUEST_CREATED, AuditEventType.JIT_EVALUATED, AuditEventType.INTERNAL_APPROVAL_REQUESTED,
        AuditEventType.INTERNAL_APPROVED, AuditEventType.LOCKBOX_REQUEST_CREATED, AuditEventType.APPROVERS_NOTIFIED,
        AuditEventType.LOCKBOX_APPROVED, AuditEventType.ACCESS_GRANTED, AuditEventType.ACCESS_ENDED);
  }

  @Test
  void customerDenialEndsWithNothingGranted() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    Started started = start(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ), "engineer");
    drive(started);
    String lockboxId = view(started).lockbox().id();
    LockboxUser approver = fixtures.as(tenant.approver());

    assertThatThrownBy(() -> lockboxRequests.decide(lockboxId, Decision.DENY, " ", approver))
        .isInstanceOfSatisfying(Refusal.class, e -> assertThat(e.field()).isEqualTo("comment"));
    assertThat(started.instance()).isWaitingAt("Task_ReviewLockboxRequest");

    lockboxRequests.decide(lockboxId, Decision.DENY, "not during quarter close", approver);
    drive(started);

    assertThat(started.instance()).isEnded().hasPassed("EndEvent_LockboxRequestDenied").hasNotPassed("Task_GrantAccess");
    AccessRequestView denied = view(started);
    assertThat(denied.status()).isEqualTo(AccessRequestStatus.DENIED);
    assertThat(denied.lockbox().status()).isEqualTo(LockboxStatus.DENIED);
    assertThat(denied.lockbox().comment()).isEqualTo("not during quarter close");
    assertThat(denied.grant()).isNull();
    assertThat(grants.check(tenant.prod(), "engineer").allowed()).isFalse();
  }

  @Test
  void unansweredLockboxRequestExpiresAfterFourDays() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    Started started = start(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ), "engineer");
    drive(started);
    assertThat(started.instance()).isWaitingAt("Task_ReviewLockboxRequest");
    assertThat(job("BoundaryEvent_ApprovalOverdue")).hasDueDate(Date.from(START.plus(Duration.ofDays(4))));

    ClockUtil.setCurrentTime(Date.from(START.plus(Duration.ofDays(4))));
    execute(job("BoundaryEvent_ApprovalOverdue"));

    assertThat(started.instance()).isEnded().hasPassed("Task_ExpireLockboxRequest", "EndEvent_LockboxRequestExpired");
    AccessRequestView expired = view(started);
    assertThat(expired.status()).isEqualTo(AccessRequestStatus.EXPIRED);
    assertThat(expired.lockbox().status()).isEqualTo(LockboxStatus.EXPIRED);
    assertThat(expired.grant()).isNull();
    assertThatThrownBy(() -> lockboxRequests.decide(expired.lockbox().id(), Decision.APPROVE, null,
        fixtures.as(tenant.approver())))
        .isInstanceOfSatisfying(Refusal.class, e -> assertThat(e.kind()).isEqualTo(Refusal.Kind.CONFLICT));
  }

  @Test
  void approversAreRemindedADayBeforeTheRequestExpiresAndMayStillDecide() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    Started started = start(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ), "engineer");
    drive(started);
    assertThat(started.instance()).isWaitingAt("Task_ReviewLockboxRequest");
    assertThat(job("BoundaryEvent_ReminderDue")).hasDueDate(Date.from(START.plus(Duration.ofDays(3))));

    ClockUtil.setCurrentTime(Date.from(START.plus(Duration.ofDays(3))));
    execute(job("BoundaryEvent_ReminderDue"));
    drive(started);

    assertThat(started.instance()).hasPassed("Task_RemindApprovers", "EndEvent_ApproversReminded")
        .isWaitingAt("Task_ReviewLockboxRequest");
    assertThat(audit.forRequest(started.view().id())).filteredOn(e -> e.type() == AuditEventType.APPROVERS_NOTIFIED)
        .extracting(AuditEvent::detail).satisfiesExactly(
            created -> assertThat(created).startsWith("LOCKBOX_REQUEST_CREATED"),
            reminder -> assertThat(reminder).startsWith("LOCKBOX_REQUEST_REMINDER").contains(tenant.approver()));

    lockboxRequests.decide(view(started).lockbox().id(), Decision.APPROVE, null, fixtures.as(tenant.approver()));
    drive(started);
    assertThat(view(started).status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
  }

  @Test
  void leadDenialRejectsTheRequest() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    Started started = start(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.ADMIN), "engineer");
    drive(started);

    requests.decideInternally(started.view().id(), false, "use READ access", fixtures.as("lead"));
    drive(started);

    assertThat(started.instance()).isEnded().hasPassed("EndEvent_InternalApprovalDenied");
    AccessRequestView rejected = view(started);
    assertThat(rejected.status()).isEqualTo(AccessRequestStatus.REJECTED);
    assertThat(rejected.internalApproval().comment()).isEqualTo("use READ access");
    assertThat(rejected.lockbox()).isNull();
  }

  @Test
  void justInTimeRulesRejectWithoutMfaOrIsolatedIdentity() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    NewAccessRequest noMfa = new NewAccessRequest(tenant.id(), tenant.prod(), null, "Investigate the failing export",
        AccessLevel.READ, true, false, null, null);
    NewAccessRequest notIsolated = new NewAccessRequest(tenant.id(), tenant.prod(), null, "Investigate the failing export",
        AccessLevel.READ, false, true, null, null);
    for (NewAccessRequest request : List.of(noMfa, notIsolated)) {
      Started started = start(request, "engineer");
      drive(started);

      assertThat(started.instance()).isEnded().hasPassed("Task_RejectRequest", "EndEvent_RequestRejected");
      AccessRequestView rejected = view(started);
      assertThat(rejected.status()).isEqualTo(AccessRequestStatus.REJECTED);
      assertThat(rejected.internalApproval().jitOutcome()).isEqualTo("REJECT");
      assertThat(rejected.statusReason()).isEqualTo("rejected by the just-in-time rules");
    }
  }

  @Test
  void engineerReleasesAccessEarly() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    Started started = start(Fixtures.request(tenant.id(), tenant.sandbox(), AccessLevel.READ), "engineer");
    drive(started);
    assertThat(grants.check(tenant.sandbox(), "engineer").allowed()).isTrue();

    releasedAt(started, tenant.sandbox(), "engineer", START.plus(Duration.ofHours(2)));
  }

  @Test
  void theCustomerRevokesActiveAccessAtOnceWhenItsPolicyAllowsIt() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    policies.updatePolicy(tenant.id(), new PolicyUpdate(true, PolicyScope.ALL_MANAGED, List.of(), true, null),
        tenant.admin());
    Started started = start(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ), "engineer");
    drive(started);
    String lockboxId = view(started).lockbox().id();
    lockboxRequests.decide(lockboxId, Decision.APPROVE, null, fixtures.as(tenant.approver()));
    drive(started);
    assertThat(started.instance()).isWaitingAt("Gateway_AccessEnds");
    assertThat(grants.check(tenant.prod(), "engineer").allowed()).isTrue();

    Instant revokedAt = START.plus(Duration.ofHours(3));
    ClockUtil.setCurrentTime(Date.from(revokedAt));
    lockboxRequests.revoke(lockboxId, "unexpected queries on the orders table", fixtures.as(tenant.admin()));

    // Ended in the revocation's own transaction: no job ran in between.
    assertThat(grants.check(tenant.prod(), "engineer").allowed()).isFalse();
    assertThat(started.instance()).isEnded()
        .hasPassed("Event_CustomerRevokedAccess", "Task_TellOfCustomerRevocation", "EndEvent_AccessRevokedByCustomer")
        .hasNotPassed("Task_RevokeAccess", "Task_ReleaseAccess");
    AccessRequestView revoked = view(started);
    assertThat(revoked.status()).isEqualTo(AccessRequestStatus.ACCESS_ENDED);
    assertThat(revoked.grant().endReason()).isEqualTo("REVOKED_BY_CUSTOMER");
    assertThat(revoked.grant().endedAt()).isEqualTo(revokedAt);
    AuditEvent event = event(revoked, AuditEventType.ACCESS_REVOKED_BY_CUSTOMER);
    assertThat(event.actor()).isEqualTo(tenant.admin());
    assertThat(event.comment()).isEqualTo("unexpected queries on the orders table");
    assertThat(managementService.createJobQuery().processInstanceId(started.instance().getId())
        .activityId("Event_AccessPeriodOver").count()).isZero();
  }

  @Test
  void withoutThePolicySwitchTheCustomerCannotRevokeAndAccessRunsItsPeriod() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    Started started = start(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ), "engineer");
    drive(started);
    String lockboxId = view(started).lockbox().id();
    lockboxRequests.decide(lockboxId, Decision.APPROVE, null, fixtures.as(tenant.approver()));
    drive(started);

    assertThatThrownBy(() -> lockboxRequests.revoke(lockboxId, "not needed", fixtures.as(tenant.admin())))
        .isInstanceOfSatisfying(Refusal.class, e -> assertThat(e.kind()).isEqualTo(Refusal.Kind.CONFLICT));

    assertThat(started.instance()).isWaitingAt("Gateway_AccessEnds");
    assertThat(view(started).status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    assertThat(grants.check(tenant.prod(), "engineer").allowed()).isTrue();
    assertThat(audit.forRequest(started.view().id())).extracting(AuditEvent::type)
        .doesNotContain(AuditEventType.ACCESS_REVOKED_BY_CUSTOMER);
  }

  @Test
  void breakGlassGrantsAtOnceAndTellsTheCustomerAfterwards() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    Started started = start(breakGlass(tenant), "oncall");
    drive(started);

    assertThat(started.instance())
        .hasPassed("Task_GrantEmergencyAccess", "Task_NotifyApproversOfEmergencyAccess")
        .hasNotPassed("Task_EvaluateJitRules", "Task_CreateLockboxRequest")
        .isWaitingAt("Gateway_AccessEnds");
    assertThat(job("Event_AccessPeriodOver")).hasDueDate(Date.from(START.plus(Duration.ofHours(8))));
    AccessRequestView granted = view(started);
    assertThat(granted.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    assertThat(granted.breakGlass()).isTrue();
    assertThat(granted.lockbox()).isNull();
    assertThat(event(granted, AuditEventType.BREAK_GLASS_USED).detail()).contains("INC-4711");
    assertThat(event(granted, AuditEventType.APPROVERS_NOTIFIED).detail())
        .contains("BREAK_GLASS_USED").contains(tenant.approver());
    assertThat(grants.check(tenant.prod(), "oncall").allowed()).isTrue();
  }

  @Test
  void breakGlassAccessIsRevokedAfterEightHoursLikeAnyOther() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    Started started = start(breakGlass(tenant), "oncall");
    drive(started);
    assertThat(started.instance()).isWaitingAt("Gateway_AccessEnds");
    assertThat(job("Event_AccessPeriodOver")).hasDueDate(Date.from(START.plus(Duration.ofHours(8))));

    ClockUtil.setCurrentTime(Date.from(START.plus(Duration.ofHours(8))));
    execute(job("Event_AccessPeriodOver"));
    drive(started);

    assertThat(started.instance()).isEnded().hasPassed("Task_GrantEmergencyAccess", "Task_RevokeAccess",
        "EndEvent_AccessExpired").hasNotPassed("Task_CreateLockboxRequest", "Task_ReleaseAccess");
    AccessRequestView ended = view(started);
    assertThat(ended.status()).isEqualTo(AccessRequestStatus.ACCESS_ENDED);
    assertThat(ended.grant().endReason()).isEqualTo("EXPIRED");
    assertThat(ended.grant().endedAt()).isEqualTo(START.plus(Duration.ofHours(8)));
    assertThat(grants.check(tenant.prod(), "oncall").allowed()).isFalse();
    assertThat(audit.forRequest(started.view().id())).extracting(AuditEvent::type).contains(
        AuditEventType.BREAK_GLASS_USED, AuditEventType.ACCESS_GRANTED, AuditEventType.ACCESS_ENDED);
  }

  @Test
  void breakGlassAccessIsReleasedEarlyByTheEngineer() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    Started started = start(breakGlass(tenant), "oncall");
    drive(started);

    releasedAt(started, tenant.prod(), "oncall", START.plus(Duration.ofMinutes(30)));
    assertThat(started.instance()).hasPassed("Task_GrantEmergencyAccess");
  }

  @Test
  void writeAccessApprovedByALeadIsGrantedAtOnceWhereThePolicyAsksNothing() {
    TestTenant tenant = fixtures.tenant(false, PolicyScope.ALL_MANAGED);
    Started started = start(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.WRITE), "engineer");
    drive(started);
    assertThat(started.instance()).isWaitingAt("Task_ReviewInternalApproval");

    requests.decideInternally(started.view().id(), true, "needed for the fix", fixtures.as("lead"));
    drive(started);

    assertThat(started.instance()).hasPassed("Task_ReviewInternalApproval", "Task_CheckLockboxPolicy",
        "Task_GrantAccess").hasNotPassed("Task_CreateLockboxRequest", "Task_ReviewLockboxRequest")
        .isWaitingAt("Gateway_AccessEnds");
    AccessRequestView granted = view(started);
    assertThat(granted.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    assertThat(granted.internalApproval().decidedBy()).isEqualTo("lead");
    assertThat(granted.lockbox()).isNull();
    assertThat(event(granted, AuditEventType.LOCKBOX_NOT_REQUIRED).detail()).contains("disabled");
    assertThat(grants.check(tenant.prod(), "engineer").allowed()).isTrue();
  }

  /** The rules are read top to bottom (hit policy FIRST): a missing MFA rejects before any level asks a lead. */
  @Test
  void writeOrAdminWithoutMfaOrIsolatedIdentityIsRejectedNotSentToALead() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    List<NewAccessRequest> unfit = List.of(
        new NewAccessRequest(tenant.id(), tenant.prod(), null, "Fix the corrupted export table", AccessLevel.WRITE,
            true, false, null, null),
        new NewAccessRequest(tenant.id(), tenant.prod(), null, "Fix the corrupted export table", AccessLevel.ADMIN,
            false, true, null, null));
    for (NewAccessRequest request : unfit) {
      Started started = start(request, "engineer");
      drive(started);

      assertThat(started.instance()).isEnded().hasPassed("Task_RejectRequest", "EndEvent_RequestRejected")
          .hasNotPassed("Task_ReviewInternalApproval");
      AccessRequestView rejected = view(started);
      assertThat(rejected.status()).isEqualTo(AccessRequestStatus.REJECTED);
      assertThat(rejected.internalApproval().jitOutcome()).isEqualTo("REJECT");
      assertThat(event(rejected, AuditEventType.JIT_EVALUATED).detail()).contains("REJECT")
          .doesNotContain("INTERNAL_APPROVAL");
    }
  }

  @Test
  void unmanagedEnvironmentNeedsNoLockboxUnderAllManagedScope() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView view = grantedWithoutLockbox(tenant, tenant.sandbox());
    assertThat(event(view, AuditEventType.LOCKBOX_NOT_REQUIRED).detail()).contains("not managed");
  }

  @Test
  void disabledPolicyNeedsNoLockbox() {
    TestTenant tenant = fixtures.tenant(false, PolicyScope.ALL_MANAGED);
    AccessRequestView view = grantedWithoutLockbox(tenant, tenant.prod());
    assertThat(event(view, AuditEventType.LOCKBOX_NOT_REQUIRED).detail()).contains("disabled");
  }

  @Test
  void selectedScopeProtectsOnlyTheListedEnvironments() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.SELECTED, "-sandbox");
    AccessRequestView prod = grantedWithoutLockbox(tenant, tenant.prod());
    assertThat(event(prod, AuditEventType.LOCKBOX_NOT_REQUIRED).detail()).contains("not selected");

    Started sandbox = start(Fixtures.request(tenant.id(), tenant.sandbox(), AccessLevel.READ), "engineer");
    drive(sandbox);
    assertThat(sandbox.instance()).isWaitingAt("Task_ReviewLockboxRequest");
  }

  @Test
  void allScopeProtectsUnmanagedEnvironmentsToo() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL);
    Started started = start(Fixtures.request(tenant.id(), tenant.sandbox(), AccessLevel.READ), "engineer");
    drive(started);

    assertThat(started.instance()).isWaitingAt("Task_ReviewLockboxRequest");
    assertThat(view(started).lockbox().status()).isEqualTo(LockboxStatus.ACTION_NEEDED);
  }

  @Test
  void requestOutOfScopeByTheTimeItIsCheckedIsRejected() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    TestTenant other = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    Started started = start(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ), "engineer");
    // The environment changes hands between the request and its scope check.
    db.sql("update environment set tenant_id = ? where id = ?").params(other.id(), tenant.prod()).update();

    assertThat(started.instance()).isWaitingAt("Task_CheckScope");
    execute(job());

    assertThat(started.instance()).isEnded().hasPassed("BoundaryEvent_ScopeViolation", "EndEvent_RequestRejected")
        .hasNotPassed("Task_EvaluateJitRules");
    AccessRequestView rejected = view(started);
    assertThat(rejected.status()).isEqualTo(AccessRequestStatus.REJECTED);
    assertThat(rejected.statusReason()).contains("is not in tenant " + tenant.id());
  }

  @Test
  void requesterCannotDecideOnTheirOwnRequest() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    String dual = tenant.id() + "-dual";
    fixtures.user(dual, tenant.id(), Groups.SUPPORT_ENGINEERS, Groups.SUPPORT_LEADS, Groups.LOCKBOX_APPROVERS);

    Started write = start(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.WRITE), dual);
    drive(write);
    // The engine refuses the requester's own task, whatever approver groups they hold.
    assertThatThrownBy(() -> requests.decideInternally(write.view().id(), true, null, fixtures.as(dual)))
        .isInstanceOf(AuthorizationException.class).hasMessageContaining(dual);
    assertThat(write.instance()).isWaitingAt("Task_ReviewInternalApproval");

    Started read = start(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ), dual);
    drive(read);
    assertThat(event(view(read), AuditEventType.APPROVERS_NOTIFIED).detail())
        .contains(tenant.approver()).doesNotContain(dual);
    String lockboxId = view(read).lockbox().id();
    assertThatThrownBy(() -> lockboxRequests.decide(lockboxId, Decision.APPROVE, null, fixtures.as(dual)))
        .isInstanceOf(AuthorizationException.class).hasMessageContaining(dual);
    assertThat(read.instance()).isWaitingAt("Task_ReviewLockboxRequest");
    assertThat(view(read).lockbox().status()).isEqualTo(LockboxStatus.ACTION_NEEDED);
  }


  // --- several approvers (the customer's approval rules ask for more than one)

  @Test
  void twoDistinctApprovalsGrantAccessAndTheBasisNamesBoth() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    try (ApprovalRulesCopy rules = twoApprovers(tenant)) {
      Started started = pendingAtTheCustomer(tenant);
      assertThat(started.instance()).hasPassed("Task_EvaluateApprovalRules", "Task_CreateLockboxRequest")
          .isWaitingAt("Task_ReviewLockboxRequest");
      AccessRequestView waiting = view(started);
      assertThat(waiting.lockbox().approvalsRequired()).isEqualTo(2);
      assertThat(waiting.lockbox().approverGroups()).containsExactly(Groups.LOCKBOX_APPROVERS, Groups.TENANT_ADMINS);
      assertThat(task().getName()).endsWith("0 of 2 approvals");

      Instant firstAt = START.plus(Duration.ofHours(1));
      ClockUtil.setCurrentTime(Date.from(firstAt));
      LockboxRequestView afterFirst = lockboxRequests.view(lockboxRequests.decide(waiting.lockbox().id(),
          Decision.APPROVE, "fine by me", fixtures.as(tenant.approver())));
      drive(started);

      assertThat(afterFirst.status()).isEqualTo(LockboxStatus.ACTION_NEEDED);
      assertThat(afterFirst.approvals()).extracting(LockboxRequestView.Approval::by).containsExactly(tenant.approver());
      assertThat(started.instance()).hasPassed("Gateway_EnoughApprovals").isWaitingAt("Task_ReviewLockboxRequest");
      assertThat(view(started).status()).isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);
      assertThat(task().getName()).endsWith("1 of 2 approvals");
      assertThat(grants.check(tenant.prod(), "engineer").allowed()).isFalse();
      // The deadline belongs to the whole approval, not to one round of it.
      assertThat(job("BoundaryEvent_ApprovalOverdue")).hasDueDate(Date.from(START.plus(Duration.ofDays(4))));

      Instant secondAt = START.plus(Duration.ofHours(2));
      ClockUtil.setCurrentTime(Date.from(secondAt));
      lockboxRequests.decide(waiting.lockbox().id(), Decision.APPROVE, null, fixtures.as(tenant.admin()));
      drive(started);

      AccessRequestView granted = view(started);
      assertThat(granted.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
      assertThat(granted.lockbox().approvals()).extracting(LockboxRequestView.Approval::by)
          .containsExactly(tenant.approver(), tenant.admin());
      assertThat(granted.lockbox().decidedBy()).isEqualTo(tenant.admin());
      assertThat(granted.grant().grantedAt()).isEqualTo(secondAt);
      GrantBasis basis = grants.forRequest(granted.id()).orElseThrow().basis();
      assertThat(basis.kind()).isEqualTo(GrantBasis.Kind.CUSTOMER_APPROVAL);
      assertThat(basis.detail()).contains(tenant.approver() + " (lockbox-approvers)", tenant.admin() + " (tenant-admins)",
          "2 of 2");
      assertThat(audit.forRequest(granted.id())).extracting(AuditEvent::type).containsSubsequence(
          AuditEventType.LOCKBOX_REQUEST_CREATED, AuditEventType.LOCKBOX_APPROVAL_COUNTED,
          AuditEventType.LOCKBOX_APPROVED, AuditEventType.ACCESS_GRANTED);
      assertThat(event(granted, AuditEventType.LOCKBOX_REQUEST_CREATED).detail())
          .contains("2 distinct approvers", "Rule_TestTenant");
    }
  }

  @Test
  void oneApprovalThenADenialDenies() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    try (ApprovalRulesCopy rules = twoApprovers(tenant)) {
      Started started = pendingAtTheCustomer(tenant);
      String lockboxId = view(started).lockbox().id();
      lockboxRequests.decide(lockboxId, Decision.APPROVE, null, fixtures.as(tenant.approver()));
      drive(started);

      lockboxRequests.decide(lockboxId, Decision.DENY, "not during quarter close", fixtures.as(tenant.admin()));
      drive(started);

      assertThat(started.instance()).isEnded().hasPassed("EndEvent_CustomerDecided", "EndEvent_LockboxRequestDenied")
          .hasNotPassed("Task_GrantAccess");
      AccessRequestView denied = view(started);
      assertThat(denied.status()).isEqualTo(AccessRequestStatus.DENIED);
      assertThat(denied.lockbox().status()).isEqualTo(LockboxStatus.DENIED);
      assertThat(denied.lockbox().decidedBy()).isEqualTo(tenant.admin());
      assertThat(denied.lockbox().approvals()).hasSize(1);
      assertThat(event(denied, AuditEventType.LOCKBOX_DENIED).detail()).contains("after 1 of 2 approvals");
      assertThat(grants.check(tenant.prod(), "engineer").allowed()).isFalse();
    }
  }

  @Test
  void theSameApproverTwiceCountsOnce() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    try (ApprovalRulesCopy rules = twoApprovers(tenant)) {
      Started started = pendingAtTheCustomer(tenant);
      String lockboxId = view(started).lockbox().id();
      LockboxUser approver = fixtures.as(tenant.approver());
      lockboxRequests.decide(lockboxId, Decision.APPROVE, null, approver);
      drive(started);

      // Our API and page: a conflict with their own first approval.
      assertThatThrownBy(() -> lockboxRequests.decide(lockboxId, Decision.APPROVE, null, approver))
          .isInstanceOfSatisfying(Refusal.class, e -> assertThat(e.kind()).isEqualTo(Refusal.Kind.CONFLICT))
          .hasMessageContaining(tenant.approver()).hasMessageContaining("approved this lockbox request already");
      // Tasklist (or the engine REST API) completing the next round as the same person: refused, said why.
      identityService.setAuthentication(approver.id(), List.copyOf(approver.groups()), List.copyOf(approver.tenantIds()));
      try {
        assertThatThrownBy(() -> taskService.complete(task(started.instance()).getId(),
            Map.of(ProcessModel.LOCKBOX_DECISION, "APPROVE")))
            .isInstanceOf(BadUserRequestException.class).hasMessageContaining("approved this lockbox request already");
      } finally {
        identityService.clearAuthentication();
      }

      AccessRequestView waiting = view(started);
      assertThat(waiting.lockbox().approvals()).hasSize(1);
      assertThat(waiting.lockbox().status()).isEqualTo(LockboxStatus.ACTION_NEEDED);
      assertThat(started.instance()).isWaitingAt("Task_ReviewLockboxRequest");
      assertThat(grants.check(tenant.prod(), "engineer").allowed()).isFalse();
    }
  }

  @Test
  void theRequesterInTheApproverGroupCannotCount() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    String dual = tenant.id() + "-dual";
    fixtures.user(dual, tenant.id(), Groups.SUPPORT_ENGINEERS, Groups.LOCKBOX_APPROVERS);
    try (ApprovalRulesCopy rules = twoApprovers(tenant)) {
      Started started = start(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ), dual);
      drive(started);
      String lockboxId = view(started).lockbox().id();
      lockboxRequests.decide(lockboxId, Decision.APPROVE, null, fixtures.as(tenant.approver()));
      drive(started);

      assertThatThrownBy(() -> lockboxRequests.decide(lockboxId, Decision.APPROVE, null, fixtures.as(dual)))
          .isInstanceOf(AuthorizationException.class).hasMessageContaining(dual);

      AccessRequestView waiting = view(started);
      assertThat(waiting.lockbox().approvals()).extracting(LockboxRequestView.Approval::by)
          .containsExactly(tenant.approver());
      assertThat(waiting.status()).isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);
      assertThat(started.instance()).isWaitingAt("Task_ReviewLockboxRequest");
    }
  }

  @Test
  void aQuorumNotReachedByTheDeadlineExpires() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    try (ApprovalRulesCopy rules = twoApprovers(tenant)) {
      Started started = pendingAtTheCustomer(tenant);
      ClockUtil.setCurrentTime(Date.from(START.plus(Duration.ofDays(1))));
      lockboxRequests.decide(view(started).lockbox().id(), Decision.APPROVE, null, fixtures.as(tenant.approver()));
      drive(started);
      assertThat(started.instance()).isWaitingAt("Task_ReviewLockboxRequest");
      assertThat(job("BoundaryEvent_ApprovalOverdue")).hasDueDate(Date.from(START.plus(Duration.ofDays(4))));

      ClockUtil.setCurrentTime(Date.from(START.plus(Duration.ofDays(4))));
      execute(job("BoundaryEvent_ApprovalOverdue"));

      assertThat(started.instance()).isEnded().hasPassed("Task_ExpireLockboxRequest", "EndEvent_LockboxRequestExpired")
          .hasNotPassed("Task_GrantAccess");
      AccessRequestView expired = view(started);
      assertThat(expired.status()).isEqualTo(AccessRequestStatus.EXPIRED);
      assertThat(expired.lockbox().status()).isEqualTo(LockboxStatus.EXPIRED);
      assertThat(expired.lockbox().approvals()).hasSize(1);
      assertThat(expired.grant()).isNull();
      assertThat(grants.check(tenant.prod(), "engineer").allowed()).isFalse();
    }
  }

  // --- extensions of granted access

  @Test
  void anApprovedExtensionMovesTheGrantsEndByTheAccessPeriodAndTheTimerFollows() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    Granted granted = grantedAfterApproval(tenant);
    Instant askedAt = granted.end().minus(Duration.ofHours(2));
    ClockUtil.setCurrentTime(Date.from(askedAt));

    LockboxRequest asked = requests.askForExtension(granted.id(), "The data fix needs two more hours",
        fixtures.as("engineer"));

    assertThat(granted.started().instance()).hasPassed("Event_ExtensionAsked", "Task_OpenExtensionRequest",
        "Task_NotifyApproversOfExtension").isWaitingAt("Task_ReviewExtension");
    assertThat(task(granted.started().instance())).hasCandidateGroup(Groups.LOCKBOX_APPROVERS)
        .hasCandidateGroup(Groups.TENANT_ADMINS);
    assertThat(task(granted.started().instance()).getName()).startsWith("Extension of access");
    assertThat(task(granted.started().instance()).getDueDate()).isEqualTo(Date.from(granted.end()));
    assertThat(job("BoundaryEvent_AccessEndsDuringExtension", granted.started().instance()))
        .hasDueDate(Date.from(granted.end()));
    AccessRequestView waiting = view(granted.started());
    assertThat(waiting.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    assertThat(waiting.lockboxRequests()).extracting(LockboxRequestView::purpose)
        .containsExactly(LockboxPurpose.ACCESS, LockboxPurpose.EXTENSION);
    assertThat(waiting.lockbox().id()).isEqualTo(asked.id());
    assertThat(waiting.lockbox().status()).isEqualTo(LockboxStatus.ACTION_NEEDED);
    assertThat(waiting.lockbox().expiresAt()).isEqualTo(granted.end());
    assertThat(waiting.lockbox().justification()).isEqualTo("The data fix needs two more hours");

    lockboxRequests.decide(asked.id(), Decision.APPROVE, "take the time", fixtures.as(tenant.approver()));
    drive(granted.started());

    Instant newEnd = granted.end().plus(Duration.ofHours(8));
    assertThat(granted.started().instance()).hasPassed("Task_ExtendAccess", "EndEvent_AccessExtended")
        .isWaitingAt("Gateway_AccessEnds");
    AccessRequestView extended = view(granted.started());
    assertThat(extended.grant().expiresAt()).isEqualTo(newEnd);
    assertThat(extended.lockbox().status()).isEqualTo(LockboxStatus.APPROVED);
    assertThat(job("Event_AccessPeriodOver", granted.started().instance())).hasDueDate(Date.from(newEnd));
    AuditEvent event = event(extended, AuditEventType.ACCESS_EXTENDED);
    assertThat(event.accessExpiresAt()).isEqualTo(newEnd);
    assertThat(event.detail()).contains("approved by " + tenant.approver())
        .contains("signed grant " + grants.forRequest(granted.id()).orElseThrow().signature());

    // Past the old end the data plane's check still answers yes, with the new end and signature.
    ClockUtil.setCurrentTime(Date.from(granted.end().plus(Duration.ofMinutes(1))));
    assertThat(grants.check(tenant.prod(), "engineer").allowed()).isTrue();
    assertThat(grants.check(tenant.prod(), "engineer").expiresAt()).isEqualTo(newEnd);

    ClockUtil.setCurrentTime(Date.from(newEnd));
    execute(job("Event_AccessPeriodOver", granted.started().instance()));
    assertThat(granted.started().instance()).isEnded().hasPassed("Task_RevokeAccess", "EndEvent_AccessExpired");
    assertThat(grants.check(tenant.prod(), "engineer").allowed()).isFalse();
  }

  @Test
  void aDeniedExtensionLeavesTheEndWhereItWas() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    Granted granted = grantedAfterApproval(tenant);
    LockboxRequest asked = requests.askForExtension(granted.id(), "The data fix needs two more hours",
        fixtures.as("engineer"));

    lockboxRequests.decide(asked.id(), Decision.DENY, "finish it tomorrow", fixtures.as(tenant.approver()));
    drive(granted.started());

    assertThat(granted.started().instance()).hasPassed("EndEvent_ExtensionDenied").hasNotPassed("Task_ExtendAccess")
        .isWaitingAt("Gateway_AccessEnds");
    AccessRequestView denied = view(granted.started());
    assertThat(denied.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    assertThat(denied.lockbox().status()).isEqualTo(LockboxStatus.DENIED);
    assertThat(denied.grant().expiresAt()).isEqualTo(granted.end());
    assertThat(job("Event_AccessPeriodOver", granted.started().instance())).hasDueDate(Date.from(granted.end()));
  }

  @Test
  void anExtensionUndecidedWhenAccessEndsClosesAsExpired() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    Granted granted = grantedAfterApproval(tenant);
    LockboxRequest asked = requests.askForExtension(granted.id(), "The data fix needs two more hours",
        fixtures.as("engineer"));

    ClockUtil.setCurrentTime(Date.from(granted.end()));
    execute(job("BoundaryEvent_AccessEndsDuringExtension", granted.started().instance()));

    assertThat(granted.started().instance()).isEnded().hasPassed("Task_RevokeAccess", "EndEvent_AccessExpired")
        .hasNotPassed("Task_ExtendAccess");
    AccessRequestView ended = view(granted.started());
    assertThat(ended.status()).isEqualTo(AccessRequestStatus.ACCESS_ENDED);
    assertThat(ended.lockbox().status()).isEqualTo(LockboxStatus.EXPIRED);
    assertThat(ended.grant().expiresAt()).isEqualTo(granted.end());
    assertThat(grants.check(tenant.prod(), "engineer").allowed()).isFalse();
    assertThatThrownBy(() -> lockboxRequests.decide(asked.id(), Decision.APPROVE, null, fixtures.as(tenant.approver())))
        .isInstanceOfSatisfying(Refusal.class, e -> assertThat(e.kind()).isEqualTo(Refusal.Kind.CONFLICT));
  }

  @Test
  void releasingAccessWhileAnExtensionWaitsClosesTheExtensionAsExpired() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    Granted granted = grantedAfterApproval(tenant);
    requests.askForExtension(granted.id(), "The data fix needs two more hours", fixtures.as("engineer"));

    releasedAt(granted.started(), tenant.prod(), "engineer", granted.end().minus(Duration.ofHours(1)));

    assertThat(granted.started().instance()).hasPassed("BoundaryEvent_ReleasedDuringExtension");
    assertThat(view(granted.started()).lockbox().status()).isEqualTo(LockboxStatus.EXPIRED);
  }

  @Test
  void theTenantsLimitOfExtensionsHoldsAndOneExtensionIsOpenAtATime() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    Granted granted = grantedAfterApproval(tenant);
    LockboxUser engineer = fixtures.as("engineer");
    LockboxRequest first = requests.askForExtension(granted.id(), "The data fix needs two more hours", engineer);

    assertThatThrownBy(() -> requests.askForExtension(granted.id(), "And some more time after that", engineer))
        .isInstanceOfSatisfying(Refusal.class, e -> assertThat(e.kind()).isEqualTo(Refusal.Kind.CONFLICT))
        .hasMessageContaining("waiting");
    lockboxRequests.decide(first.id(), Decision.DENY, "finish it tomorrow", fixtures.as(tenant.approver()));
    drive(granted.started());

    // The default allows one extension of an access, decided either way.
    assertThatThrownBy(() -> requests.askForExtension(granted.id(), "And some more time after that", engineer))
        .isInstanceOfSatisfying(Refusal.class, e -> assertThat(e.kind()).isEqualTo(Refusal.Kind.CONFLICT))
        .hasMessageContaining("allows 1 extension");
    assertThat(view(granted.started()).lockboxRequests()).hasSize(2);
    assertThat(granted.started().instance()).isWaitingAt("Gateway_AccessEnds");
  }

  @Test
  void moreTimeNeedsAsManyDistinctApproversAsTheRulesAskAndTheBasisNamesThem() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    try (ApprovalRulesCopy rules = twoApprovers(tenant)) {
      Started started = pendingAtTheCustomer(tenant);
      String accessLockbox = view(started).lockbox().id();
      ClockUtil.setCurrentTime(Date.from(START.plus(Duration.ofHours(1))));
      lockboxRequests.decide(accessLockbox, Decision.APPROVE, null, fixtures.as(tenant.approver()));
      drive(started);
      lockboxRequests.decide(accessLockbox, Decision.APPROVE, null, fixtures.as(tenant.admin()));
      drive(started);
      Instant end = view(started).grant().expiresAt();

      LockboxRequest asked = requests.askForExtension(started.view().id(), "The data fix needs two more hours",
          fixtures.as("engineer"));

      // The same rules decide the extension: evaluated for it, recorded on its lockbox request.
      assertThat(started.instance()).hasPassed("Task_EvaluateExtensionApprovalRules", "Task_OpenExtensionRequest")
          .isWaitingAt("Task_ReviewExtension");
      AccessRequestView waiting = view(started);
      assertThat(waiting.lockbox().id()).isEqualTo(asked.id());
      assertThat(waiting.lockbox().approvalsRequired()).isEqualTo(2);
      assertThat(waiting.lockbox().approverGroups()).containsExactly(Groups.LOCKBOX_APPROVERS, Groups.TENANT_ADMINS);
      assertThat(task(started.instance()).getName()).startsWith("Extension of access").endsWith("0 of 2 approvals");

      LockboxUser approver = fixtures.as(tenant.approver());
      lockboxRequests.decide(asked.id(), Decision.APPROVE, "fine by me", approver);
      drive(started);

      assertThat(started.instance()).hasPassed("Gateway_EnoughExtensionApprovals").isWaitingAt("Task_ReviewExtension");
      AccessRequestView afterFirst = view(started);
      assertThat(afterFirst.lockbox().status()).isEqualTo(LockboxStatus.ACTION_NEEDED);
      assertThat(afterFirst.lockbox().approvals()).extracting(LockboxRequestView.Approval::by)
          .containsExactly(tenant.approver());
      assertThat(afterFirst.grant().expiresAt()).isEqualTo(end);
      assertThat(task(started.instance()).getName()).endsWith("1 of 2 approvals");
      assertThatThrownBy(() -> lockboxRequests.decide(asked.id(), Decision.APPROVE, null, approver))
          .isInstanceOfSatisfying(Refusal.class, e -> assertThat(e.kind()).isEqualTo(Refusal.Kind.CONFLICT))
          .hasMessageContaining("approved this lockbox request already");

      lockboxRequests.decide(asked.id(), Decision.APPROVE, null, fixtures.as(tenant.admin()));
      drive(started);

      assertThat(started.instance()).hasPassed("Task_ExtendAccess", "EndEvent_AccessExtended")
          .isWaitingAt("Gateway_AccessEnds");
      AccessRequestView extended = view(started);
      assertThat(extended.grant().expiresAt()).isEqualTo(end.plus(Duration.ofHours(8)));
      assertThat(extended.lockboxRequests()).extracting(LockboxRequestView::approvalsRequired).containsExactly(2, 2);
      assertThat(extended.lockbox().approvals()).extracting(LockboxRequestView.Approval::by)
          .containsExactlyInAnyOrder(tenant.approver(), tenant.admin());
      assertThat(event(extended, AuditEventType.ACCESS_EXTENDED).detail())
          .contains(tenant.approver() + " (lockbox-approvers)", tenant.admin() + " (tenant-admins)", "2 of 2");
    }
  }

  @Test
  void theCustomersRevocationWhileMoreTimeIsAskedEndsAccessAndTheExtension() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    policies.updatePolicy(tenant.id(), new PolicyUpdate(true, PolicyScope.ALL_MANAGED, List.of(), true, null),
        tenant.admin());
    Granted granted = grantedAfterApproval(tenant);
    LockboxRequest asked = requests.askForExtension(granted.id(), "The data fix needs two more hours",
        fixtures.as("engineer"));
    assertThat(granted.started().instance()).isWaitingAt("Task_ReviewExtension");

    Instant revokedAt = granted.end().minus(Duration.ofHours(1));
    ClockUtil.setCurrentTime(Date.from(revokedAt));
    lockboxRequests.revoke(asked.id(), "unexpected queries on the orders table", fixtures.as(tenant.admin()));

    assertThat(grants.check(tenant.prod(), "engineer").allowed()).isFalse();
    assertThat(granted.started().instance()).isEnded()
        .hasPassed("BoundaryEvent_RevokedDuringExtension", "Task_TellOfCustomerRevocation",
            "EndEvent_AccessRevokedByCustomer")
        .hasNotPassed("Task_ExtendAccess", "Task_RevokeAccess", "Task_ReleaseAccess");
    AccessRequestView revoked = view(granted.started());
    assertThat(revoked.status()).isEqualTo(AccessRequestStatus.ACCESS_ENDED);
    assertThat(revoked.grant().endReason()).isEqualTo("REVOKED_BY_CUSTOMER");
    assertThat(revoked.grant().endedAt()).isEqualTo(revokedAt);
    assertThat(revoked.lockbox().id()).isEqualTo(asked.id());
    assertThat(revoked.lockbox().status()).isEqualTo(LockboxStatus.EXPIRED);
    assertThat(taskService.createTaskQuery().processInstanceId(granted.started().instance().getId()).count()).isZero();
    assertThatThrownBy(() -> lockboxRequests.decide(asked.id(), Decision.APPROVE, null, fixtures.as(tenant.approver())))
        .isInstanceOfSatisfying(Refusal.class, e -> assertThat(e.kind()).isEqualTo(Refusal.Kind.CONFLICT));
  }

  /** The tenant's approval rules ask two distinct lockbox approvers or tenant admins (until closed). */
  private ApprovalRulesCopy twoApprovers(TestTenant tenant) {
    return ApprovalRulesCopy.deploy(repositoryService, tenant.id(), 2, "lockbox-approvers,tenant-admins");
  }

  /** A READ request on the tenant's production, filed by the engineer, waiting for the customer. */
  private Started pendingAtTheCustomer(TestTenant tenant) {
    Started started = start(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ), "engineer");
    drive(started);
    return started;
  }

  record Granted(Started started, String id, Instant end) {}

  /** A READ request on the tenant's production, approved an hour after it was filed: access for 8 hours. */
  private Granted grantedAfterApproval(TestTenant tenant) {
    Started started = pendingAtTheCustomer(tenant);
    Instant approvedAt = START.plus(Duration.ofHours(1));
    ClockUtil.setCurrentTime(Date.from(approvedAt));
    lockboxRequests.decide(view(started).lockbox().id(), Decision.APPROVE, "go ahead", fixtures.as(tenant.approver()));
    drive(started);
    AccessRequestView granted = view(started);
    assertThat(granted.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    assertThat(granted.grant().expiresAt()).isEqualTo(approvedAt.plus(Duration.ofHours(8)));
    return new Granted(started, granted.id(), granted.grant().expiresAt());
  }

  // --- helpers

  record Started(AccessRequestView view, ProcessInstance instance) {}

  private Started start(NewAccessRequest request, String userId) {
    AccessRequestView view = requests.create(request, fixtures.as(userId));
    ProcessInstance instance = runtimeService.createProcessInstanceQuery()
        .processInstanceId(view.processInstanceId()).singleResult();
    return new Started(view, instance);
  }

  /** {@code user} releases the access at {@code at}: it ends at once, by the release path, audited as theirs. */
  private void releasedAt(Started started, String environmentId, String user, Instant at) {
    ClockUtil.setCurrentTime(Date.from(at));
    requests.release(started.view().id(), fixtures.as(user));

    assertThat(started.instance()).isEnded().hasPassed("Task_ReleaseAccess", "EndEvent_AccessReleased")
        .hasNotPassed("Task_RevokeAccess");
    AccessRequestView released = view(started);
    assertThat(released.status()).isEqualTo(AccessRequestStatus.ACCESS_ENDED);
    assertThat(released.grant().endReason()).isEqualTo("RELEASED");
    assertThat(released.grant().endedAt()).isEqualTo(at);
    assertThat(grants.check(environmentId, user).allowed()).isFalse();
    assertThat(event(released, AuditEventType.ACCESS_RELEASED).actor()).isEqualTo(user);
  }

  private static NewAccessRequest breakGlass(TestTenant tenant) {
    return new NewAccessRequest(tenant.id(), tenant.prod(), null, "Production outage: database cluster down",
        AccessLevel.ADMIN, true, true, true, "INC-4711");
  }

  private AccessRequestView grantedWithoutLockbox(TestTenant tenant, String environmentId) {
    Started started = start(Fixtures.request(tenant.id(), environmentId, AccessLevel.READ), "engineer");
    drive(started);
    assertThat(started.instance()).hasNotPassed("Task_CreateLockboxRequest")
        .isWaitingAt("Gateway_AccessEnds");
    AccessRequestView view = view(started);
    assertThat(view.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    assertThat(view.lockbox()).isNull();
    return view;
  }

  /**
   * Executes every job that is due now (async continuations, notifications), never a timer still
   * in the future.
   */
  private void drive(Started started) {
    drive(started.view().id());
  }

  private AccessRequestView view(Started started) {
    return requests.get(started.view().id(), fixtures.as("lead"));
  }

  private AuditEvent event(AccessRequestView view, AuditEventType type) {
    return audit.forRequest(view.id()).stream().filter(e -> e.type() == type).findFirst()
        .orElseThrow(() -> new AssertionError("No " + type + " event for request " + view.id()));
  }
}
