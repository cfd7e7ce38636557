package io.customerlockbox.request;

import static io.customerlockbox.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.customerlockbox.ApplicationTest;
import io.customerlockbox.ApiClient;
import io.customerlockbox.ApiClient.Response;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.process.ProcessModel;
import io.customerlockbox.security.Groups;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.camunda.bpm.engine.RepositoryService;
import io.customerlockbox.ApprovalRulesCopy;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * The access-request and lockbox-request API over real HTTP: who may do what, what each call
 * answers, and what it leaves in the database. Every test works in a fresh customer tenant.
 */
@Tag(ApplicationTest.BOTH_DATABASES)
class AccessRequestApiTest extends ApplicationTest {

  private static final String DEMO = "demo";


  @Autowired RepositoryService repositoryService;
  TestTenant tenant;

  @BeforeEach
  void setUp() {
    tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
  }

  // --- authentication

  @Test
  void refusesCallsWithoutValidCredentials() {
    // Its own user: the engine delays logins after a wrong password, which must not lock out the demo users.
    String user = tenant.id() + "-wrongpw";
    fixtures.user(user, null, Groups.SUPPORT_ENGINEERS);
    long before = count("access_request");
    for (String path : List.of("/api/access-requests", "/engine-rest/task")) {
      Response anonymous = api.anonymous().get(path);
      assertThat(anonymous.status()).as(path + " " + anonymous).isEqualTo(401);
      assertThat(anonymous.headers().getFirst("WWW-Authenticate")).as(path).startsWith("Basic");
      assertThat(anonymous.body()).as(path).doesNotContain(tenant.id());
      Response wrongPassword = api.as(user, "wrong-password").get(path);
      assertThat(wrongPassword.status()).as(path + " " + wrongPassword).isEqualTo(401);
      Response unknownUser = api.as("nobody-at-all", DEMO).get(path);
      assertThat(unknownUser.status()).as(path + " " + unknownUser).isEqualTo(401);
    }
    assertThat(api.anonymous().post("/api/access-requests", body(tenant.prod(), "READ")).status()).isEqualTo(401);
    assertThat(api.as(user, "wrong-password").post("/api/access-requests", body(tenant.prod(), "READ")).status())
        .isEqualTo(401);
    assertThat(count("access_request")).isEqualTo(before);
  }

  // --- create and the customer's gate

  @Test
  void engineerAsksForAccessToAProtectedEnvironment() {
    Map<String, Object> body = body(tenant.prod(), "READ");
    Response created = api.as("engineer", DEMO).post("/api/access-requests", body);

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode request = created.json();
    String id = request.path("id").asText();
    assertThat(created.headers().getLocation()).isNotNull();
    assertThat(created.headers().getLocation().toString()).endsWith("/api/access-requests/" + id);
    assertThat(request.path("status").asText()).isEqualTo("SUBMITTED");
    assertThat(request.path("requestedBy").asText()).isEqualTo("engineer");
    assertThat(request.path("tenantId").asText()).isEqualTo(tenant.id());
    assertThat(request.path("environmentId").asText()).isEqualTo(tenant.prod());
    assertThat(request.path("supportTicketId").asText()).isEqualTo(body.get("supportTicketId"));
    assertThat(request.path("justification").asText()).isEqualTo(body.get("justification"));
    assertThat(request.path("accessLevel").asText()).isEqualTo("READ");
    assertThat(request.path("breakGlass").asBoolean()).isFalse();
    assertThat(request.path("lockbox").isNull()).isTrue();
    assertThat(request.path("grant").isNull()).isTrue();
    String processInstanceId = request.path("processInstanceId").asText();
    assertThat(runtimeService.createProcessInstanceQuery().processInstanceId(processInstanceId)
        .processInstanceBusinessKey(id).count()).isEqualTo(1);
    assertThat(jdbc.queryForMap("select status, requested_by, tenant_id, environment_id, process_instance_id "
        + "from access_request where id = ?", id))
        .containsEntry("STATUS", "SUBMITTED").containsEntry("REQUESTED_BY", "engineer")
        .containsEntry("TENANT_ID", tenant.id()).containsEntry("ENVIRONMENT_ID", tenant.prod())
        .containsEntry("PROCESS_INSTANCE_ID", processInstanceId);

    // The Location answers the same request.
    Response fetched = api.as("engineer", DEMO).get(created.headers().getLocation().getPath());
    assertThat(fetched.status()).isEqualTo(200);
    assertThat(fetched.json().path("id").asText()).isEqualTo(id);

    JsonNode waiting = drive(request);
    assertThat(waiting.path("status").asText()).isEqualTo("PENDING_CUSTOMER_APPROVAL");
    assertThat(waiting.path("internalApproval").path("jitOutcome").asText()).isEqualTo("AUTO_APPROVE");
    JsonNode lockbox = waiting.path("lockbox");
    assertThat(lockbox.path("status").asText()).isEqualTo("ACTION_NEEDED");
    assertThat(lockbox.path("accessPeriod").asText()).isEqualTo("PT8H");
    assertThat(lockbox.path("decidedBy").isNull()).isTrue();
    Instant lockboxRequestedAt = Instant.parse(lockbox.path("requestedAt").asText());
    assertThat(Instant.parse(lockbox.path("expiresAt").asText())).isEqualTo(lockboxRequestedAt.plus(Duration.ofDays(4)));
    assertThat(waiting.path("grant").isNull()).isTrue();

    assertThat(jdbc.queryForObject("select status from access_request where id = ?", String.class, id))
        .isEqualTo("PENDING_CUSTOMER_APPROVAL");
    assertThat(jdbc.queryForObject("select status from lockbox_request where access_request_id = ?", String.class, id))
        .isEqualTo("ACTION_NEEDED");
    Task task = approvalTask(processInstanceId);
    assertThat(task).isNotNull();
    assertThat(task.getTenantId()).isEqualTo(tenant.id());
    assertThat(auditTypes(id)).contains("REQUEST_CREATED", "JIT_EVALUATED", "LOCKBOX_REQUEST_CREATED",
        "APPROVERS_NOTIFIED").doesNotContain("LOCKBOX_NOT_REQUIRED", "ACCESS_GRANTED");
  }

  @Test
  void theRequesterCannotApproveTheirOwnRequest() {
    String both = tenant.id() + "-dual";
    fixtures.user(both, tenant.id(), Groups.SUPPORT_ENGINEERS, Groups.LOCKBOX_APPROVERS);
    JsonNode request = drive(create(both, Fixtures.PASSWORD, tenant.prod(), "READ"));
    String lockboxId = request.path("lockbox").path("id").asText();

    Response approve = api.as(both, Fixtures.PASSWORD).post("/api/lockbox-requests/" + lockboxId + "/approve",
        Map.of("comment", "looks fine to me"));
    assertProblem(approve, 403, null);
    Response deny = api.as(both, Fixtures.PASSWORD).post("/api/lockbox-requests/" + lockboxId + "/deny",
        Map.of("comment", "changed my mind"));
    assertProblem(deny, 403, null);

    JsonNode after = drive(request);
    assertThat(after.path("status").asText()).isEqualTo("PENDING_CUSTOMER_APPROVAL");
    assertThat(after.path("lockbox").path("status").asText()).isEqualTo("ACTION_NEEDED");
    assertThat(after.path("lockbox").path("decidedBy").isNull()).isTrue();
    assertThat(after.path("grant").isNull()).isTrue();
    assertThat(jdbc.queryForMap("select status, decided_by from lockbox_request where id = ?", lockboxId))
        .containsEntry("STATUS", "ACTION_NEEDED").containsEntry("DECIDED_BY", null);
    assertThat(count("access_grant where access_request_id = ?", request.path("id").asText())).isZero();
    assertThat(approvalTask(request.path("processInstanceId").asText())).isNotNull();
    assertThat(auditTypes(request.path("id").asText())).doesNotContain("LOCKBOX_APPROVED", "LOCKBOX_DENIED");
    assertThat(check(tenant.prod(), both).path("allowed").asBoolean()).isFalse();
  }

  @Test
  void approvalGrantsAccessForEightHours() {
    JsonNode request = drive(create("engineer", DEMO, tenant.prod(), "READ"));
    String id = request.path("id").asText();
    String lockboxId = request.path("lockbox").path("id").asText();

    Response approved = api.as(tenant.approver(), Fixtures.PASSWORD)
        .post("/api/lockbox-requests/" + lockboxId + "/approve", Map.of("comment", "ticket checked"));
    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    assertThat(approved.json().path("id").asText()).isEqualTo(lockboxId);
    assertThat(approved.json().path("accessRequestId").asText()).isEqualTo(id);
    assertThat(approved.json().path("status").asText()).isEqualTo("APPROVED");
    assertThat(approved.json().path("decidedBy").asText()).isEqualTo(tenant.approver());
    assertThat(approved.json().path("comment").asText()).isEqualTo("ticket checked");

    JsonNode granted = drive(request);
    assertThat(granted.path("status").asText()).isEqualTo("ACCESS_GRANTED");
    assertThat(granted.path("lockbox").path("status").asText()).isEqualTo("APPROVED");
    JsonNode grant = granted.path("grant");
    Instant grantedAt = Instant.parse(grant.path("grantedAt").asText());
    Instant expiresAt = Instant.parse(grant.path("expiresAt").asText());
    assertThat(Duration.between(grantedAt, expiresAt)).isEqualTo(Duration.ofHours(8));
    assertThat(grant.path("endedAt").isNull()).isTrue();

    JsonNode allowed = check(tenant.prod(), "engineer");
    assertThat(allowed.path("allowed").asBoolean()).isTrue();
    assertThat(Instant.parse(allowed.path("expiresAt").asText())).isEqualTo(expiresAt);
    assertThat(check(tenant.prod(), "oncall").path("allowed").asBoolean()).isFalse();
    assertThat(check(tenant.sandbox(), "engineer").path("allowed").asBoolean()).isFalse();

    assertThat(jdbc.queryForMap("select status, decided_by, comment from lockbox_request where id = ?", lockboxId))
        .containsEntry("STATUS", "APPROVED").containsEntry("DECIDED_BY", tenant.approver())
        .containsEntry("COMMENT", "ticket checked");
    assertThat(jdbc.queryForMap("select user_id, environment_id, ended_at from access_grant where access_request_id = ?",
        id)).containsEntry("USER_ID", "engineer").containsEntry("ENVIRONMENT_ID", tenant.prod())
        .containsEntry("ENDED_AT", null);
    assertThat(auditTypes(id)).contains("LOCKBOX_APPROVED", "ACCESS_GRANTED");

    // Decided is decided: neither a second approval nor a late denial changes anything.
    Response again = api.as(tenant.approver(), Fixtures.PASSWORD)
        .post("/api/lockbox-requests/" + lockboxId + "/approve", Map.of("comment", "once more"));
    assertProblem(again, 409, null);
    Response lateDenial = api.as(tenant.admin(), Fixtures.PASSWORD)
        .post("/api/lockbox-requests/" + lockboxId + "/deny", Map.of("comment", "on second thought, no"));
    assertProblem(lateDenial, 409, null);
    JsonNode after = get(id);
    assertThat(after.path("status").asText()).isEqualTo("ACCESS_GRANTED");
    assertThat(after.path("lockbox").path("decidedBy").asText()).isEqualTo(tenant.approver());
    assertThat(check(tenant.prod(), "engineer").path("allowed").asBoolean()).isTrue();
  }

  @Test
  void twoApproversEachAddAnApprovalAndTheSecondGrants() {
    try (ApprovalRulesCopy rules = ApprovalRulesCopy.deploy(repositoryService, tenant.id(), 2,
        "lockbox-approvers,tenant-admins")) {
      JsonNode request = drive(create("engineer", DEMO, tenant.prod(), "READ"));
      String id = request.path("id").asText();
      String lockboxId = request.path("lockbox").path("id").asText();
      assertThat(request.path("lockbox").path("approvalsRequired").asInt()).isEqualTo(2);
      assertThat(request.path("lockbox").path("approvals")).isEmpty();

      Response first = api.as(tenant.approver(), Fixtures.PASSWORD)
          .post("/api/lockbox-requests/" + lockboxId + "/approve", Map.of("comment", "ticket checked"));
      assertThat(first.status()).as(first.toString()).isEqualTo(200);
      assertThat(first.json().path("status").asText()).isEqualTo("ACTION_NEEDED");
      assertThat(first.json().path("approvalsRequired").asInt()).isEqualTo(2);
      assertThat(first.json().path("approvals")).hasSize(1);
      assertThat(first.json().path("approvals").get(0).path("by").asText()).isEqualTo(tenant.approver());
      assertThat(first.json().path("approvals").get(0).path("comment").asText()).isEqualTo("ticket checked");
      assertThat(first.json().path("approvals").get(0).path("at").asText()).isNotEmpty();
      drive(request);

      Response twice = api.as(tenant.approver(), Fixtures.PASSWORD)
          .post("/api/lockbox-requests/" + lockboxId + "/approve", Map.of());
      assertProblem(twice, 409, null);
      assertThat(twice.json().path("detail").asText()).contains(tenant.approver(), "approved this lockbox request already");
      Response shown = api.as(tenant.approver(), Fixtures.PASSWORD).get("/api/lockbox-requests/" + lockboxId);
      assertThat(shown.json().path("approvals")).hasSize(1);
      assertThat(get(id).path("status").asText()).isEqualTo("PENDING_CUSTOMER_APPROVAL");

      Response second = api.as(tenant.admin(), Fixtures.PASSWORD)
          .post("/api/lockbox-requests/" + lockboxId + "/approve", Map.of());
      assertThat(second.json().path("status").asText()).isEqualTo("APPROVED");
      JsonNode granted = drive(request);
      assertThat(granted.path("status").asText()).isEqualTo("ACCESS_GRANTED");
      assertThat(granted.path("lockbox").path("approvals")).extracting(approval -> approval.path("by").asText())
          .containsExactly(tenant.approver(), tenant.admin());
      assertThat(auditTypes(id)).contains("LOCKBOX_APPROVAL_COUNTED", "LOCKBOX_APPROVED", "ACCESS_GRANTED");
    }
  }

  @Test
  void denialWithAReasonEndsTheRequestWithoutAccess() {
    JsonNode request = drive(create("engineer", DEMO, tenant.prod(), "READ"));
    String id = request.path("id").asText();
    String lockboxId = request.path("lockbox").path("id").asText();

    Response denied = api.as(tenant.approver(), Fixtures.PASSWORD)
        .post("/api/lockbox-requests/" + lockboxId + "/deny", Map.of("comment", "no open ticket of ours"));
    assertThat(denied.status()).as(denied.toString()).isEqualTo(200);
    assertThat(denied.json().path("status").asText()).isEqualTo("DENIED");
    assertThat(denied.json().path("comment").asText()).isEqualTo("no open ticket of ours");

    JsonNode after = drive(request);
    assertThat(after.path("status").asText()).isEqualTo("DENIED");
    assertThat(after.path("lockbox").path("status").asText()).isEqualTo("DENIED");
    assertThat(after.path("lockbox").path("decidedBy").asText()).isEqualTo(tenant.approver());
    assertThat(after.path("grant").isNull()).isTrue();
    assertThat(check(tenant.prod(), "engineer").path("allowed").asBoolean()).isFalse();
    assertThat(count("access_grant where access_request_id = ?", id)).isZero();
    assertThat(jdbc.queryForObject("select status from access_request where id = ?", String.class, id))
        .isEqualTo("DENIED");
    assertThat(runtimeService.createProcessInstanceQuery()
        .processInstanceId(request.path("processInstanceId").asText()).count()).isZero();
    assertThat(auditTypes(id)).contains("LOCKBOX_DENIED").doesNotContain("ACCESS_GRANTED");

    assertProblem(api.as(tenant.approver(), Fixtures.PASSWORD)
        .post("/api/lockbox-requests/" + lockboxId + "/approve", Map.of()), 409, null);
  }

  @Test
  void aDenialNeedsAReason() {
    JsonNode request = drive(create("engineer", DEMO, tenant.prod(), "READ"));
    String lockboxId = request.path("lockbox").path("id").asText();
    ApiClient approver = api.as(tenant.approver(), Fixtures.PASSWORD);

    assertProblem(approver.post("/api/lockbox-requests/" + lockboxId + "/deny", Map.of()), 400, "comment");
    assertProblem(approver.post("/api/lockbox-requests/" + lockboxId + "/deny", Map.of("comment", "   ")), 400,
        "comment");
    assertProblem(approver.send(HttpMethod.POST, "/api/lockbox-requests/" + lockboxId
        + "/deny", null, null), 400, "comment");

    JsonNode after = drive(request);
    assertThat(after.path("status").asText()).isEqualTo("PENDING_CUSTOMER_APPROVAL");
    assertThat(after.path("lockbox").path("status").asText()).isEqualTo("ACTION_NEEDED");
    assertThat(jdbc.queryForObject("select status from lockbox_request where id = ?", String.class, lockboxId))
        .isEqualTo("ACTION_NEEDED");
    assertThat(approvalTask(request.path("processInstanceId").asText())).isNotNull();
  }

  // --- internal approval

  @Test
  void writeAccessWaitsForASupportLead() {
    JsonNode request = drive(create("engineer", DEMO, tenant.prod(), "WRITE"));
    String id = request.path("id").asText();
    assertThat(request.path("status").asText()).isEqualTo("PENDING_INTERNAL_APPROVAL");
    assertThat(request.path("internalApproval").path("jitOutcome").asText()).isEqualTo("INTERNAL_APPROVAL");
    assertThat(request.path("lockbox").isNull()).isTrue();

    Response byEngineer = api.as("engineer", DEMO)
        .post("/api/access-requests/" + id + "/internal-approval", Map.of("approved", true));
    assertProblem(byEngineer, 403, null);
    Response byApprover = api.as(tenant.approver(), Fixtures.PASSWORD)
        .post("/api/access-requests/" + id + "/internal-approval", Map.of("approved", true));
    assertProblem(byApprover, 403, null);
    assertThat(drive(request).path("status").asText()).isEqualTo("PENDING_INTERNAL_APPROVAL");
    assertThat(jdbc.queryForMap("select status, internal_decided_by from access_request where id = ?", id))
        .containsEntry("STATUS", "PENDING_INTERNAL_APPROVAL").containsEntry("INTERNAL_DECIDED_BY", null);

    Response byLead = api.as("lead", DEMO).post("/api/access-requests/" + id + "/internal-approval",
        Map.of("approved", true, "comment", "needed for the fix"));
    assertThat(byLead.status()).as(byLead.toString()).isEqualTo(200);
    assertThat(byLead.json().path("internalApproval").path("decidedBy").asText()).isEqualTo("lead");
    assertThat(byLead.json().path("internalApproval").path("comment").asText()).isEqualTo("needed for the fix");

    JsonNode waiting = drive(request);
    assertThat(waiting.path("status").asText()).isEqualTo("PENDING_CUSTOMER_APPROVAL");
    assertThat(waiting.path("lockbox").path("status").asText()).isEqualTo("ACTION_NEEDED");
    assertThat(jdbc.queryForObject("select internal_decided_by from access_request where id = ?", String.class, id))
        .isEqualTo("lead");
    assertThat(auditTypes(id)).contains("INTERNAL_APPROVAL_REQUESTED", "INTERNAL_APPROVED", "LOCKBOX_REQUEST_CREATED");

    // Decided is decided.
    assertProblem(api.as("lead", DEMO).post("/api/access-requests/" + id + "/internal-approval",
        Map.of("approved", false)), 409, null);
  }

  // --- release

  @Test
  void theEngineerReleasesAccessEarly() {
    String otherEngineer = tenant.id() + "-engineer";
    fixtures.user(otherEngineer, null, Groups.SUPPORT_ENGINEERS);
    JsonNode request = approveAndGrant(drive(create("engineer", DEMO, tenant.prod(), "READ")));
    String id = request.path("id").asText();
    assertThat(check(tenant.prod(), "engineer").path("allowed").asBoolean()).isTrue();

    // Another engineer does not even see the request; a lead sees it but it is not theirs to release.
    assertProblem(api.as(otherEngineer, Fixtures.PASSWORD).post("/api/access-requests/" + id + "/release", null),
        404, null);
    assertProblem(api.as("lead", DEMO).post("/api/access-requests/" + id + "/release", null), 403, null);
    assertThat(check(tenant.prod(), "engineer").path("allowed").asBoolean()).isTrue();

    Response released = api.as("engineer", DEMO).post("/api/access-requests/" + id + "/release", null);
    assertThat(released.status()).as(released.toString()).isEqualTo(200);
    assertThat(released.json().path("status").asText()).isEqualTo("ACCESS_ENDED");
    assertThat(released.json().path("grant").path("endReason").asText()).isEqualTo("RELEASED");
    assertThat(released.json().path("grant").path("endedAt").isNull()).isFalse();
    // At once: no job has run since.
    assertThat(check(tenant.prod(), "engineer").path("allowed").asBoolean()).isFalse();
    assertThat(jdbc.queryForMap("select ended_at, end_reason from access_grant where access_request_id = ?", id))
        .containsEntry("END_REASON", "RELEASED").doesNotContainEntry("ENDED_AT", null);
    assertThat(jdbc.queryForObject("select status from access_request where id = ?", String.class, id))
        .isEqualTo("ACCESS_ENDED");
    assertThat(runtimeService.createProcessInstanceQuery()
        .processInstanceId(request.path("processInstanceId").asText()).count()).isZero();
    assertThat(auditTypes(id)).contains("ACCESS_RELEASED");

    assertProblem(api.as("engineer", DEMO).post("/api/access-requests/" + id + "/release", null), 409, null);
    assertThat(get(id).path("status").asText()).isEqualTo("ACCESS_ENDED");
  }

  @Test
  void nothingToReleaseBeforeAccessIsGranted() {
    JsonNode request = drive(create("engineer", DEMO, tenant.prod(), "READ"));
    String id = request.path("id").asText();
    assertProblem(api.as("engineer", DEMO).post("/api/access-requests/" + id + "/release", null), 409, null);
    JsonNode after = drive(request);
    assertThat(after.path("status").asText()).isEqualTo("PENDING_CUSTOMER_APPROVAL");
    assertThat(after.path("lockbox").path("status").asText()).isEqualTo("ACTION_NEEDED");
  }

  // --- extension

  @Test
  void theEngineerAsksForMoreTimeAndTheCustomerApprovesIt() {
    String otherEngineer = tenant.id() + "-engineer";
    fixtures.user(otherEngineer, null, Groups.SUPPORT_ENGINEERS);
    JsonNode request = approveAndGrant(drive(create("engineer", DEMO, tenant.prod(), "READ")));
    String id = request.path("id").asText();
    String end = request.path("grant").path("expiresAt").asText();
    String path = "/api/access-requests/" + id + "/extension";
    Map<String, Object> why = Map.of("justification", "The data fix needs two more hours");

    // Only the requester asks: another engineer does not see the request, a lead may not ask for them.
    assertProblem(api.as(otherEngineer, Fixtures.PASSWORD).post(path, why), 404, null);
    assertProblem(api.as("lead", DEMO).post(path, why), 403, null);
    assertProblem(api.as("engineer", DEMO).post(path, Map.of("justification", "  ")), 400, "justification");
    assertProblem(api.as("engineer", DEMO).post(path, Map.of()), 400, "justification");
    assertProblem(api.as("engineer", DEMO).post(path, Map.of("justification", "j".repeat(2001))), 400,
        "justification");
    assertThat(get(id).path("lockboxRequests")).hasSize(1);

    Response asked = api.as("engineer", DEMO).post(path, why);
    assertThat(asked.status()).as(asked.toString()).isEqualTo(201);
    String extensionId = asked.json().path("id").asText();
    assertThat(asked.headers().getLocation()).hasToString("/api/lockbox-requests/" + extensionId);
    assertThat(asked.json().path("purpose").asText()).isEqualTo("EXTENSION");
    assertThat(asked.json().path("status").asText()).isEqualTo("ACTION_NEEDED");
    assertThat(asked.json().path("expiresAt").asText()).isEqualTo(end);
    // One open at a time.
    assertProblem(api.as("engineer", DEMO).post(path, why), 409, null);

    JsonNode waiting = drive(request);
    assertThat(waiting.path("lockboxRequests")).hasSize(2);
    assertThat(waiting.path("lockboxRequests").get(0).path("purpose").asText()).isEqualTo("ACCESS");
    assertThat(waiting.path("lockboxRequests").get(1).path("id").asText()).isEqualTo(extensionId);
    assertThat(waiting.path("lockbox").path("id").asText()).isEqualTo(extensionId);

    Response approved = api.as(tenant.approver(), Fixtures.PASSWORD).post("/api/lockbox-requests/" + extensionId
        + "/approve", Map.of("comment", "take the time"));
    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    assertThat(approved.json().path("status").asText()).isEqualTo("APPROVED");
    JsonNode extended = drive(request);
    assertThat(Instant.parse(extended.path("grant").path("expiresAt").asText()))
        .isEqualTo(Instant.parse(end).plus(Duration.ofHours(8)));
    assertThat(Instant.parse(check(tenant.prod(), "engineer").path("expiresAt").asText()))
        .isEqualTo(Instant.parse(end).plus(Duration.ofHours(8)));
    assertThat(auditTypes(id)).contains("EXTENSION_REQUESTED", "ACCESS_EXTENDED");
    // The tenant's default allows one extension.
    assertProblem(api.as("engineer", DEMO).post(path, why), 409, null);
  }

  @Test
  void noExtensionBeforeAccessIsGranted() {
    JsonNode request = drive(create("engineer", DEMO, tenant.prod(), "READ"));
    assertProblem(api.as("engineer", DEMO).post("/api/access-requests/" + request.path("id").asText() + "/extension",
        Map.of("justification", "The data fix needs two more hours")), 409, null);
    assertThat(drive(request).path("lockboxRequests")).hasSize(1);
  }

  // --- no gate

  @Test
  void anUnmanagedEnvironmentNeedsNoLockboxRequest() {
    JsonNode request = drive(create("engineer", DEMO, tenant.sandbox(), "READ"));
    assertGrantedWithoutLockbox(request, tenant.sandbox());
  }

  @Test
  void aTenantWithItsPolicyDisabledNeedsNoLockboxRequest() {
    TestTenant disabled = fixtures.tenant(false, PolicyScope.ALL_MANAGED);
    assertGrantedWithoutLockbox(drive(create("engineer", DEMO, disabled.prod(), "READ")), disabled.prod());
    TestTenant withoutPolicy = fixtures.tenantWithoutPolicy();
    assertGrantedWithoutLockbox(drive(create("engineer", DEMO, withoutPolicy.prod(), "READ")), withoutPolicy.prod());
  }

  private void assertGrantedWithoutLockbox(JsonNode request, String environmentId) {
    String id = request.path("id").asText();
    assertThat(request.path("status").asText()).isEqualTo("ACCESS_GRANTED");
    assertThat(request.path("lockbox").isNull()).isTrue();
    assertThat(request.path("grant").isObject()).isTrue();
    assertThat(count("lockbox_request where access_request_id = ?", id)).isZero();
    assertThat(count("access_grant where access_request_id = ?", id)).isEqualTo(1);
    assertThat(check(environmentId, "engineer").path("allowed").asBoolean()).isTrue();
    assertThat(auditTypes(id)).contains("LOCKBOX_NOT_REQUIRED", "ACCESS_GRANTED")
        .doesNotContain("LOCKBOX_REQUEST_CREATED");
  }

  // --- tenant isolation

  @Test
  void anotherTenantsApproverSeesNothingAndDecidesNothing() {
    TestTenant other = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    JsonNode request = drive(create("engineer", DEMO, tenant.prod(), "READ"));
    String id = request.path("id").asText();
    String lockboxId = request.path("lockbox").path("id").asText();
    ApiClient stranger = api.as(other.approver(), Fixtures.PASSWORD);

    assertProblem(stranger.get("/api/lockbox-requests/" + lockboxId), 404, null);
    assertProblem(stranger.get("/api/access-requests/" + id), 404, null);
    assertProblem(stranger.post("/api/lockbox-requests/" + lockboxId + "/approve", Map.of("comment", "sure")), 404,
        null);
    assertProblem(stranger.post("/api/lockbox-requests/" + lockboxId + "/deny", Map.of("comment", "no")), 404, null);
    assertProblem(stranger.get("/api/tenants/" + tenant.id() + "/lockbox-requests?days=28"), 404, null);
    Response list = stranger.get("/api/access-requests");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).doesNotContain(id);

    // Nor through the engine REST API that Tasklist uses.
    String processInstanceId = request.path("processInstanceId").asText();
    String taskId = approvalTask(processInstanceId).getId();
    Response strangerTasks = stranger.get("/engine-rest/task?processInstanceId=" + processInstanceId);
    assertThat(strangerTasks.status()).as(strangerTasks.toString()).isEqualTo(200);
    assertThat(strangerTasks.json().size()).as(strangerTasks.toString()).isZero();
    Response strangerCompletes = stranger.post("/engine-rest/task/" + taskId + "/complete",
        "{\"variables\":{\"lockboxDecision\":{\"value\":\"APPROVE\"}}}");
    assertThat(strangerCompletes.status()).as(strangerCompletes.toString()).isEqualTo(403);

    // The tenant's own approver sees it, here and in the engine.
    Response own = api.as(tenant.approver(), Fixtures.PASSWORD).get("/api/lockbox-requests/" + lockboxId);
    assertThat(own.status()).isEqualTo(200);
    assertThat(own.json().path("accessRequestId").asText()).isEqualTo(id);
    Response ownTasks = api.as(tenant.approver(), Fixtures.PASSWORD)
        .get("/engine-rest/task?processInstanceId=" + processInstanceId);
    assertThat(ownTasks.status()).as(ownTasks.toString()).isEqualTo(200);
    assertThat(ownTasks.json().size()).as(ownTasks.toString()).isEqualTo(1);
    assertThat(ownTasks.json().get(0).path("id").asText()).isEqualTo(taskId);

    JsonNode after = drive(request);
    assertThat(after.path("lockbox").path("status").asText()).isEqualTo("ACTION_NEEDED");
    assertThat(jdbc.queryForObject("select status from lockbox_request where id = ?", String.class, lockboxId))
        .isEqualTo("ACTION_NEEDED");
  }

  @Test
  void fabrikamSeesNoneOfContososRows() {
    JsonNode request = drive(create("engineer", DEMO, "contoso-prod", "READ"));
    String lockboxId = request.path("lockbox").path("id").asText();
    assertThat(lockboxId).isNotBlank();
    ApiClient fabrikam = api.as("fabrikam-admin", DEMO);

    Response recent = fabrikam.get("/api/tenants/contoso/lockbox-requests");
    assertProblem(recent, 404, null);
    assertThat(recent.body()).doesNotContain(lockboxId).doesNotContain(request.path("id").asText());
    assertProblem(fabrikam.get("/api/tenants/contoso/lockbox-requests?days=28"), 404, null);
    assertProblem(fabrikam.get("/api/access-requests?tenantId=contoso"), 404, null);
    assertProblem(fabrikam.get("/api/lockbox-requests/" + lockboxId), 404, null);
    // Fabrikam's own list holds its own request, and nothing else.
    String fabrikamsOwn = drive(create("engineer", DEMO, "fabrikam-prod", "READ")).path("id").asText();
    Response own = fabrikam.get("/api/access-requests");
    assertThat(own.status()).isEqualTo(200);
    assertThat(own.body()).doesNotContain(request.path("id").asText());
    assertThat(ids(own.json())).contains(fabrikamsOwn);
    assertThat(own.json()).allSatisfy(row -> assertThat(row.path("tenantId").asText()).isEqualTo("fabrikam"));

    Response contoso = api.as("contoso-approver", DEMO).get("/api/tenants/contoso/lockbox-requests");
    assertThat(contoso.status()).isEqualTo(200);
    assertThat(contoso.body()).contains(lockboxId);

    // Leave the shared demo tenant with nothing waiting for its approvers.
    assertThat(api.as("contoso-approver", DEMO).post("/api/lockbox-requests/" + lockboxId + "/deny",
        Map.of("comment", "test request, not needed")).status()).isEqualTo(200);
    assertThat(drive(request).path("status").asText()).isEqualTo("DENIED");
  }

  // --- the customer's Recent table

  @Test
  void recentTableListsTheTenantsLockboxRequestsNewestFirst() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    ClockUtil.setCurrentTime(Date.from(now.minus(Duration.ofDays(30))));
    JsonNode old = drive(create("engineer", DEMO, tenant.prod(), "READ"));

    ClockUtil.setCurrentTime(Date.from(now.minus(Duration.ofHours(2))));
    JsonNode approved = approveAndGrant(drive(create("engineer", DEMO, tenant.prod(), "READ")));

    ClockUtil.setCurrentTime(Date.from(now.minus(Duration.ofHours(1))));
    JsonNode denied = drive(create("engineer", DEMO, tenant.prod(), "READ"));
    assertThat(api.as(tenant.admin(), Fixtures.PASSWORD).post("/api/lockbox-requests/"
        + denied.path("lockbox").path("id").asText() + "/deny", Map.of("comment", "not now")).status()).isEqualTo(200);
    denied = drive(denied);
    // Not in the table at all: no lockbox request.
    drive(create("engineer", DEMO, tenant.sandbox(), "READ"));

    ClockUtil.setCurrentTime(Date.from(now));
    // The oldest request waited past its 4 days: its timer is due now.
    old = drive(old);
    assertThat(old.path("status").asText()).isEqualTo("EXPIRED");

    Response recent = api.as(tenant.approver(), Fixtures.PASSWORD)
        .get("/api/tenants/" + tenant.id() + "/lockbox-requests?days=28");
    assertThat(recent.status()).as(recent.toString()).isEqualTo(200);
    assertThat(recent.contentType().isCompatibleWith(MediaType.APPLICATION_JSON)).isTrue();
    JsonNode rows = recent.json();
    assertThat(rows.size()).isEqualTo(2);
    assertThat(ids(rows)).containsExactly(denied.path("lockbox").path("id").asText(),
        approved.path("lockbox").path("id").asText());
    for (JsonNode row : rows) {
      assertThat(fieldNames(row)).containsExactlyInAnyOrder("id", "accessRequestId", "supportTicketId",
          "environmentId", "status", "requestedAt", "expiresAt", "accessPeriod", "accessExpiresAt", "decidedBy",
          "purpose");
    }
    assertRow(rows.get(0), denied, "DENIED", tenant.admin());
    assertThat(rows.get(0).path("accessExpiresAt").isNull()).isTrue();
    assertRow(rows.get(1), approved, "APPROVED", tenant.approver());
    assertThat(Instant.parse(rows.get(1).path("accessExpiresAt").asText()))
        .isEqualTo(Instant.parse(approved.path("grant").path("expiresAt").asText()));
    assertThat(Instant.parse(rows.get(1).path("requestedAt").asText())).isEqualTo(now.minus(Duration.ofHours(2)));

    // The default window is 28 days; a wider one reaches the expired request.
    Response byDefault = api.as(tenant.admin(), Fixtures.PASSWORD).get("/api/tenants/" + tenant.id()
        + "/lockbox-requests");
    assertThat(byDefault.status()).isEqualTo(200);
    assertThat(ids(byDefault.json())).isEqualTo(ids(rows));
    Response wider = api.as(tenant.admin(), Fixtures.PASSWORD).get("/api/tenants/" + tenant.id()
        + "/lockbox-requests?days=31");
    assertThat(wider.status()).isEqualTo(200);
    assertThat(ids(wider.json())).containsExactly(denied.path("lockbox").path("id").asText(),
        approved.path("lockbox").path("id").asText(), old.path("lockbox").path("id").asText());
    assertRow(wider.json().get(2), old, "EXPIRED", null);
  }

  @Test
  void recentTableRefusesAWindowThatIsNotAPositiveNumberOfDays() {
    ApiClient approver = api.as(tenant.approver(), Fixtures.PASSWORD);
    for (String days : List.of("0", "-1", "abc", "3651", "1.5")) {
      assertProblem(approver.get("/api/tenants/" + tenant.id() + "/lockbox-requests?days=" + days), 400, "days");
    }
  }

  private void assertRow(JsonNode row, JsonNode request, String status, String decidedBy) {
    JsonNode lockbox = request.path("lockbox");
    assertThat(row.path("id").asText()).isEqualTo(lockbox.path("id").asText());
    assertThat(row.path("accessRequestId").asText()).isEqualTo(request.path("id").asText());
    assertThat(row.path("supportTicketId").asText()).isEqualTo(request.path("supportTicketId").asText());
    assertThat(row.path("environmentId").asText()).isEqualTo(tenant.prod());
    assertThat(row.path("status").asText()).isEqualTo(status);
    assertThat(Instant.parse(row.path("requestedAt").asText()))
        .isEqualTo(Instant.parse(lockbox.path("requestedAt").asText()));
    assertThat(Instant.parse(row.path("expiresAt").asText()))
        .isEqualTo(Instant.parse(lockbox.path("requestedAt").asText()).plus(Duration.ofDays(4)));
    assertThat(row.path("accessPeriod").asText()).isEqualTo("PT8H");
    if (decidedBy == null) {
      assertThat(row.path("decidedBy").isNull()).isTrue();
    } else {
      assertThat(row.path("decidedBy").asText()).isEqualTo(decidedBy);
    }
  }

  // --- helpers

  private Map<String, Object> body(String environmentId, String accessLevel) {
    Map<String, Object> body = new LinkedHashMap<>();
    // Environment ids are "<tenant>-<suffix>".
    body.put("tenantId", environmentId.substring(0, environmentId.lastIndexOf('-')));
    body.put("environmentId", environmentId);
    body.put("supportTicketId", "SR-" + UUID.randomUUID().toString().substring(0, 8));
    body.put("justification", "Investigate the failing nightly export job");
    body.put("accessLevel", accessLevel);
    body.put("isolatedIdentity", true);
    body.put("mfaVerified", true);
    return body;
  }

  private JsonNode create(String user, String password, String environmentId, String accessLevel) {
    Response created = api.as(user, password).post("/api/access-requests", body(environmentId, accessLevel));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json();
  }

  /** Runs the request's due jobs, then answers the request as the API shows it now. */
  private JsonNode drive(JsonNode request) {
    // The request's own process, then the notifications it started (they audit APPROVERS_NOTIFIED).
    jobs.executeDueJobsOfRequest(request.path("id").asText());
    return get(request.path("id").asText());
  }

  private JsonNode get(String id) {
    Response response = api.as("lead", DEMO).get("/api/access-requests/" + id);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }

  private JsonNode approveAndGrant(JsonNode request) {
    assertThat(request.path("status").asText()).isEqualTo("PENDING_CUSTOMER_APPROVAL");
    Response approved = api.as(tenant.approver(), Fixtures.PASSWORD).post("/api/lockbox-requests/"
        + request.path("lockbox").path("id").asText() + "/approve", Map.of("comment", "go ahead"));
    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    JsonNode granted = drive(request);
    assertThat(granted.path("status").asText()).isEqualTo("ACCESS_GRANTED");
    return granted;
  }

  private JsonNode check(String environmentId, String userId) {
    Response response = api.as("dataplane", DEMO)
        .get("/api/access-grants/check?environmentId=" + environmentId + "&userId=" + userId);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }

  private Task approvalTask(String processInstanceId) {
    return taskService.createTaskQuery().processInstanceId(processInstanceId)
        .taskDefinitionKey(ProcessModel.CUSTOMER_APPROVAL_TASK).singleResult();
  }

  private long count(String tableAndWhere, Object... args) {
    return jdbc.queryForObject("select count(*) from " + tableAndWhere, Long.class, args);
  }

  private List<String> auditTypes(String requestId) {
    return jdbc.queryForList("select event_type from audit_event where request_id = ? order by seq", String.class,
        requestId);
  }

  private static List<String> ids(JsonNode rows) {
    List<String> ids = new ArrayList<>();
    rows.forEach(row -> ids.add(row.path("id").asText()));
    return ids;
  }

  private static Set<String> fieldNames(JsonNode row) {
    Set<String> names = new LinkedHashSet<>();
    row.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
