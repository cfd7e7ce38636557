package io.customerlockbox.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.ApplicationTest;
import io.customerlockbox.ApiClient.Response;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.request.AccessLevel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.mock.env.MockEnvironment;

/** Health, probes and metrics over real HTTP, as a load balancer, an orchestrator and Prometheus see them. */
// Spring Boot turns metrics export off in tests unless asked: here the export is the subject.
@AutoConfigureObservability(tracing = false)
class OperationsTest extends ApplicationTest {


  @Test
  void anyoneMayProbeHealthButOnlyASignedInUserSeesTheParts() {
    Response anonymous = api.anonymous().get("/actuator/health");
    assertThat(anonymous.status()).isEqualTo(200);
    assertThat(anonymous.json().path("status").asText()).isEqualTo("UP");
    assertThat(anonymous.json().has("components")).isFalse();

    Response operator = api.as("operator", "demo").get("/actuator/health");
    assertThat(operator.status()).isEqualTo(200);
    assertThat(operator.json().path("components").path("db").path("status").asText()).isEqualTo("UP");
    assertThat(operator.json().path("components").path("processEngine").path("status").asText()).isEqualTo("UP");

    assertThat(api.anonymous().get("/actuator/health/liveness").status()).isEqualTo(200);
    Response readiness = api.anonymous().get("/actuator/health/readiness");
    assertThat(readiness.status()).isEqualTo(200);
    assertThat(readiness.json().path("status").asText()).isEqualTo("UP");
  }

  @Test
  void metricsAreForOperators() {
    assertThat(api.anonymous().get("/actuator/prometheus").status()).isEqualTo(401);
    assertThat(api.as("engineer", "demo").get("/actuator/prometheus").status()).isEqualTo(403);
    assertThat(api.as("operator", "demo").get("/actuator/prometheus").status()).isEqualTo(200);
    assertThat(api.as("admin", "demo").get("/actuator/prometheus").status()).isEqualTo(200);
  }

  /**
   * Each number by value: a counter moves by one when its event happens, a gauge shows what the
   * database holds. The gauges keep a snapshot for 10 seconds of the engine's clock; each scrape
   * here moves that clock on, so it sees a fresh one.
   */
  @Test
  void prometheusCountsRequestsByStatusPendingApprovalsBacklogIncidentsAndDecisionLatencyByValue() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    Map<String, Double> before = scrape(1);

    Response created = api.as("engineer", "demo").post("/api/access-requests",
        Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ));
    assertThat(created.status()).isEqualTo(201);
    drive(created.json().path("id").asText());
    Map<String, Double> waiting = scrape(2);
    assertThat(waiting.get(PENDING)).isEqualTo(before.get(PENDING) + 1);
    assertThat(waiting.get(PENDING_CUSTOMER)).isEqualTo(before.get(PENDING_CUSTOMER) + 1)
        .isEqualTo(count("lockbox_request where status = 'ACTION_NEEDED'"));
    assertThat(waiting.get(CREATED)).isEqualTo(before.get(CREATED) + 1);
    assertThat(waiting.get(BACKLOG)).isEqualTo(managementService.createJobQuery().executable().count());
    assertThat(waiting.get(FAILED)).isEqualTo(managementService.createJobQuery().noRetriesLeft().count());
    assertThat(waiting.get(INCIDENTS)).isEqualTo(runtimeService.createIncidentQuery().count());

    String lockbox = jdbc.queryForObject("select id from lockbox_request where access_request_id = ?", String.class,
        created.json().path("id").asText());
    assertThat(api.as(tenant.approver(), Fixtures.PASSWORD).post("/api/lockbox-requests/" + lockbox + "/approve",
        "{\"comment\":\"ok\"}").status()).isEqualTo(200);
    drive(created.json().path("id").asText());
    Map<String, Double> granted = scrape(3);
    assertThat(granted.get(APPROVED_LATENCY)).isEqualTo(before.get(APPROVED_LATENCY) + 1);
    assertThat(granted.get(PENDING)).isEqualTo(before.get(PENDING));
    assertThat(granted.get(GRANTED)).isEqualTo(before.get(GRANTED) + 1)
        .isEqualTo(count("access_request where status = 'ACCESS_GRANTED'"));
  }

  private static final String PENDING = "lockbox_requests{application=\"customer-lockbox\",status=\"PENDING_CUSTOMER_APPROVAL\"}";
  private static final String GRANTED = "lockbox_requests{application=\"customer-lockbox\",status=\"ACCESS_GRANTED\"}";
  private static final String PENDING_CUSTOMER = "lockbox_approvals_pending{application=\"customer-lockbox\",kind=\"customer\"}";
  private static final String BACKLOG = "lockbox_jobs_backlog{application=\"customer-lockbox\"}";
  private static final String FAILED = "lockbox_jobs_failed{application=\"customer-lockbox\"}";
  private static final String INCIDENTS = "lockbox_incidents{application=\"customer-lockbox\"}";
  private static final String APPROVED_LATENCY =
      "lockbox_decision_latency_seconds_count{application=\"customer-lockbox\",decision=\"APPROVE\"}";
  /** Spring's own instrumentation: HTTP answers by URI and status. */
  private static final String CREATED = "http_server_requests_seconds_count{application=\"customer-lockbox\","
      + "error=\"none\",exception=\"none\",method=\"POST\",outcome=\"SUCCESS\",status=\"201\","
      + "uri=\"/api/access-requests\"}";

  /** Prometheus' page as an operator's scraper reads it, {@code n} snapshot periods on: each series by value. */
  private Map<String, Double> scrape(int n) {
    ClockUtil.offset(LockboxMetrics.REFRESH.plusSeconds(1).multipliedBy(n).toMillis());
    Response page = api.as("operator", "demo").get("/actuator/prometheus");
    assertThat(page.status()).isEqualTo(200);
    Map<String, Double> series = new HashMap<>();
    page.body().lines().filter(line -> !line.startsWith("#") && line.contains(" ")).forEach(line ->
        series.put(line.substring(0, line.lastIndexOf(' ')), Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))));
    // A series not scraped yet (no such answer so far) counts zero.
    for (String name : List.of(PENDING, GRANTED, PENDING_CUSTOMER, BACKLOG, FAILED, INCIDENTS, APPROVED_LATENCY,
        CREATED)) {
      series.putIfAbsent(name, 0.0);
    }
    return series;
  }

  private double count(String tableAndWhere) {
    return jdbc.queryForObject("select count(*) from " + tableAndWhere, Double.class);
  }

  @Test
  void logFormatJsonSwitchesTheConsoleToStructuredLogs() {
    MockEnvironment json = new MockEnvironment().withProperty("LOG_FORMAT", "json");
    new JsonLogFormat().postProcessEnvironment(json, null);
    assertThat(json.getProperty("logging.structured.format.console")).isEqualTo("ecs");

    MockEnvironment plain = new MockEnvironment();
    new JsonLogFormat().postProcessEnvironment(plain, null);
    assertThat(plain.getProperty("logging.structured.format.console")).isNull();
  }
}
