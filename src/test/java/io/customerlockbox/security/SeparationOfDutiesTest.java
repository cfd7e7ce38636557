package io.customerlockbox.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.ApiClient;
import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.process.ProcessModel;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.request.LockboxStatus;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A requester who also holds every approving role is refused on their own request, whichever
 * way they try: our API, Tasklist (its own engine REST API behind a session and CSRF token), and
 * the engine REST API. Their refusals change nothing; someone else then decides normally.
 */
class SeparationOfDutiesTest extends ApplicationTest {

  @Autowired AccessRequestService requests;

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
    ApiClient caller = api.as(dual, Fixtures.PASSWORD);
    assertThat(caller.post("/engine-rest/task/" + internalTask + "/complete", approve)
        .status()).isEqualTo(403);
    assertThat(caller.post("/api/access-requests/" + request.id() + "/internal-approval", "{\"approved\": true}").status()).isEqualTo(403);
    ApiClient tasklist = api.session();
    assertThat(tasklist.loginToTasklist(dual, Fixtures.PASSWORD).status()).isEqualTo(200);
    assertThat(tasklist.webapp(HttpMethod.POST, "/camunda/api/engine/engine/default/task/" + internalTask + "/complete",
        approve, true).status()).isEqualTo(403);
    assertThat(status(request)).isEqualTo(AccessRequestStatus.PENDING_INTERNAL_APPROVAL);
    assertThat(taskService.createTaskQuery().taskId(internalTask).count()).isEqualTo(1);

    assertThat(api.as("lead", "demo").post("/api/access-requests/" + request.id() + "/internal-approval",
        "{\"approved\": true, \"comment\": \"needed\"}").status()).isEqualTo(200);
    drive(request);
    AccessRequestView pending = requests.get(request.id(), fixtures.as(dual));
    assertThat(pending.status()).isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);

    String lockboxTask = task(request, ProcessModel.CUSTOMER_APPROVAL_TASK);
    String customerApprove = "{\"variables\": {\"" + ProcessModel.LOCKBOX_DECISION + "\": {\"value\": \"APPROVE\"}}}";
    assertThat(caller.post("/engine-rest/task/" + lockboxTask + "/complete", customerApprove).status()).isEqualTo(403);
    assertThat(caller.post("/api/lockbox-requests/" + pending.lockbox().id() + "/approve", "{}").status()).isEqualTo(403);
    assertThat(tasklist.webapp(HttpMethod.POST, "/camunda/api/engine/engine/default/task/" + lockboxTask + "/complete",
        customerApprove, true).status()).isEqualTo(403);
    AccessRequestView still = requests.get(request.id(), fixtures.as(dual));
    assertThat(still.status()).isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);
    assertThat(still.lockbox().status()).isEqualTo(LockboxStatus.ACTION_NEEDED);

    // Tasklist as a real approver of the tenant: CSRF token required, then the decision counts.
    ApiClient forged = api.session();
    assertThat(forged.loginToTasklist(tenant.approver(), Fixtures.PASSWORD).status()).isEqualTo(200);
    assertThat(forged.webapp(HttpMethod.POST, "/camunda/api/engine/engine/default/task/" + lockboxTask + "/complete",
        customerApprove, false).status()).isEqualTo(403);
    ApiClient approver = api.session();
    assertThat(approver.loginToTasklist(tenant.approver(), Fixtures.PASSWORD).status()).isEqualTo(200);
    ApiClient.Response decided = approver.webapp(HttpMethod.POST,
        "/camunda/api/engine/engine/default/task/" + lockboxTask + "/complete", customerApprove, true);
    assertThat(decided.status()).as(decided.body()).isEqualTo(204);
    drive(request);
    AccessRequestView granted = requests.get(request.id(), fixtures.as(dual));
    assertThat(granted.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    assertThat(granted.lockbox().decidedBy()).isEqualTo(tenant.approver());
  }

  private AccessRequestStatus status(AccessRequestView request) {
    return requests.get(request.id(), fixtures.as("lead")).status();
  }

  private void drive(AccessRequestView request) {
    drive(request.id());
  }

  private String task(AccessRequestView request, String key) {
    return taskService.createTaskQuery().processInstanceId(request.processInstanceId()).taskDefinitionKey(key)
        .singleResult().getId();
  }
}
