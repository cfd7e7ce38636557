package io.customerlockbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.customerlockbox.ApiClient.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walk-through of docs/api.md, against the product as users run it: the real application on the
 * demo profile only, job executor on, an H2 file database, real HTTP with the demo users. Timers
 * are never waited for: as an operator would, the admin executes the timer job through the
 * engine REST API. Then the application is stopped and started again on the same database, and
 * nothing may be lost or deployed twice.
 *
 * <p>The engine's clock is never touched: every instant is the real one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoWalkthroughTest {

  private static final String PASSWORD = "demo";
  private static final String PROCESS_KEY = "LockboxAccessRequestProcess";
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  /** Static: an instance field would get a new directory for each step, and the restart a new database. */
  @TempDir
  static Path dataDir;

  private Node app;

  // What the steps leave behind for the restart.
  private String grantedSandboxRequest;
  private String waitingWriteRequest;
  private Map<String, String> statusesBeforeStop;
  private Deployed deployedBeforeStop;

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  @Order(1)
  void readRequestOnAProtectedEnvironmentWaitsForTheCustomer() throws Exception {
    start();
    // 1. The engineer asks for READ access to a managed environment of a protected tenant.
    String id = createRequest("contoso", "contoso-prod", "READ").path("id").asText();

    JsonNode waiting = awaitCustomerTask(id);
    assertThat(waiting.path("lockbox").path("status").asText()).isEqualTo("ACTION_NEEDED");
    assertThat(waiting.path("lockbox").path("accessPeriod").asText()).isEqualTo("PT8H");
    assertThat(Duration.between(instant(waiting, "lockbox", "requestedAt"), instant(waiting, "lockbox", "expiresAt")))
        .isEqualTo(Duration.ofDays(4));
    assertThat(waiting.path("grant").isNull()).isTrue();

    String lockboxId = waiting.path("lockbox").path("id").asText();
    JsonNode recent = get("contoso-approver", "/api/tenants/contoso/lockbox-requests?days=28").json();
    assertThat(recent).anySatisfy(row -> {
      assertThat(row.path("id").asText()).isEqualTo(lockboxId);
      assertThat(row.path("status").asText()).isEqualTo("ACTION_NEEDED");
    });
    // The engine REST API runs as the caller: only the customer's approvers see the task.
    String tasks = "/engine-rest/task?processInstanceId=" + waiting.path("processInstanceId").asText();
    assertThat(get("engineer", tasks).json()).isEmpty();
    assertThat(get("fabrikam-admin", tasks).json()).isEmpty();

    // 2. The requester cannot approve their own request, and nothing changes.
    assertThat(post("engineer", "/api/lockbox-requests/" + lockboxId + "/approve", null).status()).isEqualTo(403);
    JsonNode unchanged = request(id);
    assertThat(unchanged.path("status").asText()).isEqualTo("PENDING_CUSTOMER_APPROVAL");
    assertThat(unchanged.path("lockbox").path("status").asText()).isEqualTo("ACTION_NEEDED");
    assertThat(unchanged.path("lockbox").path("decidedBy").isNull()).isTrue();
    assertThat(check("contoso-prod", "engineer").path("allowed").asBoolean()).isFalse();

    // 3. The customer's approver approves: access for exactly eight hours.
    Response approved = post("contoso-approver", "/api/lockbox-requests/" + lockboxId + "/approve",
        "{\"comment\":\"go ahead\"}");
    assertThat(approved.status()).isEqualTo(200);
    assertThat(approved.json().path("status").asText()).isEqualTo("APPROVED");
    JsonNode granted = awaitStatus(id, "ACCESS_GRANTED");
    assertThat(granted.path("lockbox").path("decidedBy").asText()).isEqualTo("contoso-approver");
    assertThat(Duration.between(instant(granted, "grant", "grantedAt"), instant(granted, "grant", "expiresAt")))
        .isEqualTo(Duration.ofHours(8));
    JsonNode allowed = check("contoso-prod", "engineer");
    assertThat(allowed.path("allowed").asBoolean()).isTrue();
    assertThat(Instant.parse(allowed.path("expiresAt").asText())).isEqualTo(instant(granted, "grant", "expiresAt"));

    // 4. Eight hours later, as an operator forces it: the access-period timer revokes access.
    executeTimer(granted.path("processInstanceId").asText(), "Event_AccessPeriodOver");
    JsonNode ended = request(id);
    assertThat(ended.path("status").asText()).isEqualTo("ACCESS_ENDED");
    assertThat(ended.path("grant").path("endReason").asText()).isEqualTo("EXPIRED");
    assertThat(check("contoso-prod", "engineer").path("allowed").asBoolean()).isFalse();
  }

  @Test
  @Order(2)
  void unansweredRequestExpiresAndALateApprovalIsRefused() throws Exception {
    String id = createRequest("contoso", "contoso-prod", "READ").path("id").asText();
    JsonNode waiting = awaitCustomerTask(id);

    executeTimer(waiting.path("processInstanceId").asText(), "BoundaryEvent_ApprovalOverdue");

    JsonNode expired = request(id);
    assertThat(expired.path("status").asText()).isEqualTo("EXPIRED");
    assertThat(expired.path("lockbox").path("status").asText()).isEqualTo("EXPIRED");
    assertThat(expired.path("grant").isNull()).isTrue();
    Response late = post("contoso-approver", "/api/lockbox-requests/" + waiting.path("lockbox").path("id").asText()
        + "/approve", "{\"comment\":\"sorry, was away\"}");
    assertThat(late.status()).isEqualTo(409);
    assertThat(request(id).path("status").asText()).isEqualTo("EXPIRED");
    assertThat(check("contoso-prod", "engineer").path("allowed").asBoolean()).isFalse();
  }

  @Test
  @Order(3)
  void customerDeniesWithAComment() throws Exception {
    String id = createRequest("contoso", "contoso-prod", "READ").path("id").asText();
    String lockboxId = awaitCustomerTask(id).path("lockbox").path("id").asText();

    Response denied = post("contoso-approver", "/api/lockbox-requests/" + lockboxId + "/deny",
        "{\"comment\":\"not during quarter close\"}");

    assertThat(denied.status()).isEqualTo(200);
    JsonNode view = awaitStatus(id, "DENIED");
    assertThat(view.path("lockbox").path("status").asText()).isEqualTo("DENIED");
    assertThat(view.path("lockbox").path("comment").asText()).isEqualTo("not during quarter close");
    assertThat(view.path("grant").isNull()).isTrue();
    assertThat(check("contoso-prod", "engineer").path("allowed").asBoolean()).isFalse();
  }

  @Test
  @Order(4)
  void unprotectedEnvironmentsAreGrantedWithoutALockboxRequest() throws Exception {
    // contoso-sandbox is not managed; fabrikam's lockbox policy is off.
    grantedSandboxRequest = createRequest("contoso", "contoso-sandbox", "READ").path("id").asText();
    String fabrikam = createRequest("fabrikam", "fabrikam-prod", "READ").path("id").asText();

    for (String id : List.of(grantedSandboxRequest, fabrikam)) {
      JsonNode granted = awaitStatus(id, "ACCESS_GRANTED");
      assertThat(granted.path("lockbox").isNull()).isTrue();
      assertThat(Duration.between(instant(granted, "grant", "grantedAt"), instant(granted, "grant", "expiresAt")))
          .isEqualTo(Duration.ofHours(8));
    }
    assertThat(check("contoso-sandbox", "engineer").path("allowed").asBoolean()).isTrue();
    assertThat(check("fabrikam-prod", "engineer").path("allowed").asBoolean()).isTrue();
  }

  @Test
  @Order(5)
  void writeRequestWaitsForASupportLeadThenForTheCustomer() throws Exception {
    waitingWriteRequest = createRequest("contoso", "contoso-prod", "WRITE").path("id").asText();
    awaitStatus(waitingWriteRequest, "PENDING_INTERNAL_APPROVAL");

    Response byEngineer = post("engineer", "/api/access-requests/" + waitingWriteRequest + "/internal-approval",
        "{\"approved\":true,\"comment\":\"trust me\"}");
    assertThat(byEngineer.status()).isEqualTo(403);
    assertThat(request(waitingWriteRequest).path("status").asText()).isEqualTo("PENDING_INTERNAL_APPROVAL");

    Response byLead = post("lead", "/api/access-requests/" + waitingWriteRequest + "/internal-approval",
        "{\"approved\":true,\"comment\":\"needed for the fix\"}");
    assertThat(byLead.status()).isEqualTo(200);
    JsonNode waiting = awaitCustomerTask(waitingWriteRequest);
    assertThat(waiting.path("internalApproval").path("decidedBy").asText()).isEqualTo("lead");
    assertThat(waiting.path("lockbox").path("status").asText()).isEqualTo("ACTION_NEEDED");
  }

  @Test
  @Order(6)
  void badInputIsRefusedNamingTheFieldAndStoresNothing() throws Exception {
    int before = get("admin", "/api/access-requests").json().size();

    Response noJustification = post("engineer", "/api/access-requests", """
        {"tenantId":"contoso","environmentId":"contoso-prod","supportTicketId":"SR-1001","accessLevel":"READ",
         "isolatedIdentity":true,"mfaVerified":true}""");
    assertThat(noJustification.status()).isEqualTo(400);
    assertThat(noJustification.json().path("field").asText()).isEqualTo("justification");

    Response mfaAsText = post("engineer", "/api/access-requests", """
        {"tenantId":"contoso","environmentId":"contoso-prod","supportTicketId":"SR-1001",
         "justification":"Investigate the failing nightly export job","accessLevel":"READ",
         "isolatedIdentity":true,"mfaVerified":"yes"}""");
    assertThat(mfaAsText.status()).isEqualTo(400);
    assertThat(mfaAsText.json().path("field").asText()).isEqualTo("mfaVerified");

    assertThat(get("admin", "/api/access-requests").json().size()).isEqualTo(before);
  }

  @Test
  @Order(7)
  void nobodyGetsInWithoutCredentials() throws Exception {
    assertThat(get(null, "/api/access-requests").status()).isEqualTo(401);
    assertThat(get(null, "/engine-rest/task").status()).isEqualTo(401);
  }

  @Test
  @Order(8)
  void tasklistIsServed() throws Exception {
    Response tasklist = get(null, "/camunda/app/tasklist/default/");
    assertThat(tasklist.status()).isEqualTo(200);
    assertThat(tasklist.contentType().toString()).startsWith("text/html");
    assertThat(tasklist.body()).containsIgnoringCase("<html");
  }

  @Test
  @Order(9)
  void aRestartKeepsEveryRequestAndDeploysNothingNew() throws Exception {
    quiesce();
    statusesBeforeStop = statuses();
    deployedBeforeStop = deployed();
    assertThat(statusesBeforeStop).containsEntry(grantedSandboxRequest, "ACCESS_GRANTED")
        .containsEntry(waitingWriteRequest, "PENDING_CUSTOMER_APPROVAL")
        .containsValues("ACCESS_ENDED", "EXPIRED", "DENIED");
    // A fresh database gets one deployment: the process, its rules and its forms together.
    assertThat(deployedBeforeStop.deployments()).isEqualTo(1);
    assertThat(deployedBeforeStop.processDefinitions()).anySatisfy(d -> assertThat(d).startsWith(PROCESS_KEY + ":1:"));

    app.close();
    app = null;
    start();

    assertThat(deployed()).isEqualTo(deployedBeforeStop);
    assertThat(statuses()).isEqualTo(statusesBeforeStop);

    // The request that waited for the customer across the restart can still be approved.
    JsonNode waiting = awaitCustomerTask(waitingWriteRequest);
    Response approved = post("contoso-approver",
        "/api/lockbox-requests/" + waiting.path("lockbox").path("id").asText() + "/approve", "{\"comment\":\"ok\"}");
    assertThat(approved.status()).isEqualTo(200);
    JsonNode granted = awaitStatus(waitingWriteRequest, "ACCESS_GRANTED");
    assertThat(Duration.between(instant(granted, "grant", "grantedAt"), instant(granted, "grant", "expiresAt")))
        .isEqualTo(Duration.ofHours(8));
    assertThat(check("contoso-prod", "engineer").path("allowed").asBoolean()).isTrue();

    // The access granted before the stop still ends when its timer fires.
    executeTimer(request(grantedSandboxRequest).path("processInstanceId").asText(), "Event_AccessPeriodOver");
    assertThat(request(grantedSandboxRequest).path("status").asText()).isEqualTo("ACCESS_ENDED");
    assertThat(check("contoso-sandbox", "engineer").path("allowed").asBoolean()).isFalse();
  }

  // --- the application

  private void start() {
    app = Node.launch("demo", "demo", context -> { },
        "spring.datasource.url=jdbc:h2:file:" + dataDir.resolve("lockbox") + ";DB_CLOSE_ON_EXIT=FALSE");
  }

  /** Waits until no job is due, so the stop interrupts nothing the job executor is doing. */
  private void quiesce() {
    await().atMost(PATIENCE).until(() -> get("admin", "/engine-rest/job/count?executable=true")
        .json().path("count").asInt() == 0);
  }

  record Deployed(int deployments, List<String> processDefinitions, List<String> decisionDefinitions) {}

  private Deployed deployed() throws Exception {
    return new Deployed(get("admin", "/engine-rest/deployment/count").json().path("count").asInt(),
        definitionIds("/engine-rest/process-definition"), definitionIds("/engine-rest/decision-definition"));
  }

  /** key:version:id of every definition. */
  private List<String> definitionIds(String path) throws Exception {
    List<String> ids = new ArrayList<>();
    get("admin", path + "?sortBy=id&sortOrder=asc").json().forEach(d -> ids.add(
        d.path("key").asText() + ":" + d.path("version").asInt() + ":" + d.path("id").asText()));
    return ids;
  }

  private Map<String, String> statuses() throws Exception {
    Map<String, String> statuses = new TreeMap<>();
    get("admin", "/api/access-requests").json()
        .forEach(r -> statuses.put(r.path("id").asText(), r.path("status").asText()));
    return statuses;
  }

  // --- the walk-through's calls

  private JsonNode createRequest(String tenantId, String environmentId, String accessLevel) throws Exception {
    Response created = post("engineer", "/api/access-requests", """
        {"tenantId":"%s","environmentId":"%s","supportTicketId":"SR-1001",
         "justification":"Investigate the failing nightly export job","accessLevel":"%s",
         "isolatedIdentity":true,"mfaVerified":true}""".formatted(tenantId, environmentId, accessLevel));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.headers().getFirst("Location")).isEqualTo("/api/access-requests/" + created.json().path("id").asText());
    return created.json();
  }

  private JsonNode request(String id) throws Exception {
    Response response = get("engineer", "/api/access-requests/" + id);
    assertThat(response.status()).isEqualTo(200);
    return response.json();
  }

  private JsonNode awaitStatus(String id, String status) throws Exception {
    await().atMost(PATIENCE).until(() -> request(id).path("status").asText().equals(status));
    return request(id);
  }

  /**
   * Waits until the request waits for the customer and the approval task is in the approver's
   * Tasklist: the status changes when the lockbox request is created, a step before the task.
   */
  private JsonNode awaitCustomerTask(String id) throws Exception {
    String processInstanceId = awaitStatus(id, "PENDING_CUSTOMER_APPROVAL").path("processInstanceId").asText();
    await().atMost(PATIENCE).until(() -> get("contoso-approver", "/engine-rest/task?processInstanceId="
        + processInstanceId + "&taskDefinitionKey=Task_ReviewLockboxRequest").json().size() == 1);
    return request(id);
  }

  /** What an operator does instead of waiting days: executes the timer job through the engine REST API. */
  private void executeTimer(String processInstanceId, String activityId) throws Exception {
    Response jobs = get("admin", "/engine-rest/job?processInstanceId=" + processInstanceId + "&activityId=" + activityId);
    assertThat(jobs.status()).isEqualTo(200);
    assertThat(jobs.json()).hasSize(1);
    assertThat(post("admin", "/engine-rest/job/" + jobs.json().get(0).path("id").asText() + "/execute", null)
        .status()).isEqualTo(204);
  }

  private JsonNode check(String environmentId, String userId) throws Exception {
    Response response = get("dataplane", "/api/access-grants/check?environmentId=" + environmentId + "&userId=" + userId);
    assertThat(response.status()).isEqualTo(200);
    return response.json();
  }

  private static Instant instant(JsonNode view, String part, String field) {
    return Instant.parse(view.path(part).path(field).asText());
  }

  // --- HTTP

  private Response get(String user, String path) {
    return (user == null ? app.anonymous() : app.as(user, PASSWORD)).get(path);
  }

  private Response post(String user, String path, String body) {
    return app.as(user, PASSWORD).post(path, body);
  }
}
