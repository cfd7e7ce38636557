package io.customerlockbox.request;

import static io.customerlockbox.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.ApiClient;
import io.customerlockbox.ApiClient.Response;
import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.access.AccessGrantService;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.security.Groups;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The customer's revocation over real HTTP (issue 15, point 4): a tenant admin turns on
 * {@code customerMayRevoke}, an approver ends active access at once with a reason, and the data
 * plane's check answers false right after; every refusal changes nothing.
 */
@Tag(ApplicationTest.BOTH_DATABASES)
class CustomerRevokeApiTest extends ApplicationTest {

  @Autowired AccessRequestService requests;
  @Autowired LockboxRequestService lockboxRequests;
  @Autowired AccessGrantService grants;

  TestTenant tenant;
  ApiClient admin;
  ApiClient approver;
  String policyPath;

  @BeforeEach
  void setUp() {
    tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    admin = api.as(tenant.admin(), Fixtures.PASSWORD);
    approver = api.as(tenant.approver(), Fixtures.PASSWORD);
    policyPath = "/api/tenants/" + tenant.id() + "/lockbox-policy";
  }

  @Test
  void withTheSwitchOnAnApproverEndsActiveAccessAtOnceAndTheCheckAnswersFalse() {
    assertThat(admin.get(policyPath).json().path("customerMayRevoke").asBoolean()).as("off by default").isFalse();
    Response switched = admin.put(policyPath, policy(true, null));
    assertThat(switched.status()).as(switched.toString()).isEqualTo(200);
    assertThat(switched.json().path("customerMayRevoke").asBoolean()).isTrue();
    assertThat(admin.get(policyPath).json().path("customerMayRevoke").asBoolean()).isTrue();
    AccessRequestView granted = granted();
    assertThat(check().path("allowed").asBoolean()).isTrue();

    Response revoked = approver.post(revokePath(granted), Map.of("comment", "Unexpected queries on the orders table"));

    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
    assertThat(revoked.json().path("id").asText()).isEqualTo(granted.lockbox().id());
    assertThat(check().path("allowed").asBoolean()).as("the check right after").isFalse();
    Response read = api.as("engineer", "demo").get("/api/access-requests/" + granted.id());
    assertThat(read.json().path("status").asText()).isEqualTo("ACCESS_ENDED");
    assertThat(read.json().path("grant").path("endReason").asText()).isEqualTo("REVOKED_BY_CUSTOMER");
    assertThat(jdbc.queryForMap("select revoked_by, revoked_as, comment from customer_revocation "
        + "where access_request_id = ?", granted.id())).containsEntry("REVOKED_BY", tenant.approver())
        .containsEntry("REVOKED_AS", Groups.LOCKBOX_APPROVERS)
        .containsEntry("COMMENT", "Unexpected queries on the orders table");
    assertThat(jdbc.queryForMap("select actor, comment from audit_event where request_id = ? and event_type = ?",
        granted.id(), "ACCESS_REVOKED_BY_CUSTOMER")).containsEntry("ACTOR", tenant.approver())
        .containsEntry("COMMENT", "Unexpected queries on the orders table");

    // Ended: revoking again is a conflict.
    assertProblem(approver.post(revokePath(granted), Map.of("comment", "again")), 409);
  }

  @Test
  void withTheSwitchOffTheRevocationIsAConflictAndAccessRunsOn() {
    AccessRequestView granted = granted();

    assertProblem(approver.post(revokePath(granted), Map.of("comment", "not needed")), 409);
    assertProblem(admin.post(revokePath(granted), Map.of("comment", "not needed")), 409);

    assertUnchanged(granted);
  }

  @Test
  void accessThatIsNotActiveCannotBeRevoked() {
    admin.put(policyPath, policy(true, null));
    AccessRequestView pending = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("engineer"));
    drive(pending.id());
    String lockboxId = requests.get(pending.id(), fixtures.as("lead")).lockbox().id();
    assertProblem(approver.post("/api/lockbox-requests/" + lockboxId + "/revoke", Map.of("comment", "too early")), 409);

    AccessRequestView released = granted();
    requests.release(released.id(), fixtures.as("engineer"));
    assertProblem(approver.post(revokePath(released), Map.of("comment", "too late")), 409);
    assertThat(requests.get(released.id(), fixtures.as("lead")).grant().endReason()).isEqualTo("RELEASED");
    assertThat(jdbc.queryForObject("select count(*) from customer_revocation where access_request_id in (?, ?)",
        Long.class, pending.id(), released.id())).isZero();
  }

  @Test
  void theReasonIsRequired() {
    admin.put(policyPath, policy(true, null));
    AccessRequestView granted = granted();

    assertProblem(approver.post(revokePath(granted), Map.of()), 400, "comment");
    assertProblem(approver.post(revokePath(granted), Map.of("comment", "  ")), 400, "comment");
    assertProblem(approver.post(revokePath(granted), null), 400, "comment");
    assertProblem(approver.post(revokePath(granted), Map.of("comment", "x".repeat(2001))), 400, "comment");

    assertUnchanged(granted);
  }

  @Test
  void theEngineerAnotherTenantsApproverAndProviderStaffCannotRevoke() {
    admin.put(policyPath, policy(true, null));
    TestTenant other = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    api.as(other.admin(), Fixtures.PASSWORD).put("/api/tenants/" + other.id() + "/lockbox-policy", policy(true, null));
    AccessRequestView granted = granted();
    Map<String, String> body = Map.of("comment", "not needed");

    Response byEngineer = api.as("engineer", "demo").post(revokePath(granted), body);
    assertThat(byEngineer.status()).as(byEngineer.toString()).isIn(403, 404);
    assertProblem(api.as(other.approver(), Fixtures.PASSWORD).post(revokePath(granted), body), 404);
    assertProblem(api.as(other.admin(), Fixtures.PASSWORD).post(revokePath(granted), body), 404);
    for (String provider : List.of("lead", "operator", "admin")) {
      Response refused = api.as(provider, "demo").post(revokePath(granted), body);
      assertThat(refused.status()).as(provider + " " + refused).isIn(403, 404);
    }
    // A tenant's auditor reads the request but does not decide it, so cannot revoke it either.
    String auditor = tenant.id() + "-auditor";
    fixtures.user(auditor, tenant.id(), Groups.AUDITORS);
    assertProblem(api.as(auditor, Fixtures.PASSWORD).post(revokePath(granted), body), 403);

    assertUnchanged(granted);
  }

  @Test
  void theEscalationGroupMustBeAnExistingGroupOfTheCustomer() {
    assertProblem(admin.put(policyPath, policy(false, "no-such-group-" + tenant.id())), 400, "escalationGroup");
    assertProblem(admin.put(policyPath, policy(false, Groups.SUPPORT_LEADS)), 400, "escalationGroup");
    assertProblem(admin.put(policyPath, policy(false, "not a group id")), 400, "escalationGroup");
    assertThat(admin.get(policyPath).json().path("escalationGroup").isNull()).isTrue();

    Response named = admin.put(policyPath, policy(false, Groups.AUDITORS));
    assertThat(named.status()).as(named.toString()).isEqualTo(200);
    assertThat(admin.get(policyPath).json().path("escalationGroup").asText()).isEqualTo(Groups.AUDITORS);
    assertThat(jdbc.queryForObject("select detail from audit_event where tenant_id = ? and event_type = "
        + "'POLICY_CHANGED' order by seq desc limit 1", String.class, tenant.id()))
        .contains("escalations also to " + Groups.AUDITORS);
  }

  // --- helpers

  private Map<String, Object> policy(boolean customerMayRevoke, String escalationGroup) {
    Map<String, Object> body = new HashMap<>();
    body.put("enabled", true);
    body.put("scope", "ALL_MANAGED");
    body.put("customerMayRevoke", customerMayRevoke);
    body.put("escalationGroup", escalationGroup);
    return body;
  }

  private AccessRequestView granted() {
    AccessRequestView request = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("engineer"));
    drive(request.id());
    lockboxRequests.decide(requests.get(request.id(), fixtures.as("lead")).lockbox().id(), Decision.APPROVE, null,
        fixtures.as(tenant.approver()));
    drive(request.id());
    AccessRequestView granted = requests.get(request.id(), fixtures.as("lead"));
    assertThat(granted.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    return granted;
  }

  private static String revokePath(AccessRequestView request) {
    return "/api/lockbox-requests/" + request.lockbox().id() + "/revoke";
  }

  private com.fasterxml.jackson.databind.JsonNode check() {
    return api.as("dataplane", "demo").get("/api/access-grants/check?environmentId=" + tenant.prod()
        + "&userId=engineer").json();
  }

  private void assertUnchanged(AccessRequestView granted) {
    AccessRequestView now = requests.get(granted.id(), fixtures.as("lead"));
    assertThat(now.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    assertThat(now.grant().endedAt()).isNull();
    assertThat(grants.check(tenant.prod(), "engineer").allowed()).isTrue();
    assertThat(jdbc.queryForObject("select count(*) from audit_event where request_id = ? and event_type = ?",
        Long.class, granted.id(), "ACCESS_REVOKED_BY_CUSTOMER")).isZero();
  }
}
