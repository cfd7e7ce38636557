package io.customerlockbox.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.process.ProcessModel;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.request.LockboxStatus;
import java.net.http.HttpResponse;
import java.util.List;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * A requester who also holds every approving role is refused on their own request, whichever
 * way they try: our API, Tasklist (its own engine REST API behind a session and CSRF token), and
 * the engine REST API. Their refusals change nothing; someone else then decides normally.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"demo", "test"})
@Import(Fixtures.class)
class SeparationOfDutiesTest {

  @LocalServerPort int port;
  @Autowired Fixtures fixtures;
  @Autowired AccessRequestService requests;
  @Autowired ManagementService managementService;
  @Autowired TaskService taskService;

  @Test
  void requesterWhoIsAlsoLeadAndApproverCannotDecideTheirOwnRequestAnyWay() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    String dual = tenant.id() + "-dual";
    fixtures.user(dual, tenant.id(), Groups.SUPPORT_ENGINEERS, Groups.SUPPORT_LEADS, Groups.LOCKBOX_APPROVERS,
        Groups.TENANT_ADMINS);
    AccessRequestView request = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.WRITE),
        fixtures.as(dual));
    drive(request);
    assertThat(status(request)).isEqualTo(AccessRequestStatus.PENDING_INTERNAL_APPROVAL);

    String internalTask = task(request, ProcessModel.INTERNAL_APPROVAL_TASK);
    String approve = "{\"variables\": {\"" + ProcessModel.INTERNAL_DECISION + "\": {\"value\": \"APPROVE\"}}}";
    WebClient api = new WebClient(port);
    assertThat(api.basic("POST", "/engine-rest/task/" + internalTask + "/complete", dual, Fixtures.PASSWORD, approve)
        .statusCode()).isEqualTo(403);
    assertThat(api.basic("POST", "/api/access-requests/" + request.id() + "/internal-approval", dual,
        Fixtures.PASSWORD, "{\"approved\": true}").statusCode()).isEqualTo(403);
    WebClient tasklist = new WebClient(port);
    assertThat(tasklist.loginToTasklist(dual, Fixtures.PASSWORD).statusCode()).isEqualTo(200);
    assertThat(tasklist.webapp("POST", "/camunda/api/engine/engine/default/task/" + internalTask + "/complete",
        approve, true).statusCode()).isEqualTo(403);
    assertThat(status(request)).isEqualTo(AccessRequestStatus.PENDING_INTERNAL_APPROVAL);
    assertThat(taskService.createTaskQuery().taskId(internalTask).count()).isEqualTo(1);

    assertThat(api.basic("POST", "/api/access-requests/" + request.id() + "/internal-approval", "lead", "demo",
        "{\"approved\": true, \"comment\": \"needed\"}").statusCode()).isEqualTo(200);
    drive(request);
    AccessRequestView pending = requests.get(request.id(), fixtures.as(dual));
    assertThat(pending.status()).isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);

    String lockboxTask = task(request, ProcessModel.CUSTOMER_APPROVAL_TASK);
    String customerApprove = "{\"variables\": {\"" + ProcessModel.LOCKBOX_DECISION + "\": {\"value\": \"APPROVE\"}}}";
    assertThat(api.basic("POST", "/engine-rest/task/" + lockboxTask + "/complete", dual, Fixtures.PASSWORD,
        customerApprove).statusCode()).isEqualTo(403);
    assertThat(api.basic("POST", "/api/lockbox-requests/" + pending.lockbox().id() + "/approve", dual,
        Fixtures.PASSWORD, "{}").statusCode()).isEqualTo(403);
    assertThat(tasklist.webapp("POST", "/camunda/api/engine/engine/default/task/" + lockboxTask + "/complete",
        customerApprove, true).statusCode()).isEqualTo(403);
    AccessRequestView still = requests.get(request.id(), fixtures.as(dual));
    assertThat(still.status()).isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);
    assertThat(still.lockbox().status()).isEqualTo(LockboxStatus.ACTION_NEEDED);

    // Tasklist as a real approver of the tenant: CSRF token required, then the decision counts.
    WebClient forged = new WebClient(port);
    assertThat(forged.loginToTasklist(tenant.approver(), Fixtures.PASSWORD).statusCode()).isEqualTo(200);
    assertThat(forged.webapp("POST", "/camunda/api/engine/engine/default/task/" + lockboxTask + "/complete",
        customerApprove, false).statusCode()).isEqualTo(403);
    WebClient approver = new WebClient(port);
    assertThat(approver.loginToTasklist(tenant.approver(), Fixtures.PASSWORD).statusCode()).isEqualTo(200);
    HttpResponse<String> decided = approver.webapp("POST",
        "/camunda/api/engine/engine/default/task/" + lockboxTask + "/complete", customerApprove, true);
    assertThat(decided.statusCode()).as(decided.body()).isEqualTo(204);
    drive(request);
    AccessRequestView granted = requests.get(request.id(), fixtures.as(dual));
    assertThat(granted.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    assertThat(granted.lockbox().decidedBy()).isEqualTo(tenant.approver());
  }

  private AccessRequestStatus status(AccessRequestView request) {
    return requests.get(request.id(), fixtures.as("lead")).status();
  }

  private void drive(AccessRequestView request) {
    for (int round = 0; round < 20; round++) {
      List<Job> messages = managementService.createJobQuery().processInstanceId(request.processInstanceId())
          .messages().list();
      if (messages.isEmpty()) {
        return;
      }
      messages.forEach(job -> managementService.executeJob(job.getId()));
    }
  }

  private String task(AccessRequestView request, String key) {
    return taskService.createTaskQuery().processInstanceId(request.processInstanceId()).taskDefinitionKey(key)
        .singleResult().getId();
  }
}
