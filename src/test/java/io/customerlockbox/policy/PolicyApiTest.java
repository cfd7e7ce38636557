package io.customerlockbox.policy;

import static io.customerlockbox.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.customerlockbox.ApplicationTest;
import io.customerlockbox.ApiClient;
import io.customerlockbox.ApiClient.Response;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A tenant's admins manage its lockbox policy and environments over real HTTP; nobody else does. */
@Tag(ApplicationTest.BOTH_DATABASES)
class PolicyApiTest extends ApplicationTest {


  TestTenant tenant;
  ApiClient admin;
  String policyPath;

  @BeforeEach
  void setUp() {
    tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    admin = api.as(tenant.admin(), Fixtures.PASSWORD);
    policyPath = "/api/tenants/" + tenant.id() + "/lockbox-policy";
  }

  @Test
  void theTenantAdminReadsAndUpdatesThePolicy() {
    Response read = admin.get(policyPath);
    assertThat(read.status()).as(read.toString()).isEqualTo(200);
    assertThat(read.json().path("tenantId").asText()).isEqualTo(tenant.id());
    assertThat(read.json().path("enabled").asBoolean()).isTrue();
    assertThat(read.json().path("scope").asText()).isEqualTo("ALL_MANAGED");
    assertThat(read.json().path("environmentIds").isArray()).isTrue();
    assertThat(read.json().path("environmentIds").size()).isZero();
    assertThat(read.json().path("updatedBy").asText()).isEqualTo("fixture");

    Response updated = admin.put(policyPath, policy(true, "SELECTED", List.of(tenant.sandbox(), tenant.prod())));
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    assertThat(updated.json().path("scope").asText()).isEqualTo("SELECTED");
    assertThat(texts(updated.json().path("environmentIds"))).containsExactly(tenant.prod(), tenant.sandbox());
    assertThat(updated.json().path("updatedBy").asText()).isEqualTo(tenant.admin());
    assertThat(updated.json().path("updatedAt").asText()).isNotBlank();

    Response reread = admin.get(policyPath);
    assertThat(reread.json()).isEqualTo(updated.json());
    assertThat(jdbc.queryForMap("select enabled, scope, updated_by from lockbox_policy where tenant_id = ?",
        tenant.id())).containsEntry("ENABLED", true).containsEntry("SCOPE", "SELECTED")
        .containsEntry("UPDATED_BY", tenant.admin());
    assertThat(jdbc.queryForList("select environment_id from lockbox_policy_environment where tenant_id = ? "
        + "order by environment_id", String.class, tenant.id())).containsExactly(tenant.prod(), tenant.sandbox());

    Response disabled = admin.put(policyPath, policy(false, "ALL", null));
    assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
    assertThat(disabled.json().path("enabled").asBoolean()).isFalse();
    assertThat(disabled.json().path("scope").asText()).isEqualTo("ALL");
    assertThat(disabled.json().path("environmentIds").size()).isZero();
    assertThat(jdbc.queryForObject("select count(*) from lockbox_policy_environment where tenant_id = ?", Long.class,
        tenant.id())).isZero();

    List<Map<String, Object>> changes = jdbc.queryForList("select actor, detail from audit_event "
        + "where tenant_id = ? and event_type = 'POLICY_CHANGED' and actor = ? order by seq", tenant.id(),
        tenant.admin());
    assertThat(changes).hasSize(2);
    assertThat((String) changes.get(0).get("DETAIL")).contains("before: enabled ALL_MANAGED")
        .contains("after: enabled SELECTED");
    assertThat((String) changes.get(1).get("DETAIL")).contains("after: disabled ALL");

    // Approvers read the policy too.
    Response byApprover = api.as(tenant.approver(), Fixtures.PASSWORD).get(policyPath);
    assertThat(byApprover.status()).isEqualTo(200);
    assertThat(byApprover.json()).isEqualTo(disabled.json());
  }

  @Test
  void aChangedPolicyDecidesTheNextRequestAtOnce() {
    JsonNode before = request(tenant.prod());
    assertThat(before.path("status").asText()).isEqualTo("PENDING_CUSTOMER_APPROVAL");
    assertThat(before.path("lockbox").path("status").asText()).isEqualTo("ACTION_NEEDED");

    // Only the sandbox is selected: production no longer needs the customer's approval.
    assertThat(admin.put(policyPath, policy(true, "SELECTED", List.of(tenant.sandbox()))).status()).isEqualTo(200);
    JsonNode prodRequest = request(tenant.prod());
    assertThat(prodRequest.path("status").asText()).isEqualTo("ACCESS_GRANTED");
    assertThat(prodRequest.path("lockbox").isNull()).isTrue();
    assertThat(lockboxRows(prodRequest)).isZero();
    JsonNode selectedSandbox = request(tenant.sandbox());
    assertThat(selectedSandbox.path("status").asText()).isEqualTo("PENDING_CUSTOMER_APPROVAL");
    assertThat(lockboxRows(selectedSandbox)).isEqualTo(1);

    // Everything, managed or not.
    assertThat(admin.put(policyPath, policy(true, "ALL", null)).status()).isEqualTo(200);
    JsonNode sandboxRequest = request(tenant.sandbox());
    assertThat(sandboxRequest.path("status").asText()).isEqualTo("PENDING_CUSTOMER_APPROVAL");
    assertThat(sandboxRequest.path("lockbox").path("status").asText()).isEqualTo("ACTION_NEEDED");
    assertThat(lockboxRows(sandboxRequest)).isEqualTo(1);

    // Switched off: nothing needs approval.
    assertThat(admin.put(policyPath, policy(false, "ALL", null)).status()).isEqualTo(200);
    JsonNode off = request(tenant.prod());
    assertThat(off.path("status").asText()).isEqualTo("ACCESS_GRANTED");
    assertThat(off.path("lockbox").isNull()).isTrue();

    // A request already waiting keeps its lockbox request whatever the policy says now.
    JsonNode first = get(before.path("id").asText());
    assertThat(first.path("status").asText()).isEqualTo("PENDING_CUSTOMER_APPROVAL");
    assertThat(first.path("lockbox").path("status").asText()).isEqualTo("ACTION_NEEDED");
  }

  @Test
  void onlyTheTenantsAdminsChangeThePolicy() {
    Response before = admin.get(policyPath);

    Response byApprover = api.as(tenant.approver(), Fixtures.PASSWORD)
        .put(policyPath, policy(false, "ALL_MANAGED", null));
    assertProblem(byApprover, 403);
    Response byEngineer = api.as("engineer", "demo").put(policyPath, policy(false, "ALL_MANAGED", null));
    assertProblem(byEngineer, 403);

    TestTenant other = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    ApiClient otherAdmin = api.as(other.admin(), Fixtures.PASSWORD);
    assertProblem(otherAdmin.put(policyPath, policy(false, "ALL_MANAGED", null)), 404);
    assertProblem(otherAdmin.get(policyPath), 404);
    assertProblem(otherAdmin.get("/api/tenants/" + tenant.id() + "/environments"), 404);
    assertProblem(otherAdmin.post("/api/tenants/" + tenant.id() + "/environments",
        environment(tenant.id() + "-theirs", "Planted", false)), 404);
    assertProblem(api.as("contoso-admin", "demo").put(policyPath, policy(false, "ALL_MANAGED", null)), 404);

    Response after = admin.get(policyPath);
    assertThat(after.json()).isEqualTo(before.json());
    assertThat(after.json().path("enabled").asBoolean()).isTrue();
    assertThat(jdbc.queryForObject("select enabled from lockbox_policy where tenant_id = ?", Boolean.class,
        tenant.id())).isTrue();
    assertThat(jdbc.queryForObject("select count(*) from environment where tenant_id = ?", Long.class, tenant.id()))
        .isEqualTo(2);
    assertThat(jdbc.queryForObject("select count(*) from audit_event where tenant_id = ? and actor <> 'fixture' "
        + "and event_type in ('POLICY_CHANGED', 'ENVIRONMENT_CHANGED')", Long.class, tenant.id())).isZero();
  }

  @Test
  void theTenantAdminAddsAnEnvironment() {
    String path = "/api/tenants/" + tenant.id() + "/environments";
    String id = tenant.id() + "-staging";

    Response created = admin.post(path, Map.of("id", id, "name", "Staging", "managed", true, "tier", "staging"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.headers().getLocation()).isNotNull();
    assertThat(created.headers().getLocation().toString()).endsWith(path + "/" + id);
    assertThat(created.json().path("id").asText()).isEqualTo(id);
    assertThat(created.json().path("tenantId").asText()).isEqualTo(tenant.id());
    assertThat(created.json().path("name").asText()).isEqualTo("Staging");
    assertThat(created.json().path("managed").asBoolean()).isTrue();
    assertThat(created.json().path("tier").asText()).isEqualTo("staging");

    Response listed = api.as(tenant.approver(), Fixtures.PASSWORD).get(path);
    assertThat(listed.status()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    listed.json().forEach(environment -> ids.add(environment.path("id").asText()));
    assertThat(ids).containsExactly(tenant.prod(), tenant.sandbox(), id);
    assertThat(jdbc.queryForMap("select tenant_id, name, managed from environment where id = ?", id))
        .containsEntry("TENANT_ID", tenant.id()).containsEntry("NAME", "Staging").containsEntry("MANAGED", true);
    assertThat(jdbc.queryForObject("select count(*) from audit_event where tenant_id = ? and environment_id = ? "
        + "and event_type = 'ENVIRONMENT_CHANGED' and actor = ?", Long.class, tenant.id(), id, tenant.admin()))
        .isEqualTo(1);

    // A managed environment falls under the ALL_MANAGED policy from its first request.
    JsonNode request = request(id);
    assertThat(request.path("status").asText()).isEqualTo("PENDING_CUSTOMER_APPROVAL");
    assertThat(request.path("lockbox").path("status").asText()).isEqualTo("ACTION_NEEDED");

    // An approver may not add one.
    assertProblem(api.as(tenant.approver(), Fixtures.PASSWORD).post(path, environment(tenant.id() + "-more", "More",
        false)), 403);
    assertThat(jdbc.queryForObject("select count(*) from environment where tenant_id = ?", Long.class, tenant.id()))
        .isEqualTo(3);
  }

  // --- helpers

  /** Engineer asks for READ access; answers the request once its due jobs have run. */
  private JsonNode request(String environmentId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tenantId", tenant.id());
    body.put("environmentId", environmentId);
    body.put("supportTicketId", "SR-1234");
    body.put("justification", "Investigate the failing nightly export job");
    body.put("accessLevel", "READ");
    body.put("isolatedIdentity", true);
    body.put("mfaVerified", true);
    Response created = api.as("engineer", "demo").post("/api/access-requests", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    jobs.executeDueJobs(created.json().path("processInstanceId").asText());
    return get(created.json().path("id").asText());
  }

  private JsonNode get(String id) {
    Response response = api.as("engineer", "demo").get("/api/access-requests/" + id);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }

  private long lockboxRows(JsonNode request) {
    return jdbc.queryForObject("select count(*) from lockbox_request where access_request_id = ?", Long.class,
        request.path("id").asText());
  }

  private static Map<String, Object> policy(boolean enabled, String scope, List<String> environmentIds) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("enabled", enabled);
    body.put("scope", scope);
    if (environmentIds != null) {
      body.put("environmentIds", environmentIds);
    }
    return body;
  }

  private static Map<String, Object> environment(String id, String name, boolean managed) {
    return Map.of("id", id, "name", name, "managed", managed);
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }
}
