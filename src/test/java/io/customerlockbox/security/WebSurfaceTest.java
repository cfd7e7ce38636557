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
import io.customerlockbox.request.AccessRequestView;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Headers, cookies, error bodies and size limits, as a browser or a client sees them. */
class WebSurfaceTest extends ApplicationTest {

  @Autowired AccessRequestService requests;

  @Test
  void everyPageCarriesSecurityHeaders() {
    ApiClient client = api.session();
    ApiClient.Response tasklist = client.get("/camunda/app/tasklist/default/");
    assertThat(tasklist.status()).isEqualTo(200);
    assertThat(tasklist.headers().getFirst("Content-Security-Policy"))
        .contains("frame-ancestors 'none'").contains("object-src 'none'");
    assertThat(tasklist.headers().get("Content-Security-Policy")).hasSize(1);
    assertThat(tasklist.headers().getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(tasklist.headers().getFirst("X-Frame-Options")).isNotNull();

    ApiClient.Response apiAnswer = api.as("lead", "demo").get("/api/access-requests");
    assertThat(apiAnswer.status()).isEqualTo(200);
    assertThat(apiAnswer.headers().getFirst("Content-Security-Policy")).isEqualTo(SecurityConfig.API_CSP);
    assertThat(apiAnswer.headers().getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(apiAnswer.headers().getFirst("X-Frame-Options")).isEqualTo("DENY");
    assertThat(apiAnswer.headers().getFirst("Set-Cookie")).isNull();

    ApiClient.Response missing = client.get("/no-such-page");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.headers().getFirst("Content-Security-Policy")).isEqualTo(SecurityConfig.PAGE_CSP);
    assertThat(missing.body()).doesNotContain("trace").doesNotContain("Exception");
    ApiClient.Response missingPage = client.page("/no-such-page");
    assertThat(missingPage.status()).isEqualTo(404);
    assertThat(missingPage.headers().getFirst("Content-Type")).startsWith("text/html");
    assertThat(missingPage.body()).doesNotContain("Exception").doesNotContain("at org.");
  }

  @Test
  void webappCookiesAreHttpOnlyAndSameSite() {
    ApiClient client = api.session();
    ApiClient.Response page = client.get("/camunda/app/tasklist/");
    assertThat(page.headers().get("Set-Cookie")).anySatisfy(cookie ->
        assertThat(cookie).startsWith("XSRF-TOKEN=").contains("SameSite=Strict"));
    ApiClient.Response login = client.loginToTasklist("contoso-approver", "demo");
    assertThat(login.status()).isEqualTo(200);
    assertThat(login.headers().get("Set-Cookie")).anySatisfy(cookie ->
        assertThat(cookie).startsWith("JSESSIONID=").contains("HttpOnly").containsIgnoringCase("SameSite=Lax"));
  }

  @Test
  void errorBodiesCarryNoInternalsAndListenerRefusalsAreNot500() {
    ApiClient client = api.session();
    ApiClient.Response badJson = client.as("engineer", "demo").post("/api/access-requests", "{\"tenantId\": ");
    assertThat(badJson.status()).isEqualTo(400);
    assertThat(badJson.body()).doesNotContain("Exception").doesNotContain("at io.");

    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("engineer"));
    jobs.executeDueJobs(request.processInstanceId());
    String task = taskService.createTaskQuery().processInstanceId(request.processInstanceId()).singleResult().getId();
    ApiClient.Response denyWithoutComment = client.as(tenant.approver(), Fixtures.PASSWORD).post("/engine-rest/task/" + task + "/complete",
        "{\"variables\": {\"" + ProcessModel.LOCKBOX_DECISION + "\": {\"value\": \"DENY\"}}}");
    assertThat(denyWithoutComment.status()).isEqualTo(400);
    assertThat(denyWithoutComment.body()).contains("say why you deny").doesNotContain("ENGINE-03051");
  }

  @Test
  void requestBodiesAreLimited() {
    ApiClient client = api.session();
    String huge = "{\"justification\": \"" + "x".repeat(100_000) + "\"}";
    ApiClient.Response answer = client.as("engineer", "demo").post("/api/access-requests", huge);
    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.body()).contains("at most 65536 bytes");
  }
}
