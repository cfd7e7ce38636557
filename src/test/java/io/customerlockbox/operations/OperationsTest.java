package io.customerlockbox.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.ApplicationTest;
import io.customerlockbox.ApiClient;
import io.customerlockbox.ApiClient.Response;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.JobDriver;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.request.AccessLevel;
import org.junit.jupiter.api.BeforeEach;
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

  @Test
  void prometheusShowsRequestsByStatusPendingApprovalsBacklogIncidentsAndDecisionLatency() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    Response created = api.as("engineer", "demo").post("/api/access-requests",
        Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ));
    assertThat(created.status()).isEqualTo(201);
    jobs.executeDueJobs(created.json().path("processInstanceId").asText());
    String lockbox = jdbc.queryForObject("select id from lockbox_request where access_request_id = ?", String.class,
        created.json().path("id").asText());
    assertThat(api.as(tenant.approver(), Fixtures.PASSWORD).post("/api/lockbox-requests/" + lockbox + "/approve",
        "{\"comment\":\"ok\"}").status()).isEqualTo(200);

    String metrics = api.as("operator", "demo").get("/actuator/prometheus").body();

    assertThat(metrics)
        .contains("lockbox_requests{application=\"customer-lockbox\",status=\"PENDING_CUSTOMER_APPROVAL\"}")
        .contains("lockbox_requests{application=\"customer-lockbox\",status=\"ACCESS_GRANTED\"}")
        .contains("lockbox_approvals_pending{application=\"customer-lockbox\",kind=\"customer\"}")
        .contains("lockbox_approvals_pending{application=\"customer-lockbox\",kind=\"internal\"}")
        .contains("lockbox_jobs_backlog{application=\"customer-lockbox\"}")
        .contains("lockbox_jobs_failed{application=\"customer-lockbox\"}")
        .contains("lockbox_incidents{application=\"customer-lockbox\"}")
        .contains("lockbox_decision_latency_seconds_count{application=\"customer-lockbox\",decision=\"APPROVE\"}")
        // HTTP requests by status, from Spring's own instrumentation.
        .contains("http_server_requests_seconds_count{")
        .contains("status=\"201\"");
    assertThat(metrics.lines().filter(line -> line.startsWith(
        "lockbox_decision_latency_seconds_count{application=\"customer-lockbox\",decision=\"APPROVE\"}")).findFirst()
        .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))).hasValueSatisfying(
            count -> assertThat(count).isGreaterThanOrEqualTo(1.0));
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
