package io.customerlockbox.request;

import static io.customerlockbox.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerlockbox.ApplicationTest;
import io.customerlockbox.ApiClient;
import io.customerlockbox.ApiClient.Response;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.policy.PolicyScope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * Bad input over real HTTP: every refusal is a problem detail naming the field at fault, and
 * nothing is stored: no request row, no process instance, no audit event, no policy change.
 */
@Tag(ApplicationTest.BOTH_DATABASES)
class BadInputApiTest extends ApplicationTest {

  private static final ObjectMapper JSON = new ObjectMapper();


  TestTenant tenant;
  TestTenant other;

  @BeforeEach
  void setUp() {
    tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    other = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
  }

  /** One bad POST /api/access-requests: its body (built for this test's tenants), who sends it, what comes back. */
  record BadRequest(String name, BiFunction<TestTenant, TestTenant, String> body, MediaType contentType, String user,
      int status, String field) {

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<BadRequest> badAccessRequests() {
    Stream<BadRequest> missing = Stream.of("tenantId", "environmentId", "justification", "accessLevel",
            "isolatedIdentity", "mfaVerified")
        .map(field -> bad("missing " + field, body -> body.remove(field), 400, field));
    Stream<BadRequest> others = Stream.of(
        bad("justification null", body -> body.put("justification", null), 400, "justification"),
        bad("justification of 9 characters", body -> body.put("justification", "x".repeat(9)), 400, "justification"),
        bad("justification of 2001 characters", body -> body.put("justification", "x".repeat(2001)), 400,
            "justification"),
        bad("justification of blanks", body -> body.put("justification", " ".repeat(12)), 400, "justification"),
        bad("supportTicketId of 65 characters", body -> body.put("supportTicketId", "S".repeat(65)), 400,
            "supportTicketId"),
        bad("supportTicketId with markup", body -> body.put("supportTicketId", "<script>alert(1)</script>"), 400,
            "supportTicketId"),
        bad("supportTicketId empty", body -> body.put("supportTicketId", ""), 400, "supportTicketId"),
        bad("mfaVerified \"yes\"", body -> body.put("mfaVerified", "yes"), 400, "mfaVerified"),
        bad("mfaVerified 1", body -> body.put("mfaVerified", 1), 400, "mfaVerified"),
        bad("isolatedIdentity \"true\"", body -> body.put("isolatedIdentity", "true"), 400, "isolatedIdentity"),
        bad("accessLevel \"read\"", body -> body.put("accessLevel", "read"), 400, "accessLevel"),
        bad("accessLevel 5", body -> body.put("accessLevel", 5), 400, "accessLevel"),
        bad("accessLevel null", body -> body.put("accessLevel", null), 400, "accessLevel"),
        bad("tenantId 123", body -> body.put("tenantId", 123), 400, "tenantId"),
        bad("tenantId of 65 characters", body -> body.put("tenantId", "t".repeat(65)), 400, "tenantId"),
        bad("environmentId a list", body -> body.put("environmentId", List.of("a", "b")), 400, "environmentId"),
        bad("unknown extra field", body -> body.put("grantedBy", "myself"), 400, "grantedBy"),
        new BadRequest("JSON cut inside a value", (t, o) -> {
          String json = json(validBody(t));
          return json.substring(0, json.indexOf("failing"));
        }, MediaType.APPLICATION_JSON, "engineer", 400, null),
        new BadRequest("JSON cut after a field", (t, o) -> {
          String json = json(validBody(t));
          return json.substring(0, json.indexOf("\"justification\""));
        }, MediaType.APPLICATION_JSON, "engineer", 400, null),
        new BadRequest("empty body", (t, o) -> "", MediaType.APPLICATION_JSON, "engineer", 400, null),
        new BadRequest("a JSON list", (t, o) -> "[" + json(validBody(t)) + "]", MediaType.APPLICATION_JSON,
            "engineer", 400, null),
        new BadRequest("text/plain", (t, o) -> json(validBody(t)), MediaType.TEXT_PLAIN, "engineer", 415, null),
        bad("unknown tenant", body -> body.put("tenantId", "no-such-tenant"), 400, "tenantId"),
        bad("unknown environment", body -> body.put("environmentId", body.get("tenantId") + "-nowhere"), 400,
            "environmentId"),
        new BadRequest("another tenant's environment", (t, o) -> {
          Map<String, Object> body = validBody(t);
          body.put("environmentId", o.prod());
          return json(body);
        }, MediaType.APPLICATION_JSON, "engineer", 400, "environmentId"),
        bad("incidentId without breakGlass", body -> body.put("incidentId", "INC-1"), 400, "incidentId"),
        new BadRequest("breakGlass by a user outside break-glass", (t, o) -> {
          Map<String, Object> body = validBody(t);
          body.put("breakGlass", true);
          body.put("incidentId", "INC-1");
          return json(body);
        }, MediaType.APPLICATION_JSON, "engineer", 403, null),
        new BadRequest("breakGlass without incidentId", (t, o) -> {
          Map<String, Object> body = validBody(t);
          body.put("breakGlass", true);
          return json(body);
        }, MediaType.APPLICATION_JSON, "oncall", 400, "incidentId"));
    return Stream.concat(missing, others);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badAccessRequests")
  void refusesABadAccessRequestAndStoresNothing(BadRequest bad) {
    Counts before = counts();

    Response response = api.as(bad.user(), "demo")
        .send(HttpMethod.POST, "/api/access-requests", bad.contentType(), bad.body().apply(tenant, other));

    assertProblem(response, bad.status(), bad.field());
    assertThat(counts()).isEqualTo(before);
    assertThat(jdbc.queryForObject("select count(*) from access_request where tenant_id in (?, ?)", Long.class,
        tenant.id(), other.id())).isZero();
  }

  // --- the lockbox policy

  static Stream<BadPolicy> badPolicies() {
    return Stream.of(
        new BadPolicy("SELECTED without environmentIds", (t, o) -> policy(true, "SELECTED", null), "environmentIds"),
        new BadPolicy("SELECTED with no environment", (t, o) -> policy(true, "SELECTED", List.of()),
            "environmentIds"),
        new BadPolicy("unknown scope", (t, o) -> policy(true, "EVERYTHING", null), "scope"),
        new BadPolicy("scope missing", (t, o) -> policy(true, null, null), "scope"),
        new BadPolicy("enabled missing", (t, o) -> policy(null, "ALL", null), "enabled"),
        new BadPolicy("enabled \"yes\"", (t, o) -> policy("yes", "ALL", null), "enabled"),
        new BadPolicy("another tenant's environment", (t, o) -> policy(true, "SELECTED", List.of(t.prod(), o.prod())),
            "environmentIds"),
        new BadPolicy("an unknown environment", (t, o) -> policy(true, "SELECTED", List.of(t.id() + "-nowhere")),
            "environmentIds"),
        new BadPolicy("environments for scope ALL_MANAGED", (t, o) -> policy(true, "ALL_MANAGED", List.of(t.sandbox())),
            "environmentIds"),
        new BadPolicy("environmentIds not a list", (t, o) -> {
          Map<String, Object> body = policy(true, "SELECTED", null);
          body.put("environmentIds", t.prod());
          return body;
        }, "environmentIds"),
        new BadPolicy("unknown extra field", (t, o) -> {
          Map<String, Object> body = policy(false, "ALL", null);
          body.put("owner", "me");
          return body;
        }, "owner"));
  }

  record BadPolicy(String name, BiFunction<TestTenant, TestTenant, Map<String, Object>> body, String field) {

    @Override
    public String toString() {
      return name;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPolicies")
  void refusesABadPolicyAndKeepsTheOldOne(BadPolicy bad) {
    ApiClient admin = api.as(tenant.admin(), Fixtures.PASSWORD);
    String policyPath = "/api/tenants/" + tenant.id() + "/lockbox-policy";
    Response before = admin.get(policyPath);
    assertThat(before.status()).isEqualTo(200);
    Counts counts = counts();
    List<Map<String, Object>> rows = policyRows();

    assertProblem(admin.put(policyPath, bad.body().apply(tenant, other)), 400, bad.field());

    Response after = admin.get(policyPath);
    assertThat(after.status()).isEqualTo(200);
    assertThat(after.json()).isEqualTo(before.json());
    assertThat(after.json().path("enabled").asBoolean()).isTrue();
    assertThat(after.json().path("scope").asText()).isEqualTo("ALL_MANAGED");
    assertThat(policyRows()).isEqualTo(rows);
    assertThat(counts()).isEqualTo(counts);
  }

  // --- environments

  record BadEnvironment(String name, BiFunction<TestTenant, TestTenant, Map<String, Object>> body, int status,
      String field) {

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<BadEnvironment> badEnvironments() {
    return Stream.of(
        new BadEnvironment("managed missing", (t, o) -> environment(t.id() + "-new", "New", null), 400, "managed"),
        new BadEnvironment("managed \"true\"", (t, o) -> environment(t.id() + "-new", "New", "true"), 400, "managed"),
        new BadEnvironment("id with spaces", (t, o) -> environment(t.id() + " new env", "New", true), 400, "id"),
        new BadEnvironment("id in capitals", (t, o) -> environment(t.id().toUpperCase() + "-NEW", "New", true), 400,
            "id"),
        new BadEnvironment("id missing", (t, o) -> environment(null, "New", true), 400, "id"),
        new BadEnvironment("name missing", (t, o) -> environment(t.id() + "-new", null, true), 400, "name"),
        new BadEnvironment("duplicate id", (t, o) -> environment(t.prod(), "Production again", true), 409, null),
        new BadEnvironment("another tenant's id", (t, o) -> environment(o.prod(), "Theirs", true), 409, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badEnvironments")
  void refusesABadEnvironmentAndAddsNothing(BadEnvironment bad) {
    ApiClient admin = api.as(tenant.admin(), Fixtures.PASSWORD);
    String path = "/api/tenants/" + tenant.id() + "/environments";
    Response before = admin.get(path);
    assertThat(before.status()).isEqualTo(200);
    assertThat(before.json().size()).isEqualTo(2);
    Counts counts = counts();
    List<Map<String, Object>> rows = jdbc.queryForList("select id, tenant_id, name, managed from environment "
        + "where tenant_id in (?, ?) order by id", tenant.id(), other.id());

    assertProblem(admin.post(path, bad.body().apply(tenant, other)), bad.status(), bad.field());

    Response after = admin.get(path);
    assertThat(after.status()).isEqualTo(200);
    assertThat(after.json()).isEqualTo(before.json());
    assertThat(jdbc.queryForList("select id, tenant_id, name, managed from environment "
        + "where tenant_id in (?, ?) order by id", tenant.id(), other.id())).isEqualTo(rows);
    assertThat(counts()).isEqualTo(counts);
  }

  // --- helpers

  /** What a refused call must leave as it was. */
  record Counts(long accessRequests, long lockboxRequests, long runningProcesses, long historicProcesses,
      long auditEvents, long environments, long policies) {}

  private Counts counts() {
    return new Counts(count("access_request"), count("lockbox_request"),
        runtimeService.createProcessInstanceQuery().count(),
        historyService.createHistoricProcessInstanceQuery().count(), count("audit_event"), count("environment"),
        count("lockbox_policy"));
  }

  private long count(String table) {
    return jdbc.queryForObject("select count(*) from " + table, Long.class);
  }

  private List<Map<String, Object>> policyRows() {
    List<Map<String, Object>> rows = jdbc.queryForList(
        "select enabled, scope, updated_at, updated_by from lockbox_policy where tenant_id = ?", tenant.id());
    rows.addAll(jdbc.queryForList(
        "select environment_id from lockbox_policy_environment where tenant_id = ? order by environment_id",
        tenant.id()));
    return rows;
  }

  private static BadRequest bad(String name, Consumer<Map<String, Object>> change, int status, String field) {
    return new BadRequest(name, (t, o) -> {
      Map<String, Object> body = validBody(t);
      change.accept(body);
      return json(body);
    }, MediaType.APPLICATION_JSON, "engineer", status, field);
  }

  private static Map<String, Object> validBody(TestTenant tenant) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tenantId", tenant.id());
    body.put("environmentId", tenant.prod());
    body.put("supportTicketId", "SR-4711");
    body.put("justification", "Investigate the failing nightly export job");
    body.put("accessLevel", "READ");
    body.put("isolatedIdentity", true);
    body.put("mfaVerified", true);
    return body;
  }

  /** A policy body; {@code environmentIds} is left out when null. */
  private static Map<String, Object> policy(Object enabled, String scope, List<String> environmentIds) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (enabled != null) {
      body.put("enabled", enabled);
    }
    if (scope != null) {
      body.put("scope", scope);
    }
    if (environmentIds != null) {
      body.put("environmentIds", environmentIds);
    }
    return body;
  }

  private static Map<String, Object> environment(String id, String name, Object managed) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (id != null) {
      body.put("id", id);
    }
    if (name != null) {
      body.put("name", name);
    }
    if (managed != null) {
      body.put("managed", managed);
    }
    return body;
  }

  private static String json(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
