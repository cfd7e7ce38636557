package io.customerlockbox.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.customerlockbox.ApiClient;
import io.customerlockbox.ApiClient.Response;
import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.notify.WebhookService;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.policy.LockboxPolicy;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.policy.PolicyUpdate;
import io.customerlockbox.process.ProcessModel;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.request.Decision;
import io.customerlockbox.request.LockboxRequestService;
import io.customerlockbox.request.LockboxStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The role matrix of docs/security.md, over real HTTP: every {@code /api/**} endpoint and the engine REST
 * endpoints a user could reach, for every role, without credentials, and across two customer
 * tenants (A and B; all requests live in A unless said otherwise). Each call asserts its status;
 * each refused call also asserts that nothing changed (domain tables, engine tasks and jobs, audit).
 */
@Tag(ApplicationTest.BOTH_DATABASES)
class SecurityMatrixTest extends ApplicationTest {

  /** Everyone who may call; A and B are the two customer tenants. REQUESTER made every request. */
  enum Role {
    ANONYMOUS, NOBODY, REQUESTER, ENGINEER, LEAD, ONCALL, OPERATOR, ADMIN, DATA_PLANE,
    A_APPROVER, A_ADMIN, A_AUDITOR, B_APPROVER, B_ADMIN
  }

  static final List<Role> PROVIDER_STAFF = List.of(Role.REQUESTER, Role.ENGINEER, Role.LEAD, Role.ONCALL,
      Role.OPERATOR, Role.ADMIN);
  static final List<Role> TENANT_A = List.of(Role.A_APPROVER, Role.A_ADMIN, Role.A_AUDITOR);

  record World(TestTenant a, TestTenant b, String aAuditor) {}

  private static World world;

  @Autowired AccessRequestService requests;
  @Autowired PolicyService policies;
  @Autowired WebhookService webhooks;
  @Autowired LockboxRequestService lockboxRequests;
  @Autowired RepositoryService repositoryService;


  @BeforeEach
  void world() {
    if (world == null) {
      TestTenant a = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
      TestTenant b = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
      String auditor = a.id() + "-auditor";
      fixtures.user(auditor, a.id(), Groups.AUDITORS);
      fixtures.user("matrix-nobody", null);
      fixtures.user("matrix-engineer", null, Groups.SUPPORT_ENGINEERS);
      world = new World(a, b, auditor);
    }
  }

  // --- the API

  @Test
  void createAccessRequest() {
    Map<Role, Integer> expected = expect(403, Map.of(Role.REQUESTER, 201, Role.ENGINEER, 201, Role.ONCALL, 201));
    matrix("POST /api/access-requests", expected, role -> call("POST", "/api/access-requests", role,
        requestBody(world.a().prod(), false)));
  }

  @Test
  void createBreakGlassRequest() {
    matrix("POST /api/access-requests (break-glass)", expect(403, Map.of(Role.ONCALL, 201)),
        role -> call("POST", "/api/access-requests", role, requestBody(world.a().prod(), true)));
  }

  @Test
  void readOneAccessRequest() {
    AccessRequestView request = pendingLockbox(world.a());
    Map<Role, Integer> expected = expect(404, Map.of(Role.REQUESTER, 200, Role.LEAD, 200, Role.OPERATOR, 200,
        Role.ADMIN, 200, Role.A_APPROVER, 200, Role.A_ADMIN, 200, Role.A_AUDITOR, 200));
    matrix("GET /api/access-requests/{id}", expected,
        role -> call("GET", "/api/access-requests/" + request.id(), role, null));
    matrix("GET /api/access-requests/{id}/timeline", expected,
        role -> call("GET", "/api/access-requests/" + request.id() + "/timeline", role, null));
  }

  @Test
  void listAccessRequestsShowsEachRoleOnlyWhatIsTheirs() {
    AccessRequestView inA = pendingLockbox(world.a());
    AccessRequestView inB = pendingLockbox(world.b());
    Map<Role, Integer> expected = expect(200, Map.of(Role.NOBODY, 403, Role.DATA_PLANE, 403));
    Map<Role, Response> answers = matrix("GET /api/access-requests", expected,
        role -> call("GET", "/api/access-requests", role, null));
    for (Role role : List.of(Role.REQUESTER, Role.LEAD, Role.OPERATOR, Role.ADMIN)) {
      assertThat(ids(answers.get(role))).as(role.name()).contains(inA.id(), inB.id());
    }
    for (Role role : List.of(Role.ENGINEER, Role.ONCALL)) {
      assertThat(ids(answers.get(role))).as(role.name()).doesNotContain(inA.id(), inB.id());
    }
    for (Role role : TENANT_A) {
      assertThat(ids(answers.get(role))).as(role.name()).contains(inA.id()).doesNotContain(inB.id());
    }
    for (Role role : List.of(Role.B_APPROVER, Role.B_ADMIN)) {
      assertThat(ids(answers.get(role))).as(role.name()).contains(inB.id()).doesNotContain(inA.id());
    }

    Map<Role, Integer> byTenant = expect(404, Map.of());
    PROVIDER_STAFF.forEach(role -> byTenant.put(role, 200));
    TENANT_A.forEach(role -> byTenant.put(role, 200));
    Map<Role, Response> tenantA = matrix("GET /api/access-requests?tenantId=A", byTenant,
        role -> call("GET", "/api/access-requests?tenantId=" + world.a().id(), role, null));
    assertThat(ids(tenantA.get(Role.ENGINEER))).doesNotContain(inA.id());
    assertThat(ids(tenantA.get(Role.A_APPROVER))).contains(inA.id());
  }

  /** The API's OpenAPI description names no data: any signed-in user may read it, nobody else. */
  @Test
  void readTheApiDescription() {
    Map<Role, Integer> expected = expect(200, Map.of());
    matrix("GET /api/", expected, role -> call("GET", "/api/", role, null));
    matrix("GET /api/openapi", expected, role -> call("GET", "/api/openapi", role, null));
  }

  @Test
  void releaseAccess() {
    Map<Role, Integer> expected = expect(404, Map.of(Role.REQUESTER, 200, Role.LEAD, 403, Role.OPERATOR, 403,
        Role.ADMIN, 403, Role.A_APPROVER, 403, Role.A_ADMIN, 403, Role.A_AUDITOR, 403));
    matrix("POST /api/access-requests/{id}/release", expected, role -> {
      AccessRequestView granted = start(world.a().sandbox(), AccessLevel.READ);
      assertThat(granted.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
      return call("POST", "/api/access-requests/" + granted.id() + "/release", role, null);
    });
  }

  @Test
  void askForMoreTime() {
    Map<Role, Integer> expected = expect(404, Map.of(Role.REQUESTER, 201, Role.LEAD, 403, Role.OPERATOR, 403,
        Role.ADMIN, 403, Role.A_APPROVER, 403, Role.A_ADMIN, 403, Role.A_AUDITOR, 403));
    matrix("POST /api/access-requests/{id}/extension", expected, role -> {
      AccessRequestView granted = start(world.a().sandbox(), AccessLevel.READ);
      assertThat(granted.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
      return call("POST", "/api/access-requests/" + granted.id() + "/extension", role,
          "{\"justification\": \"The data fix needs two more hours\"}");
    });
  }

  @Test
  void decideInternalApproval() {
    Map<Role, Integer> expected = expect(404, Map.of(Role.LEAD, 200, Role.REQUESTER, 403, Role.OPERATOR, 403,
        Role.ADMIN, 403, Role.A_APPROVER, 403, Role.A_ADMIN, 403, Role.A_AUDITOR, 403));
    matrix("POST /api/access-requests/{id}/internal-approval", expected, role -> {
      AccessRequestView pending = start(world.a().prod(), AccessLevel.WRITE);
      assertThat(pending.status()).isEqualTo(AccessRequestStatus.PENDING_INTERNAL_APPROVAL);
      return call("POST", "/api/access-requests/" + pending.id() + "/internal-approval", role,
          "{\"approved\": true, \"comment\": \"needed\"}");
    });
  }

  @Test
  void readTenantSettingsAndLockboxRequests() {
    AccessRequestView request = pendingLockbox(world.a());
    Map<Role, Integer> expected = expect(404, Map.of());
    PROVIDER_STAFF.forEach(role -> expected.put(role, 200));
    TENANT_A.forEach(role -> expected.put(role, 200));
    String a = "/api/tenants/" + world.a().id();
    matrix("GET /api/tenants/{A}/lockbox-policy", expected, role -> call("GET", a + "/lockbox-policy", role, null));
    matrix("GET /api/tenants/{A}/environments", expected, role -> call("GET", a + "/environments", role, null));
    Map<Role, Response> recent = matrix("GET /api/tenants/{A}/lockbox-requests", expected,
        role -> call("GET", a + "/lockbox-requests?days=28", role, null));
    assertThat(recent.get(Role.A_APPROVER).body()).contains(request.lockbox().id());
    matrix("GET /api/lockbox-requests/{id}", expected,
        role -> call("GET", "/api/lockbox-requests/" + request.lockbox().id(), role, null));
    matrix("GET /api/tenants/{A}/audit-retention", expected, role -> call("GET", a + "/audit-retention", role, null));
  }

  @Test
  void readTheAuditTrail() {
    pendingLockbox(world.a());
    Map<Role, Integer> expected = expect(404, Map.of());
    PROVIDER_STAFF.forEach(role -> expected.put(role, 403));
    TENANT_A.forEach(role -> expected.put(role, 403));
    expected.put(Role.ADMIN, 200);
    expected.put(Role.A_ADMIN, 200);
    expected.put(Role.A_AUDITOR, 200);
    String tenant = "tenantId=" + world.a().id();
    matrix("GET /api/audit-events", expected, role -> call("GET", "/api/audit-events?" + tenant, role, null));
    matrix("GET /api/audit-events/export", expected,
        role -> call("GET", "/api/audit-events/export?format=ndjson&" + tenant, role, null));
    matrix("GET /api/audit-events/verify", expected,
        role -> call("GET", "/api/audit-events/verify?" + tenant, role, null));
  }

  @Test
  void manageTenantSettings() {
    Map<Role, Integer> expected = expect(404, Map.of());
    PROVIDER_STAFF.forEach(role -> expected.put(role, 403));
    TENANT_A.forEach(role -> expected.put(role, 403));
    expected.put(Role.A_ADMIN, 200);
    String a = "/api/tenants/" + world.a().id();
    // Each call asks for something other than what is stored, so a refusal that wrote would show.
    matrix("PUT /api/tenants/{A}/lockbox-policy", expected, role -> call("PUT", a + "/lockbox-policy", role,
        "{\"enabled\": true, \"scope\": \"" + otherScope() + "\", \"environmentIds\": []}"));
    expected.put(Role.A_ADMIN, 201);
    matrix("POST /api/tenants/{A}/environments", expected, role -> call("POST", a + "/environments", role,
        "{\"id\": \"" + world.a().id() + "-" + role.name().toLowerCase().replace('_', '-') + "\", "
            + "\"name\": \"Added\", \"managed\": true}"));
    expected.put(Role.A_ADMIN, 200);
    matrix("PUT /api/tenants/{A}/audit-retention", expected, role -> call("PUT", a + "/audit-retention", role,
        "{\"days\": " + (policies.auditRetention(world.a().id()).days() + 1 + role.ordinal()) + "}"));
    matrix("GET /api/tenants/{A}/webhooks", expected, role -> call("GET", a + "/webhooks", role, null));
    expected.put(Role.A_ADMIN, 201);
    matrix("POST /api/tenants/{A}/webhooks", expected,
        role -> call("POST", a + "/webhooks", role, "{\"url\": \"https://203.0.113.10/lockbox\"}"));
    expected.put(Role.A_ADMIN, 204);
    matrix("DELETE /api/tenants/{A}/webhooks/{id}", expected, role -> {
      String webhook = webhooks.register(world.a().id(), "https://203.0.113.11/" + role.name().toLowerCase(),
          fixtures.as(world.a().admin())).id();
      return call("DELETE", a + "/webhooks/" + webhook, role, null);
    });
  }

  /**
   * Under the production default a webhook never points into the provider's own network:
   * loopback, private, link-local (the cloud metadata service), unique-local, unspecified.
   */
  @Test
  void webhooksIntoTheProvidersNetworkAreRefused() {
    String a = "/api/tenants/" + world.a().id() + "/webhooks";
    for (String url : List.of("http://127.0.0.1/hook", "http://localhost:8080/hook", "http://[::1]/hook",
        "http://10.0.0.7/hook", "http://172.16.5.4/hook", "http://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/hook", "http://[fd00::7]/hook",
        "http://0.0.0.0/hook")) {
      String before = fingerprint();
      Response refused = call("POST", a, Role.A_ADMIN, "{\"url\": \"" + url + "\"}");
      assertThat(refused.status()).as(url + " " + refused.body()).isEqualTo(400);
      assertThat(refused.json().path("field").asText()).as(url).isEqualTo("url");
      assertThat(fingerprint()).as("state after " + url).isEqualTo(before);
    }
  }

  @Test
  void decideLockboxRequests() {
    Map<Role, Integer> expected = expect(404, Map.of());
    PROVIDER_STAFF.forEach(role -> expected.put(role, 403));
    expected.put(Role.A_AUDITOR, 403);
    expected.put(Role.A_APPROVER, 200);
    expected.put(Role.A_ADMIN, 200);
    for (String decision : List.of("approve", "deny")) {
      matrix("POST /api/lockbox-requests/{id}/" + decision, expected, role -> {
        AccessRequestView pending = pendingLockbox(world.a());
        return call("POST", "/api/lockbox-requests/" + pending.lockbox().id() + "/" + decision, role,
            "{\"comment\": \"not during quarter close\"}");
      });
    }
  }

  /**
   * Ending active access for the customer: its approvers and admins, when tenant A's policy lets
   * them (switched on before each call); nobody on the provider's side, no auditor, no stranger.
   */
  @Test
  void revokeActiveAccess() {
    Map<Role, Integer> expected = expect(404, Map.of());
    PROVIDER_STAFF.forEach(role -> expected.put(role, 403));
    expected.put(Role.A_AUDITOR, 403);
    expected.put(Role.A_APPROVER, 200);
    expected.put(Role.A_ADMIN, 200);
    matrix("POST /api/lockbox-requests/{id}/revoke", expected, role -> {
      AccessRequestView granted = grantedInA();
      return call("POST", "/api/lockbox-requests/" + granted.lockbox().id() + "/revoke", role,
          "{\"comment\": \"unexpected queries on the orders table\"}");
    });
  }

  @Test
  void dataPlaneCheck() {
    AccessRequestView granted = start(world.a().sandbox(), AccessLevel.READ);
    Map<Role, Response> answers = matrix("GET /api/access-grants/check", expect(403, Map.of(Role.DATA_PLANE, 200)),
        role -> call("GET", "/api/access-grants/check?environmentId=" + granted.environmentId() + "&userId="
            + granted.requestedBy(), role, null));
    assertThat(answers.get(Role.DATA_PLANE).json().get("allowed").asBoolean()).isTrue();

    Map<Role, Response> keys = matrix("GET /api/access-grants/jwks", expect(403, Map.of(Role.DATA_PLANE, 200)),
        role -> call("GET", "/api/access-grants/jwks", role, null));
    assertThat(keys.get(Role.DATA_PLANE).json().get("keys").isArray()).isTrue();

    matrix("POST /api/access-grants/{id}/activity", expect(403, Map.of(Role.DATA_PLANE, 201)),
        role -> call("POST", "/api/access-grants/" + granted.grant().id() + "/activity", role,
            "{\"activity\": \"SELECT on orders\", \"activityId\": \"matrix-" + role.name().toLowerCase() + "\"}"));
  }

  @Test
  void wrongPasswordIsRefusedLikeNoCredentials() {
    fixtures.user("matrix-wrong-password", null, Groups.SUPPORT_LEADS);
    for (String path : List.of("/api/access-requests", "/engine-rest/task")) {
      Response answer = send("GET", path, "matrix-wrong-password", "not-the-password", null);
      assertThat(answer.status()).as(path + " " + answer.body()).isEqualTo(401);
    }
  }

  // --- the customer's /lockbox page: the same decisions through its forms

  /**
   * The page's own forms decide as the API does. A refused decision is answered with the request's
   * page and the refusal on it (a redirect), never a change; a stranger gets 404; without a session
   * the page asks for a sign-in.
   */
  @Test
  void decideOnTheLockboxPage() {
    Map<Role, Integer> expected = expect(302, Map.of(Role.ANONYMOUS, 302, Role.NOBODY, 404, Role.DATA_PLANE, 404,
        Role.B_APPROVER, 404, Role.B_ADMIN, 404));
    for (String decision : List.of("approve", "deny")) {
      matrix("POST /lockbox/requests/{id}/" + decision, expected,
          role -> role == Role.A_APPROVER || role == Role.A_ADMIN, role -> {
            AccessRequestView pending = pendingLockbox(world.a());
            Response answer = pagePost("/lockbox/requests/" + pending.lockbox().id() + "/" + decision, role,
                Map.of("comment", "not during quarter close"));
            LockboxStatus after = requests.get(pending.id(), fixtures.as("lead")).lockbox().status();
            assertThat(after).as(role + " " + decision).isEqualTo(role == Role.A_APPROVER || role == Role.A_ADMIN
                ? (decision.equals("approve") ? LockboxStatus.APPROVED : LockboxStatus.DENIED)
                : LockboxStatus.ACTION_NEEDED);
            return answer;
          });
    }
  }

  @Test
  void revokeOnTheLockboxPage() {
    Map<Role, Integer> expected = expect(302, Map.of(Role.ANONYMOUS, 302, Role.NOBODY, 404, Role.DATA_PLANE, 404,
        Role.B_APPROVER, 404, Role.B_ADMIN, 404));
    matrix("POST /lockbox/requests/{id}/revoke", expected, role -> role == Role.A_APPROVER || role == Role.A_ADMIN,
        role -> {
          AccessRequestView granted = grantedInA();
          Response answer = pagePost("/lockbox/requests/" + granted.lockbox().id() + "/revoke", role,
              Map.of("comment", "unexpected queries on the orders table"));
          AccessRequestStatus after = requests.get(granted.id(), fixtures.as("lead")).status();
          assertThat(after).as(role + " revoke").isEqualTo(role == Role.A_APPROVER || role == Role.A_ADMIN
              ? AccessRequestStatus.ACCESS_ENDED : AccessRequestStatus.ACCESS_GRANTED);
          return answer;
        });
  }

  @Test
  void changeThePolicyOnTheLockboxPage() {
    Map<Role, Integer> expected = expect(404, Map.of(Role.ANONYMOUS, 302, Role.A_ADMIN, 302));
    PROVIDER_STAFF.forEach(role -> expected.put(role, 403));
    TENANT_A.stream().filter(role -> role != Role.A_ADMIN).forEach(role -> expected.put(role, 403));
    matrix("POST /lockbox/policy", expected, role -> pagePost("/lockbox/policy", role,
        Map.of("tenant", world.a().id(), "enabled", "true", "scope", otherScope())));
  }

  /** A requester who is also an approver of the customer cannot decide their own request on the page either. */
  @Test
  void theRequesterCannotDecideTheirOwnRequestOnThePage() {
    String dual = world.a().id() + "-dual";
    fixtures.user(dual, world.a().id(), Groups.SUPPORT_ENGINEERS, Groups.LOCKBOX_APPROVERS, Groups.TENANT_ADMINS);
    AccessRequestView own = requests.create(Fixtures.request(world.a().id(), world.a().prod(), AccessLevel.READ),
        fixtures.as(dual));
    jobs.executeDueJobs(own.processInstanceId());
    String lockboxId = requests.get(own.id(), fixtures.as(dual)).lockbox().id();
    ApiClient page = api.session();
    page.signInToLockboxPage(dual, Fixtures.PASSWORD);
    for (String decision : List.of("approve", "deny")) {
      String before = fingerprint();
      Response refused = page.pagePost("/lockbox/requests/" + lockboxId + "/" + decision,
          Map.of("comment", "my own request is fine"));
      assertThat(refused.status()).as(decision + " " + refused.body()).isEqualTo(403);
      assertThat(refused.json().path("detail").asText()).as(decision).contains(dual);
      assertThat(fingerprint()).as("state after the requester's " + decision).isEqualTo(before);
    }
    assertThat(requests.get(own.id(), fixtures.as(dual)).lockbox().status()).isEqualTo(LockboxStatus.ACTION_NEEDED);
  }

  // --- the engine REST API

  @Test
  void engineTaskListShowsEachApproverOnlyTheirTenantsCustomerTasks() {
    AccessRequestView lockboxA = pendingLockbox(world.a());
    AccessRequestView lockboxB = pendingLockbox(world.b());
    AccessRequestView internal = start(world.a().prod(), AccessLevel.WRITE);
    String taskA = task(lockboxA, ProcessModel.CUSTOMER_APPROVAL_TASK);
    String taskB = task(lockboxB, ProcessModel.CUSTOMER_APPROVAL_TASK);
    String internalTask = task(internal, ProcessModel.INTERNAL_APPROVAL_TASK);

    Map<Role, Response> answers = matrix("GET /engine-rest/task", expect(200, Map.of()),
        role -> call("GET", "/engine-rest/task?maxResults=1000", role, null));
    Map<Role, List<String>> visible = new EnumMap<>(Role.class);
    answers.forEach((role, answer) -> {
      if (answer.status() == 200) {
        visible.put(role, answer.json().findValuesAsText("id"));
      }
    });
    assertThat(visible.get(Role.A_APPROVER)).contains(taskA).doesNotContain(taskB, internalTask);
    assertThat(visible.get(Role.A_ADMIN)).contains(taskA).doesNotContain(taskB, internalTask);
    assertThat(visible.get(Role.B_APPROVER)).contains(taskB).doesNotContain(taskA, internalTask);
    assertThat(visible.get(Role.LEAD)).contains(internalTask).doesNotContain(taskA, taskB);
    for (Role role : List.of(Role.NOBODY, Role.REQUESTER, Role.ENGINEER, Role.ONCALL, Role.OPERATOR,
        Role.DATA_PLANE, Role.A_AUDITOR)) {
      assertThat(visible.get(role)).as(role.name()).doesNotContain(taskA, taskB, internalTask);
    }
    // Every task a customer approver sees is one of their own tenant's lockbox requests or extensions.
    for (JsonNode task : answers.get(Role.A_APPROVER).json()) {
      assertThat(task.get("tenantId").asText()).isEqualTo(world.a().id());
      assertThat(task.get("taskDefinitionKey").asText())
          .isIn(ProcessModel.CUSTOMER_APPROVAL_TASK, ProcessModel.EXTENSION_REVIEW_TASK);
    }
  }

  @Test
  void engineCompleteCustomerTask() {
    Map<Role, Integer> expected = expect(403, Map.of(Role.A_APPROVER, 204, Role.A_ADMIN, 204));
    matrix("POST /engine-rest/task/{customer task}/complete", expected, role -> {
      String task = task(pendingLockbox(world.a()), ProcessModel.CUSTOMER_APPROVAL_TASK);
      return call("POST", "/engine-rest/task/" + task + "/complete", role,
          "{\"variables\": {\"" + ProcessModel.LOCKBOX_DECISION + "\": {\"value\": \"APPROVE\"}}}");
    });
  }

  @Test
  void engineCompleteInternalTask() {
    matrix("POST /engine-rest/task/{internal task}/complete", expect(403, Map.of(Role.LEAD, 204)), role -> {
      String task = task(start(world.a().prod(), AccessLevel.WRITE), ProcessModel.INTERNAL_APPROVAL_TASK);
      return call("POST", "/engine-rest/task/" + task + "/complete", role,
          "{\"variables\": {\"" + ProcessModel.INTERNAL_DECISION + "\": {\"value\": \"APPROVE\"}}}");
    });
  }

  @Test
  void engineProcessInstanceAndHistory() {
    AccessRequestView request = pendingLockbox(world.a());
    String pid = request.processInstanceId();
    matrix("GET /engine-rest/process-instance/{id}", expect(404, Map.of(Role.OPERATOR, 200, Role.ADMIN, 200)),
        role -> call("GET", "/engine-rest/process-instance/" + pid, role, null));
    // The customer's task keeps the customer's tenant in history too: only administrators (no
    // tenant check) see it there; nobody on the customer side reads the provider's history.
    assertThat(historyService.createHistoricTaskInstanceQuery().processInstanceId(pid).singleResult().getTenantId())
        .isEqualTo(world.a().id());
    String historicTasks = "/engine-rest/history/task?processInstanceId=" + pid;
    Map<Role, Response> tasks = matrix("GET " + historicTasks, expect(200, Map.of()),
        role -> call("GET", historicTasks, role, null));
    tasks.forEach((role, answer) -> assertThat(role == Role.ANONYMOUS ? 0 : answer.json().size()).as(role.name())
        .isEqualTo(role == Role.ADMIN ? 1 : 0));
    for (String path : List.of("/engine-rest/history/process-instance?processInstanceId=" + pid,
        "/engine-rest/history/variable-instance?processInstanceId=" + pid)) {
      Map<Role, Response> answers = matrix("GET " + path, expect(200, Map.of()), role -> call("GET", path, role, null));
      answers.forEach((role, answer) -> {
        if (role == Role.OPERATOR || role == Role.ADMIN) {
          assertThat(answer.json().size()).as(role + " " + path).isPositive();
        } else if (role != Role.ANONYMOUS) {
          assertThat(answer.json().size()).as(role + " " + path).isZero();
        }
      });
    }
  }

  @Test
  void engineExecuteJob() {
    matrix("POST /engine-rest/job/{approval timer}/execute", expect(403, Map.of(Role.ADMIN, 204)),
        role -> {
          AccessRequestView pending = pendingLockbox(world.a());
          Job timer = managementService.createJobQuery().processInstanceId(pending.processInstanceId())
              .activityId("BoundaryEvent_ApprovalOverdue").singleResult();
          return call("POST", "/engine-rest/job/" + timer.getId() + "/execute", role, null);
        });
  }

  /** Operators keep instances running: they retry failed steps and suspend and resume, nothing more. */
  @Test
  void engineRetryAndSuspend() {
    Map<Role, Integer> operate = expect(403, Map.of(Role.OPERATOR, 204, Role.ADMIN, 204));
    matrix("PUT /engine-rest/process-instance/{id}/suspended", operate, role -> call("PUT",
        "/engine-rest/process-instance/" + pendingLockbox(world.a()).processInstanceId() + "/suspended", role,
        "{\"suspended\": true}"));
    matrix("PUT /engine-rest/job/{approval timer}/retries", operate, role -> {
      AccessRequestView pending = pendingLockbox(world.a());
      Job timer = managementService.createJobQuery().processInstanceId(pending.processInstanceId())
          .activityId(ProcessModel.APPROVAL_OVERDUE_TIMER).singleResult();
      return call("PUT", "/engine-rest/job/" + timer.getId() + "/retries", role, "{\"retries\": 5}");
    });
  }

  /**
   * Moving an instance, writing its variables, deleting it, starting one past its start event and
   * deploying are Camunda administrators' alone (whose moves still grant nothing without a basis:
   * EngineDoorsTest).
   */
  @Test
  void engineMoveChangeDeleteStartAnywhereAndDeploy() {
    Map<Role, Integer> adminOnly = expect(403, Map.of(Role.ADMIN, 204));
    matrix("POST /engine-rest/process-instance/{id}/modification", adminOnly, role -> call("POST",
        "/engine-rest/process-instance/" + pendingLockbox(world.a()).processInstanceId() + "/modification", role,
        "{\"instructions\": [{\"type\": \"startBeforeActivity\", \"activityId\": \"Task_RemindApprovers\"}]}"));
    matrix("PUT /engine-rest/process-instance/{id}/variables/{name}", adminOnly, role -> call("PUT",
        "/engine-rest/process-instance/" + pendingLockbox(world.a()).processInstanceId() + "/variables/note", role,
        "{\"value\": \"looked at it\", \"type\": \"String\"}"));
    matrix("DELETE /engine-rest/process-instance/{id}", adminOnly, role -> call("DELETE",
        "/engine-rest/process-instance/" + pendingLockbox(world.a()).processInstanceId(), role, null));
    // Who may not even read the process finds no such process.
    Map<Role, Integer> started = expect(403, Map.of(Role.ADMIN, 200, Role.NOBODY, 404, Role.DATA_PLANE, 404,
        Role.A_AUDITOR, 404));
    matrix("POST /engine-rest/process-definition/key/{key}/start with startInstructions", started, role -> call(
        "POST", "/engine-rest/process-definition/key/" + ProcessModel.PROCESS_KEY + "/start", role,
        "{\"businessKey\": \"" + pendingLockbox(world.a()).id() + "\", \"startInstructions\": [{\"type\": "
            + "\"startBeforeActivity\", \"activityId\": \"Task_CheckScope\"}]}"));
    try {
      matrix("POST /engine-rest/deployment/create", expect(403, Map.of(Role.ADMIN, 200)), role -> {
        beforeTheCall();
        String boundary = "matrix" + role.ordinal();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"deployment-name\"\r\n\r\n"
            + "matrix-probe\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"probe.bpmn\"; "
            + "filename=\"probe.bpmn\"\r\nContent-Type: application/xml\r\n\r\n" + PROBE_MODEL + "\r\n--"
            + boundary + "--\r\n";
        ApiClient caller = role == Role.ANONYMOUS ? api.anonymous() : api.as(user(role), password(role));
        return caller.send(HttpMethod.POST, "/engine-rest/deployment/create",
            MediaType.parseMediaType("multipart/form-data; boundary=" + boundary), body,
            Map.of("Accept", "application/json"));
      });
    } finally {
      repositoryService.createDeploymentQuery().deploymentName("matrix-probe").list()
          .forEach(deployment -> repositoryService.deleteDeployment(deployment.getId(), true));
    }
  }

  private static final String PROBE_MODEL = """
      <?xml version="1.0" encoding="UTF-8"?>
      <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
          xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_Probe"
          targetNamespace="http://bpmn.io/schema/bpmn">
        <bpmn:process id="MatrixProbe" isExecutable="true" camunda:historyTimeToLive="1">
          <bpmn:startEvent id="StartEvent_Probe" />
        </bpmn:process>
      </bpmn:definitions>
      """.strip();

  // --- the machinery

  /** Runs {@code call} for every role, asserting status and, for refusals, that nothing changed. */
  private Map<Role, Response> matrix(String endpoint, Map<Role, Integer> expected, Function<Role, Response> call) {
    return matrix(endpoint, expected, role -> expected.get(role) < 400, call);
  }

  /**
   * As {@link #matrix(String, Map, Function)}, where {@code mayChange} says whose call may change
   * state: the /lockbox page answers a refused decision with a redirect, not a 4xx.
   */
  private Map<Role, Response> matrix(String endpoint, Map<Role, Integer> expected, Predicate<Role> mayChange,
      Function<Role, Response> call) {
    Map<Role, Response> answers = new EnumMap<>(Role.class);
    List<String> failures = new ArrayList<>();
    for (Role role : Role.values()) {
      int want = expected.get(role);
      Response answer;
      if (!mayChange.test(role)) {
        // Set-up happens inside the call function; take the snapshot right before the HTTP call.
        Response[] holder = new Response[1];
        String[] snapshot = new String[2];
        answer = callAround(role, call, holder, snapshot);
        if (!snapshot[0].equals(snapshot[1])) {
          failures.add(endpoint + " as " + role + ": refused (" + answer.status() + ") but changed state");
        }
      } else {
        answer = call.apply(role);
      }
      answers.put(role, answer);
      if (answer.status() != want) {
        failures.add(endpoint + " as " + role + ": expected " + want + ", got " + answer.status() + " " + answer.body());
      }
      if (answer.status() >= 500 || answer.body().contains("Exception") && answer.body().contains("at ")) {
        failures.add(endpoint + " as " + role + ": unsafe error body " + answer.body());
      }
    }
    assertThat(failures).as(endpoint).isEmpty();
    return answers;
  }

  private final ThreadLocal<String[]> snapshots = new ThreadLocal<>();

  private Response callAround(Role role, Function<Role, Response> call, Response[] holder, String[] snapshot) {
    snapshots.set(snapshot);
    try {
      holder[0] = call.apply(role);
    } finally {
      snapshots.remove();
    }
    snapshot[1] = fingerprint();
    return holder[0];
  }

  private Response call(String method, String path, Role role, String body) {
    beforeTheCall();
    if (role == Role.ANONYMOUS) {
      return send(method, path, null, null, body);
    }
    return send(method, path, user(role), password(role), body);
  }

  /** Set-up happens inside a call function: the snapshot is taken right before the HTTP call. */
  private void beforeTheCall() {
    String[] snapshot = snapshots.get();
    if (snapshot != null) {
      snapshot[0] = fingerprint();
    }
  }

  /** A form of the /lockbox page, posted by {@code role} signed in with the page's own form. */
  private Response pagePost(String path, Role role, Map<String, String> form) {
    ApiClient browser = api.session();
    if (role != Role.ANONYMOUS) {
      assertThat(browser.signInToLockboxPage(user(role), password(role)).headers().getFirst("Location"))
          .as(role + " signs in").endsWith("/lockbox");
    }
    beforeTheCall();
    return browser.pagePost(path, form);
  }

  /**
   * A scope other than tenant A's current one, both protecting its production: a refused change
   * would show, an allowed one leaves A's requests waiting for the customer as the other tests
   * expect.
   */
  private String otherScope() {
    return policies.policy(world.a().id()).scope() == PolicyScope.ALL ? "ALL_MANAGED" : "ALL";
  }

  private static String password(Role role) {
    String user = user(role);
    boolean demo = !user.startsWith(world.a().id()) && !user.startsWith(world.b().id()) && !user.startsWith("matrix-");
    return demo ? "demo" : Fixtures.PASSWORD;
  }

  private Response send(String method, String path, String user, String password, String body) {
    ApiClient caller = user == null ? api.anonymous() : api.as(user, password);
    return caller.send(HttpMethod.valueOf(method), path, MediaType.APPLICATION_JSON, body,
        Map.of("Accept", "application/json"));
  }

  private static String user(Role role) {
    return switch (role) {
      case ANONYMOUS -> null;
      case NOBODY -> "matrix-nobody";
      case REQUESTER -> "engineer";
      case ENGINEER -> "matrix-engineer";
      case LEAD -> "lead";
      case ONCALL -> "oncall";
      case OPERATOR -> "operator";
      case ADMIN -> "admin";
      case DATA_PLANE -> "dataplane";
      case A_APPROVER -> world.a().approver();
      case A_ADMIN -> world.a().admin();
      case A_AUDITOR -> world.aAuditor();
      case B_APPROVER -> world.b().approver();
      case B_ADMIN -> world.b().admin();
    };
  }

  /**
   * Everything a refused call must leave alone: every row of every domain table (found in the
   * schema, so a new table is covered the day it is added; the append-only audit trail by its count
   * and newest event), and the engine's instances, tasks, claims, jobs and variables.
   */
  private String fingerprint() {
    StringBuilder state = new StringBuilder();
    for (String table : domainTables()) {
      if (table.equals("audit_chain")) {
        continue; // its head moves with every event, and the events are counted below
      }
      // A refusal leaves one kind of event only: the record of who tried, written beside the rollback.
      String rows = table.equals("audit_event") ? "select count(*), max(seq) from audit_event where event_type "
          + "not in ('MANUAL_ACTION_REFUSED', 'STEP_REFUSED', 'GRANT_REFUSED')"
          : "select * from " + table + " order by 1";
      state.append(table).append(db.sql(rows).query().listOfRows()).append('\n');
    }
    state.append(db.sql("select id_, rev_, assignee_ from act_ru_task order by id_").query().listOfRows());
    state.append(db.sql("select id_, type_, user_id_, group_id_ from act_ru_identitylink order by id_").query().listOfRows());
    state.append(db.sql("select id_, rev_, retries_, duedate_ from act_ru_job order by id_").query().listOfRows());
    state.append(db.sql("select id_, rev_ from act_ru_execution order by id_").query().listOfRows());
    state.append(db.sql("select id_, rev_ from act_ru_variable order by id_").query().listOfRows());
    return state.toString();
  }

  private static List<String> tables;

  /** The product's own tables (Flyway's), not the engine's. */
  private List<String> domainTables() {
    if (tables == null) {
      tables = db.sql("select lower(table_name) from information_schema.tables where table_schema = current_schema "
          + "and table_type = 'BASE TABLE' and lower(table_name) not like 'act\\_%' escape '\\' "
          + "and lower(table_name) <> 'lockbox_schema_history' order by 1").query(String.class).list();
      assertThat(tables).contains("tenant", "webhook", "access_request", "audit_event");
    }
    return tables;
  }

  /** {@code otherwise} for every role but those in {@code exceptions}; 401 without credentials unless named. */
  private static Map<Role, Integer> expect(int otherwise, Map<Role, Integer> exceptions) {
    Map<Role, Integer> expected = new EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      expected.put(role, exceptions.getOrDefault(role, role == Role.ANONYMOUS ? 401 : otherwise));
    }
    return expected;
  }

  private static List<String> ids(Response call) {
    List<String> ids = new ArrayList<>();
    call.json().forEach(node -> ids.add(node.get("id").asText()));
    return ids;
  }

  private String requestBody(String environmentId, boolean breakGlass) {
    return "{\"tenantId\": \"" + world.a().id() + "\", \"environmentId\": \"" + environmentId + "\", "
        + "\"justification\": \"Investigate the failing nightly export job\", \"accessLevel\": \"READ\", "
        + "\"isolatedIdentity\": true, \"mfaVerified\": true"
        + (breakGlass ? ", \"breakGlass\": true, \"incidentId\": \"INC-" + UUID.randomUUID() + "\"" : "") + "}";
  }

  private AccessRequestView pendingLockbox(TestTenant tenant) {
    AccessRequestView view = start(tenant.prod(), AccessLevel.READ);
    assertThat(view.status()).isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);
    return view;
  }

  /**
   * A request in tenant A its approver approved, access granted, with A's policy letting its
   * approvers revoke (another test's policy change may have switched that off again).
   */
  private AccessRequestView grantedInA() {
    LockboxPolicy policy = policies.policy(world.a().id());
    policies.updatePolicy(world.a().id(), new PolicyUpdate(policy.enabled(), policy.scope(), policy.environmentIds(),
        true, null), "matrix");
    AccessRequestView pending = pendingLockbox(world.a());
    lockboxRequests.decide(pending.lockbox().id(), Decision.APPROVE, null, fixtures.as(world.a().approver()));
    jobs.executeDueJobs(pending.processInstanceId());
    AccessRequestView granted = requests.get(pending.id(), fixtures.as("engineer"));
    assertThat(granted.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    return granted;
  }

  /** A request by the requester, driven to its first wait state (timers stay in the future). */
  private AccessRequestView start(String environmentId, AccessLevel level) {
    String tenantId = environmentId.substring(0, environmentId.lastIndexOf('-'));
    AccessRequestView created = requests.create(Fixtures.request(tenantId, environmentId, level), fixtures.as("engineer"));
    jobs.executeDueJobs(created.processInstanceId());
    return requests.get(created.id(), fixtures.as("engineer"));
  }

  private String task(AccessRequestView request, String taskKey) {
    return taskService.createTaskQuery().processInstanceId(request.processInstanceId())
        .taskDefinitionKey(taskKey).singleResult().getId();
  }
}
