package io.customerlockbox.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.customerlockbox.ApplicationTest;
import io.customerlockbox.ApiClient;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.JobDriver;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.process.ProcessModel;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.request.NewAccessRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.TestPropertySource;

/**
 * Webhooks over real HTTP: a tenant admin registers a local receiver, which gets each
 * notification once as signed JSON and verifies the signature as docs/notifications.md tells receivers to;
 * a receiver that fails is retried without holding up the lockbox flow.
 */
@TestPropertySource(properties = "lockbox.webhooks.allow-private-addresses=true")
class WebhookTest extends ApplicationTest {

  record Received(Map<String, String> headers, String body) {}

  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  @Autowired AccessRequestService requests;

  HttpServer receiver;
  final List<Received> received = new CopyOnWriteArrayList<>();
  final AtomicInteger failuresToAnswer = new AtomicInteger();

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hooks/lockbox", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      int status = failuresToAnswer.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : 204;
      if (status == 204) {
        var h = exchange.getRequestHeaders();
        // Where the tenant's chain stands, as committed, while the delivery is in flight.
        String chainNow = db.sql("select c.last_seq, c.last_hash from audit_chain c "
                + "join access_request r on r.tenant_id = c.chain_id where r.id = ?")
            .param(requestOf(body)).query((rs, n) -> rs.getLong(1) + ":" + rs.getString(2)).single();
        received.add(new Received(Map.of(
            "timestamp", h.getFirst("X-Lockbox-Timestamp"), "signature", h.getFirst("X-Lockbox-Signature"),
            "delivery", h.getFirst("X-Lockbox-Delivery"), "event", h.getFirst("X-Lockbox-Event"),
            "contentType", h.getFirst("Content-Type"), "auditHead", h.getFirst("X-Lockbox-Audit-Head"),
            "chainNow", chainNow), body));
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  @Test
  void theReceiverGetsEachNotificationOnceSignedAndVerifiesTheSignature() throws Exception {
    ClockUtil.setCurrentTime(Date.from(START));
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    String secret = register(tenant);

    AccessRequestView request = create(tenant);
    drive(request);
    assertThat(requests.get(request.id(), fixtures.as("lead")).status())
        .isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);

    assertThat(received).hasSize(1);
    Received created = received.get(0);
    assertThat(created.headers()).containsEntry("event", "LOCKBOX_REQUEST_CREATED")
        .containsEntry("contentType", "application/json");
    assertThat(verify(secret, created)).isTrue();
    assertThat(verify("not-the-secret", created)).isFalse();
    // Signed at the engine's time: receivers refuse deliveries too far from their own clock.
    assertThat(created.headers().get("timestamp")).isEqualTo(Long.toString(START.getEpochSecond()));
    JsonNode body = mapper.readTree(created.body());
    assertThat(body.path("event").asText()).isEqualTo("LOCKBOX_REQUEST_CREATED");
    assertThat(body.path("accessRequestId").asText()).isEqualTo(request.id());
    assertThat(body.path("tenantId").asText()).isEqualTo(tenant.id());
    assertThat(body.path("lockbox").path("status").asText()).isEqualTo("ACTION_NEEDED");
    assertThat(body.path("deliveryId").asText()).isEqualTo(created.headers().get("delivery"));
    // The tenant's audit chain head as it stood when the delivery went out, in a header and in the signed body.
    assertThat(created.headers().get("auditHead")).matches("[0-9]+:[0-9a-f]{64}")
        .isEqualTo(created.headers().get("chainNow"))
        .isEqualTo(body.path("auditHead").path("position").asLong() + ":" + body.path("auditHead").path("hash").asText());

    // A retried job does not deliver again what the receiver already took.
    drive(request);
    assertThat(received).hasSize(1);
  }

  @Test
  void aFailingReceiverIsRetriedWhileTheFlowGoesOn() throws Exception {
    ClockUtil.setCurrentTime(Date.from(START));
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    String secret = register(tenant);
    failuresToAnswer.set(1);

    AccessRequestView request = create(tenant);
    jobs.executeDueJobs(request.processInstanceId());
    Job call = webhookJob(request);
    assertThatThrownBy(() -> managementService.executeJob(call.getId())).hasStackTraceContaining("answered 503");

    Job retried = webhookJob(request);
    assertThat(retried.getRetries()).isEqualTo(4);
    // Backoff: the next attempt is due a minute later (the model's PT1M,PT5M,PT30M,PT2H).
    assertThat(retried.getDuedate()).isEqualTo(Date.from(START.plus(Duration.ofMinutes(1))));
    assertThat(requests.get(request.id(), fixtures.as("lead")).status())
        .isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);
    assertThat(received).isEmpty();

    managementService.executeJob(retried.getId());
    assertThat(received).hasSize(1);
    assertThat(verify(secret, received.get(0))).isTrue();
  }

  @Test
  void onlyTheTenantsAdminsManageItsWebhooksAndTheSecretIsShownOnce() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    String path = "/api/tenants/" + tenant.id() + "/webhooks";

    assertThat(api.as(tenant.approver(), Fixtures.PASSWORD).post(path, Map.of("url", "https://hooks.example/x"))
        .status()).isEqualTo(403);
    assertThat(api.as("engineer", "demo").get(path).status()).isEqualTo(403);
    assertThat(api.as(tenant.admin(), Fixtures.PASSWORD).post(path, Map.of("url", "ftp://hooks.example/x"))
        .json().path("field").asText()).isEqualTo("url");

    ApiClient.Response created = api.as(tenant.admin(), Fixtures.PASSWORD)
        .post(path, Map.of("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/lockbox"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("secret").asText()).hasSize(64);
    JsonNode listed = api.as(tenant.admin(), Fixtures.PASSWORD).get(path).json();
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).has("secret")).isFalse();

    String id = created.json().path("id").asText();
    assertThat(api.as(tenant.admin(), Fixtures.PASSWORD).send(HttpMethod.DELETE, path + "/" + id, null, null)
        .status()).isEqualTo(204);
    assertThat(api.as(tenant.admin(), Fixtures.PASSWORD).get(path).json()).isEmpty();
  }

  /** What docs/notifications.md tells a receiver to do: HMAC-SHA256 over timestamp + "." + body, compared in constant time. */
  static boolean verify(String secret, Received delivery) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] expected = mac.doFinal((delivery.headers().get("timestamp") + "." + delivery.body())
        .getBytes(StandardCharsets.UTF_8));
    String header = delivery.headers().get("signature");
    return header.startsWith("sha256=") && MessageDigest.isEqual(
        HexFormat.of().parseHex(header.substring("sha256=".length())), expected);
  }

  private String register(TestTenant tenant) {
    ApiClient.Response created = api.as(tenant.admin(), Fixtures.PASSWORD)
        .post("/api/tenants/" + tenant.id() + "/webhooks",
            Map.of("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/lockbox"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().path("secret").asText();
  }

  private String requestOf(String body) {
    try {
      return mapper.readTree(body).path("accessRequestId").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private AccessRequestView create(TestTenant tenant) {
    return requests.create(new NewAccessRequest(tenant.id(), tenant.prod(), "SR-" + tenant.id(),
        "Investigate the failing nightly export job", AccessLevel.READ, true, true, null, null),
        fixtures.as("engineer"));
  }

  private void drive(AccessRequestView request) {
    drive(request.id());
  }

  private Job webhookJob(AccessRequestView request) {
    String notification = JobDriver.instancesOfRequest(runtimeService, request.id())
        .processDefinitionKey(ProcessModel.NOTIFICATION_PROCESS_KEY).singleResult().getId();
    return managementService.createJobQuery().processInstanceId(notification).activityId("Task_CallWebhooks")
        .singleResult();
  }
}
