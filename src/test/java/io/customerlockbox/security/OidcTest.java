package io.customerlockbox.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.ApiClient;
import io.customerlockbox.ApiClient.Response;
import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.process.ProcessModel;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.AccessRequestView;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The oidc profile against a real OpenID Connect provider running in the test (discovery
 * document, JWKS, signed tokens): bearer tokens authenticate the API and the engine REST API, and
 * their group and tenant claims decide what the caller may see and do.
 */
@ActiveProfiles({"demo", "test", "oidc"})
class OidcTest extends ApplicationTest {

  private static final MockOAuth2Server PROVIDER = new MockOAuth2Server();
  private static final String ISSUER = "lockbox-idp";

  static {
    PROVIDER.start();
  }

  @DynamicPropertySource
  static void provider(DynamicPropertyRegistry registry) {
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> PROVIDER.issuerUrl(ISSUER).toString());
  }

  @AfterAll
  static void stop() {
    PROVIDER.shutdown();
  }

  @Autowired AccessRequestService requests;

  @Test
  void tokensClaimsDecideWhatTheCallerSeesAndDoes() {
    TestTenant a = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    TestTenant b = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView inA = pendingLockbox(a);
    AccessRequestView inB = pendingLockbox(b);
    // A person known only to the provider: no Camunda user exists for them.
    String approverOfA = token("sso-approver", List.of("/lockbox-approvers"), List.of(a.id()));

    assertThat(call("GET", "/api/tenants/" + a.id() + "/lockbox-policy", approverOfA, null).status()).isEqualTo(200);
    assertThat(call("GET", "/api/tenants/" + b.id() + "/lockbox-policy", approverOfA, null).status()).isEqualTo(404);
    assertThat(call("GET", "/api/access-requests/" + inB.id(), approverOfA, null).status()).isEqualTo(404);
    assertThat(call("GET", "/api/access-grants/check?environmentId=x&userId=y", approverOfA, null).status())
        .isEqualTo(403);

    Response tasks = call("GET", "/engine-rest/task?maxResults=1000", approverOfA, null);
    assertThat(tasks.status()).isEqualTo(200);
    String taskA = task(inA);
    String taskB = task(inB);
    assertThat(tasks.body()).contains(taskA).doesNotContain(taskB);
    String approve = "{\"variables\": {\"" + ProcessModel.LOCKBOX_DECISION + "\": {\"value\": \"APPROVE\"}}}";
    assertThat(call("POST", "/engine-rest/task/" + taskB + "/complete", approverOfA, approve).status()).isEqualTo(403);
    Response approved = call("POST", "/api/lockbox-requests/" + inA.lockbox().id() + "/approve",
        approverOfA, "{\"comment\": \"ok\"}");
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    drive(inA.id());
    AccessRequestView granted = requests.get(inA.id(), fixtures.as("lead"));
    assertThat(granted.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    assertThat(granted.lockbox().decidedBy()).isEqualTo("sso-approver");

    // The requester's own token: separation of duties holds for SSO users too.
    String requester = token("engineer", List.of("support-engineers", "lockbox-approvers"), List.of(b.id()));
    assertThat(call("POST", "/engine-rest/task/" + taskB + "/complete", requester, approve).status()).isEqualTo(403);
    assertThat(call("POST", "/api/lockbox-requests/" + inB.lockbox().id() + "/approve", requester, "{}").status())
        .isEqualTo(403);
  }

  @Test
  void withoutAValidTokenEverythingIs401() {
    String foreignIssuer = PROVIDER.issueToken("another-idp", "sso-approver", "customer-lockbox",
        Map.of("groups", List.of("camunda-admin"))).serialize();
    String otherAudience = PROVIDER.issueToken(ISSUER, "sso-approver", "another-app",
        Map.of("groups", List.of("camunda-admin"))).serialize();
    for (String path : List.of("/api/access-requests", "/engine-rest/task")) {
      assertThat(call("GET", path, null, null).status()).isEqualTo(401);
      assertThat(call("GET", path, foreignIssuer, null).status()).isEqualTo(401);
      assertThat(call("GET", path, otherAudience, null).status()).isEqualTo(401);
      assertThat(call("GET", path, "not-a-token", null).status()).isEqualTo(401);
    }
    String lead = token("sso-lead", List.of("support-leads"), List.of());
    assertThat(call("GET", "/api/access-requests", lead, null).status()).isEqualTo(200);
  }

  /** A browser's way in: Tasklist → provider's login → back with a code → Tasklist as that person. */
  @Test
  void webappsLogInThroughTheProviderWithTheTokensGroupsAndTenants() {
    TestTenant a = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    TestTenant b = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    String taskA = task(pendingLockbox(a));
    String taskB = task(pendingLockbox(b));
    PROVIDER.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER, "sso-tasklist-approver", "JWT",
        List.of("customer-lockbox"), Map.of("preferred_username", "sso-tasklist-approver",
            "groups", List.of("lockbox-approvers"), "tenants", List.of(a.id()))));
    ApiClient browser = api.browser();

    Response tasklist = browser.page("/camunda/app/tasklist/default/");
    assertThat(tasklist.status()).as(tasklist.uri().toString()).isEqualTo(200);
    assertThat(tasklist.uri().getPath()).isEqualTo("/camunda/app/tasklist/default/");
    Response me = browser.page("/camunda/api/admin/auth/user/default");
    assertThat(me.body()).contains("\"userId\":\"sso-tasklist-approver\"").contains("tasklist");
    Response tasks = browser.page("/camunda/api/engine/engine/default/task?maxResults=1000");
    assertThat(tasks.status()).isEqualTo(200);
    assertThat(tasks.body()).contains(taskA).doesNotContain(taskB);
  }

  private static String token(String user, List<String> groups, List<String> tenants) {
    return PROVIDER.issueToken(ISSUER, user, "customer-lockbox",
        Map.of("preferred_username", user, "groups", groups, "tenants", tenants)).serialize();
  }

  private Response call(String method, String path, String token, String json) {
    ApiClient caller = token == null ? api.anonymous() : api.bearer(token);
    return caller.send(HttpMethod.valueOf(method), path, MediaType.APPLICATION_JSON, json,
        Map.of("Accept", "application/json"));
  }

  private AccessRequestView pendingLockbox(TestTenant tenant) {
    AccessRequestView created = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("engineer"));
    drive(created.id());
    return requests.get(created.id(), fixtures.as("engineer"));
  }

  private String task(AccessRequestView request) {
    return taskService.createTaskQuery().processInstanceId(request.processInstanceId())
        .taskDefinitionKey(ProcessModel.CUSTOMER_APPROVAL_TASK).singleResult().getId();
  }
}
