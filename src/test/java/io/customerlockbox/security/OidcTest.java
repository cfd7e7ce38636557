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
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The oidc profile against a real OpenID Connect provider running in the test (discovery
 * document, JWKS, signed tokens): bearer tokens authenticate the API and the engine REST API, and
 * their group and tenant claims decide what the caller may see and do.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"demo", "test", "oidc"})
@Import(Fixtures.class)
class OidcTest {

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

  @LocalServerPort int port;
  @Autowired Fixtures fixtures;
  @Autowired AccessRequestService requests;
  @Autowired ManagementService managementService;
  @Autowired TaskService taskService;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void tokensClaimsDecideWhatTheCallerSeesAndDoes() {
    TestTenant a = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    TestTenant b = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView inA = pendingLockbox(a);
    AccessRequestView inB = pendingLockbox(b);
    // A person known only to the provider: no Camunda user exists for them.
    String approverOfA = token("sso-approver", List.of("/lockbox-approvers"), List.of(a.id()));

    assertThat(call("GET", "/api/tenants/" + a.id() + "/lockbox-policy", approverOfA, null).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/api/tenants/" + b.id() + "/lockbox-policy", approverOfA, null).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/api/access-requests/" + inB.id(), approverOfA, null).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/api/access-grants/check?environmentId=x&userId=y", approverOfA, null).statusCode())
        .isEqualTo(403);

    HttpResponse<String> tasks = call("GET", "/engine-rest/task?maxResults=1000", approverOfA, null);
    assertThat(tasks.statusCode()).isEqualTo(200);
    String taskA = task(inA);
    String taskB = task(inB);
    assertThat(tasks.body()).contains(taskA).doesNotContain(taskB);
    String approve = "{\"variables\": {\"" + ProcessModel.LOCKBOX_DECISION + "\": {\"value\": \"APPROVE\"}}}";
    assertThat(call("POST", "/engine-rest/task/" + taskB + "/complete", approverOfA, approve).statusCode()).isEqualTo(403);
    HttpResponse<String> approved = call("POST", "/api/lockbox-requests/" + inA.lockbox().id() + "/approve",
        approverOfA, "{\"comment\": \"ok\"}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    drive(inA);
    AccessRequestView granted = requests.get(inA.id(), fixtures.as("lead"));
    assertThat(granted.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    assertThat(granted.lockbox().decidedBy()).isEqualTo("sso-approver");

    // The requester's own token: separation of duties holds for SSO users too.
    String requester = token("engineer", List.of("support-engineers", "lockbox-approvers"), List.of(b.id()));
    assertThat(call("POST", "/engine-rest/task/" + taskB + "/complete", requester, approve).statusCode()).isEqualTo(403);
    assertThat(call("POST", "/api/lockbox-requests/" + inB.lockbox().id() + "/approve", requester, "{}").statusCode())
        .isEqualTo(403);
  }

  @Test
  void withoutAValidTokenEverythingIs401() {
    String foreignIssuer = PROVIDER.issueToken("another-idp", "sso-approver", "customer-lockbox",
        Map.of("groups", List.of("camunda-admin"))).serialize();
    String otherAudience = PROVIDER.issueToken(ISSUER, "sso-approver", "another-app",
        Map.of("groups", List.of("camunda-admin"))).serialize();
    for (String path : List.of("/api/access-requests", "/engine-rest/task")) {
      assertThat(call("GET", path, null, null).statusCode()).isEqualTo(401);
      assertThat(call("GET", path, foreignIssuer, null).statusCode()).isEqualTo(401);
      assertThat(call("GET", path, otherAudience, null).statusCode()).isEqualTo(401);
      assertThat(call("GET", path, "not-a-token", null).statusCode()).isEqualTo(401);
    }
    String lead = token("sso-lead", List.of("support-leads"), List.of());
    assertThat(call("GET", "/api/access-requests", lead, null).statusCode()).isEqualTo(200);
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
    HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NORMAL).build();

    HttpResponse<String> tasklist = get(browser, "/camunda/app/tasklist/default/");
    assertThat(tasklist.statusCode()).as(tasklist.uri().toString()).isEqualTo(200);
    assertThat(tasklist.uri().getPath()).isEqualTo("/camunda/app/tasklist/default/");
    HttpResponse<String> me = get(browser, "/camunda/api/admin/auth/user/default");
    assertThat(me.body()).contains("\"userId\":\"sso-tasklist-approver\"").contains("tasklist");
    HttpResponse<String> tasks = get(browser, "/camunda/api/engine/engine/default/task?maxResults=1000");
    assertThat(tasks.statusCode()).isEqualTo(200);
    assertThat(tasks.body()).contains(taskA).doesNotContain(taskB);
  }

  private HttpResponse<String> get(HttpClient browser, String path) {
    try {
      return browser.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
          .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String token(String user, List<String> groups, List<String> tenants) {
    return PROVIDER.issueToken(ISSUER, user, "customer-lockbox",
        Map.of("preferred_username", user, "groups", groups, "tenants", tenants)).serialize();
  }

  private HttpResponse<String> call(String method, String path, String token, String json) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
        .header("Accept", "application/json");
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private AccessRequestView pendingLockbox(TestTenant tenant) {
    AccessRequestView created = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("engineer"));
    drive(created);
    return requests.get(created.id(), fixtures.as("engineer"));
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

  private String task(AccessRequestView request) {
    return taskService.createTaskQuery().processInstanceId(request.processInstanceId())
        .taskDefinitionKey(ProcessModel.CUSTOMER_APPROVAL_TASK).singleResult().getId();
  }
}
