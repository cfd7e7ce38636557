package io.customerlockbox.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.customerlockbox.ApiClient.Response;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Node;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.reliability.Ledger.Tally;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default stopped and started on its H2 file while requests wait for approval, are
 * granted, and while timers fall due: after the start every request carries on and each overdue
 * timer fires once. Time passes on the engine's clock, while the application is down. Counts are
 * per request, shortfalls and excesses apart, so a missing event never cancels a duplicate.
 */
class RestartTest {

  /** Requests of each kind. */
  static final int EACH = 5;

  private static final Duration PATIENCE = Duration.ofMinutes(2);

  @TempDir
  Path dataDir;

  private Node node;
  private Ledger ledger;

  @AfterEach
  void stop() {
    ClockUtil.reset();
    if (node != null) {
      node.close();
    }
  }

  @Test
  void timersDueDuringTheDowntimeFireOnceAfterTheStart() {
    start();
    // Day 0: requests that will be overdue for an answer when the application comes back.
    List<String> toExpire = create("contoso-prod");
    ledger.awaitIdle(PATIENCE);
    assertThat(ledger.shortOf(toExpire, "PENDING_CUSTOMER_APPROVAL")).as("requests not waiting").isZero();

    // Day 2: requests still waiting after the restart, and access granted whose 8 hours end while down.
    ClockUtil.offset(Duration.ofDays(2).toMillis());
    List<String> waiting = create("contoso-prod");
    List<String> granted = create("contoso-sandbox");
    ledger.awaitIdle(PATIENCE);
    assertThat(ledger.shortOf(waiting, "PENDING_CUSTOMER_APPROVAL")).as("requests not waiting").isZero();
    assertThat(ledger.shortOf(granted, "ACCESS_GRANTED")).as("requests not granted").isZero();
    node.close();
    node = null;

    // Down until day 4 + 1 h: the day-0 requests' 4 days and the grants' 8 hours have passed.
    ClockUtil.offset(Duration.ofDays(4).plusHours(1).toMillis());
    start();

    // What an orchestrator sees of the restarted node: ready, its engine and job executor up.
    assertThat(node.as("operator", "demo").get("/actuator/health/readiness").status()).isEqualTo(200);
    JsonNode health = node.as("operator", "demo").get("/actuator/health").json().path("components");
    assertThat(health.path("processEngine").path("status").asText()).isEqualTo("UP");
    assertThat(health.path("jobExecutor").path("status").asText()).isEqualTo("UP");

    ledger.awaitIdle(PATIENCE);
    assertThat(ledger.statuses(waiting)).containsOnlyKeys("PENDING_CUSTOMER_APPROVAL");
    for (String id : waiting) {
      Response approved = node.as("contoso-approver", "demo").post("/api/lockbox-requests/"
          + node.jdbc().queryForObject("select id from lockbox_request where access_request_id = ?", String.class, id)
          + "/approve", "{\"comment\":\"after the restart\"}");
      assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    }
    ledger.awaitIdle(PATIENCE);

    // Counted per request: what is missing and what is extra, neither hiding the other.
    Tally requests = Ledger.expectEach(toExpire, 1, id -> ledger.inStatus(id, "EXPIRED"))
        .plus(Ledger.expectEach(granted, 1, id -> ledger.inStatus(id, "ACCESS_ENDED")))
        .plus(Ledger.expectEach(waiting, 1, id -> ledger.inStatus(id, "ACCESS_GRANTED")));
    Tally timers = Ledger.expectEach(toExpire, 1, id -> ledger.ran(id, "BoundaryEvent_ApprovalOverdue"))
        .plus(Ledger.expectEach(granted, 1, id -> ledger.ran(id, "Event_AccessPeriodOver")))
        .plus(Ledger.expectEach(waiting, 0, id -> ledger.ran(id, "BoundaryEvent_ApprovalOverdue")));
    Tally events = Ledger.expectEach(toExpire, 1, id -> ledger.auditEvents(id, "LOCKBOX_EXPIRED"))
        .plus(Ledger.expectEach(granted, 1, id -> ledger.auditEvents(id, "ACCESS_ENDED")));
    Tally grants = Ledger.expectEach(waiting, 1, ledger::grants)
        .plus(Ledger.expectEach(toExpire, 0, ledger::grants));
    Tally all = requests.plus(timers).plus(events).plus(grants);
    System.out.printf("RESTART on the H2 file: requests = %d, timers due during downtime = %d, timers fired = %d, "
        + "missing = %d (requests %d, timers %d, audit events %d, grants %d), extra = %d (timers %d, audit events %d, "
        + "grants %d)%n", toExpire.size() + granted.size() + waiting.size(), toExpire.size() + granted.size(),
        ledger.ran(toExpire, "BoundaryEvent_ApprovalOverdue") + ledger.ran(granted, "Event_AccessPeriodOver"),
        all.missing(), requests.missing(), timers.missing(), events.missing(), grants.missing(), all.extra(),
        timers.extra(), events.extra(), grants.extra());
    assertThat(all.missing()).as("missing").isZero();
    assertThat(all.extra()).as("extra").isZero();
  }

  private void start() {
    node = Node.start("embedded", "demo",
        "spring.datasource.url=jdbc:h2:file:" + dataDir.resolve("lockbox") + ";DB_CLOSE_ON_EXIT=FALSE",
        "camunda.bpm.job-execution.enabled=true");
    ledger = new Ledger(node.jdbc());
  }

  private List<String> create(String environmentId) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < EACH; i++) {
      Response created = node.as("engineer", "demo").post("/api/access-requests",
          Fixtures.request("contoso", environmentId, AccessLevel.READ));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      ids.add(created.json().path("id").asText());
    }
    return ids;
  }

}
