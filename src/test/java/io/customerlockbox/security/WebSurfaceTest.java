package io.customerlockbox.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.process.ProcessModel;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestView;
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

/** Headers, cookies, error bodies and size limits, as a browser or a client sees them. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"demo", "test"})
@Import(Fixtures.class)
class WebSurfaceTest {

  @LocalServerPort int port;
  @Autowired Fixtures fixtures;
  @Autowired AccessRequestService requests;
  @Autowired ManagementService managementService;
  @Autowired TaskService taskService;

  @Test
  void everyPageCarriesSecurityHeaders() {
    WebClient client = new WebClient(port);
    HttpResponse<String> tasklist = client.get("/camunda/app/tasklist/default/");
    assertThat(tasklist.statusCode()).isEqualTo(200);
    assertThat(tasklist.headers().firstValue("Content-Security-Policy")).get().asString()
        .contains("frame-ancestors 'none'").contains("object-src 'none'");
    assertThat(tasklist.headers().allValues("Content-Security-Policy")).hasSize(1);
    assertThat(tasklist.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(tasklist.headers().firstValue("X-Frame-Options")).isPresent();

    HttpResponse<String> api = new WebClient(port).basic("GET", "/api/access-requests", "lead", "demo", null);
    assertThat(api.statusCode()).isEqualTo(200);
    assertThat(api.headers().firstValue("Content-Security-Policy")).contains(SecurityConfig.API_CSP);
    assertThat(api.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(api.headers().firstValue("X-Frame-Options")).contains("DENY");
    assertThat(api.headers().firstValue("Set-Cookie")).isEmpty();

    HttpResponse<String> missing = client.get("/no-such-page");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Security-Policy")).contains(SecurityConfig.PAGE_CSP);
    assertThat(missing.body()).doesNotContain("trace").doesNotContain("Exception");
    HttpResponse<String> missingPage = client.page("/no-such-page");
    assertThat(missingPage.statusCode()).isEqualTo(404);
    assertThat(missingPage.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
    assertThat(missingPage.body()).doesNotContain("Exception").doesNotContain("at org.");
  }

  @Test
  void webappCookiesAreHttpOnlyAndSameSite() {
    WebClient client = new WebClient(port);
    HttpResponse<String> page = client.get("/camunda/app/tasklist/");
    assertThat(page.headers().allValues("Set-Cookie")).anySatisfy(cookie ->
        assertThat(cookie).startsWith("XSRF-TOKEN=").contains("SameSite=Strict"));
    HttpResponse<String> login = client.loginToTasklist("contoso-approver", "demo");
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.headers().allValues("Set-Cookie")).anySatisfy(cookie ->
        assertThat(cookie).startsWith("JSESSIONID=").contains("HttpOnly").containsIgnoringCase("SameSite=Lax"));
  }

  @Test
  void errorBodiesCarryNoInternalsAndListenerRefusalsAreNot500() {
    WebClient client = new WebClient(port);
    HttpResponse<String> badJson = client.basic("POST", "/api/access-requests", "engineer", "demo", "{\"tenantId\": ");
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(badJson.body()).doesNotContain("Exception").doesNotContain("at io.");

    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("engineer"));
    for (int round = 0; round < 10; round++) {
      List<Job> jobs = managementService.createJobQuery().processInstanceId(request.processInstanceId()).messages().list();
      jobs.forEach(job -> managementService.executeJob(job.getId()));
    }
    String task = taskService.createTaskQuery().processInstanceId(request.processInstanceId()).singleResult().getId();
    HttpResponse<String> denyWithoutComment = client.basic("POST", "/engine-rest/task/" + task + "/complete",
        tenant.approver(), Fixtures.PASSWORD,
        "{\"variables\": {\"" + ProcessModel.LOCKBOX_DECISION + "\": {\"value\": \"DENY\"}}}");
    assertThat(denyWithoutComment.statusCode()).isEqualTo(400);
    assertThat(denyWithoutComment.body()).contains("say why you deny").doesNotContain("ENGINE-03051");
  }

  @Test
  void requestBodiesAreLimited() {
    WebClient client = new WebClient(port);
    String huge = "{\"justification\": \"" + "x".repeat(100_000) + "\"}";
    HttpResponse<String> answer = client.basic("POST", "/api/access-requests", "engineer", "demo", huge);
    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(answer.body()).contains("at most 65536 bytes");
  }
}
