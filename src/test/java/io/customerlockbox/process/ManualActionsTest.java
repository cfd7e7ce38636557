package io.customerlockbox.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.ApiClient;
import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.JobDriver;
import io.customerlockbox.audit.AuditEvent;
import io.customerlockbox.audit.AuditEventType;
import io.customerlockbox.audit.AuditTrail;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestView;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A person's action on a lockbox request in the engine (Cockpit, the engine REST API) lands in the
 * request's audit trail with that person; so does an attempt the engine refused. Timers and the
 * engine's own jobs are not persons and leave no such event.
 */
class ManualActionsTest extends ApplicationTest {

  @Autowired AccessRequestService requests;
  @Autowired AuditTrail audit;

  @Test
  void anOperatorsSuspensionAndRetryAreRecordedWithTheOperator() {
    AccessRequestView request = pendingCustomerApproval();
    String instance = "/engine-rest/process-instance/" + request.processInstanceId();
    ApiClient operator = api.as("operator", "demo");

    assertThat(operator.put(instance + "/suspended", "{\"suspended\": true}").status()).isEqualTo(204);
    assertThat(operator.put(instance + "/suspended", "{\"suspended\": false}").status()).isEqualTo(204);
    String timer = managementService.createJobQuery().processInstanceId(request.processInstanceId())
        .activityId(ProcessModel.APPROVAL_OVERDUE_TIMER).singleResult().getId();
    assertThat(operator.put("/engine-rest/job/" + timer + "/retries", "{\"retries\": 3}").status()).isEqualTo(204);

    assertThat(manual(request, AuditEventType.MANUAL_ACTION)).extracting(AuditEvent::actor, AuditEvent::detail)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("operator", ManualActions.inWords("Suspend")),
            org.assertj.core.groups.Tuple.tuple("operator", ManualActions.inWords("Activate")),
            org.assertj.core.groups.Tuple.tuple("operator", ManualActions.inWords("SetJobRetries")));
  }

  @Test
  void anOperatorsRetryOfANotificationsJobIsRecordedOnItsRequest() {
    AccessRequestView request = pendingCustomerApproval();
    String notification = JobDriver.instancesOfRequest(runtimeService, request.id())
        .processDefinitionKey(ProcessModel.NOTIFICATION_PROCESS_KEY).singleResult().getId();
    String send = managementService.createJobQuery().processInstanceId(notification).singleResult().getId();

    assertThat(api.as("operator", "demo").put("/engine-rest/job/" + send + "/retries", "{\"retries\": 3}").status())
        .isEqualTo(204);

    assertThat(manual(request, AuditEventType.MANUAL_ACTION)).extracting(AuditEvent::actor, AuditEvent::detail)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("operator", ManualActions.inWords("SetJobRetries")));
  }

  @Test
  void anAdministratorsVariableWriteIsRecordedWithTheAdministrator() {
    AccessRequestView request = pendingCustomerApproval();
    var answer = api.as("admin", "demo").put("/engine-rest/process-instance/" + request.processInstanceId()
        + "/variables/note", "{\"value\": \"looked at it\", \"type\": \"String\"}");
    assertThat(answer.status()).as(answer.body()).isEqualTo(204);
    assertThat(manual(request, AuditEventType.MANUAL_ACTION)).singleElement().satisfies(event -> {
      assertThat(event.actor()).isEqualTo("admin");
      assertThat(event.actorKind()).isEqualTo(AuditEvent.ActorKind.USER);
      assertThat(event.detail()).isEqualTo(ManualActions.inWords("SetVariable"));
      assertThat(event.tenantId()).isEqualTo(request.tenantId());
    });
  }

  /** The engine refuses the operator's modification, and the trail keeps who tried: the refusal survives the rollback. */
  @Test
  void aRefusedModificationIsRecordedWithWhoTriedIt() {
    AccessRequestView request = pendingCustomerApproval();
    var answer = api.as("operator", "demo").post("/engine-rest/process-instance/" + request.processInstanceId()
        + "/modification", "{\"instructions\": [{\"type\": \"startBeforeActivity\", \"activityId\": \"Task_GrantAccess\"}]}");
    assertThat(answer.status()).as(answer.body()).isEqualTo(403);
    assertThat(manual(request, AuditEventType.MANUAL_ACTION)).isEmpty();
    assertThat(manual(request, AuditEventType.MANUAL_ACTION_REFUSED)).singleElement().satisfies(event -> {
      assertThat(event.actor()).isEqualTo("operator");
      assertThat(event.detail()).endsWith("refused");
    });
    assertThat(requests.get(request.id(), fixtures.as("lead")).status()).isEqualTo(request.status());
  }

  /**
   * Running a job by hand is the administrators' in Cockpit too: the operator is refused before the
   * engine, so the refusal does not use up the timer's retries.
   */
  @Test
  void cockpitRunsAJobByHandForAdministratorsOnly() {
    AccessRequestView request = pendingCustomerApproval();
    var timer = managementService.createJobQuery().processInstanceId(request.processInstanceId())
        .activityId(ProcessModel.APPROVAL_OVERDUE_TIMER).singleResult();
    String execute = "/camunda/api/engine/engine/default/job/" + timer.getId() + "/execute";
    ApiClient operator = api.session();
    assertThat(operator.loginToWebapp("cockpit", "operator", "demo").status()).isLessThan(300);
    var refused = operator.webapp(org.springframework.http.HttpMethod.POST, execute, null, true);
    assertThat(refused.status()).as(refused.body()).isEqualTo(403);
    assertThat(managementService.createJobQuery().jobId(timer.getId()).singleResult().getRetries())
        .isEqualTo(timer.getRetries());

    ApiClient admin = api.session();
    assertThat(admin.loginToWebapp("cockpit", "admin", "demo").status()).isLessThan(300);
    var ran = admin.webapp(org.springframework.http.HttpMethod.POST, execute, null, true);
    assertThat(ran.status()).as(ran.body()).isEqualTo(204);
    assertThat(manual(request, AuditEventType.MANUAL_ACTION)).extracting(AuditEvent::actor).contains("admin");
  }

  /** The expiry timer is the engine's own job: the trail says the system expired the request, nobody by hand. */
  @Test
  void timersLeaveNoManualAction() {
    AccessRequestView request = pendingCustomerApproval();
    String timer = managementService.createJobQuery().processInstanceId(request.processInstanceId())
        .activityId(ProcessModel.APPROVAL_OVERDUE_TIMER).singleResult().getId();
    managementService.executeJob(timer);
    drive(request.id());
    assertThat(audit.forRequest(request.id())).extracting(AuditEvent::type)
        .contains(AuditEventType.LOCKBOX_EXPIRED)
        .doesNotContain(AuditEventType.MANUAL_ACTION, AuditEventType.MANUAL_ACTION_REFUSED);
  }

  private List<AuditEvent> manual(AccessRequestView request, AuditEventType type) {
    return audit.forRequest(request.id()).stream().filter(event -> event.type() == type).toList();
  }

  private AccessRequestView pendingCustomerApproval() {
    var tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView created = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("engineer"));
    jobs.executeDueJobs(created.processInstanceId());
    return requests.get(created.id(), fixtures.as("engineer"));
  }
}
