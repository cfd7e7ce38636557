package io.customerlockbox.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.customerlockbox.ApiClient.Response;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Node;
import io.customerlockbox.PostgresDatabase;
import io.customerlockbox.request.AccessLevel;
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
 * timer fires once. Time passes on the engine's clock, while the application is down.
 */
class RestartTest {

  /** Requests of each kind. */
  static final int EACH = 5;

  private static final Duration PATIENCE = Duration.ofMinutes(2);

  @TempDir
  Path dataDir;

  private Node node;

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
    awaitStatus(toExpire, "PENDING_CUSTOMER_APPROVAL");
    awaitIdle();

    // Day 2: requests still waiting after the restart, and access granted whose 8 hours end while down.
    ClockUtil.offset(Duration.ofDays(2).toMillis());
    List<String> waiting = create("contoso-prod");
    List<String> granted = create("contoso-sandbox");
    awaitStatus(waiting, "PENDING_CUSTOMER_APPROVAL");
    awaitStatus(granted, "ACCESS_GRANTED");
    awaitIdle();
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

    awaitStatus(toExpire, "EXPIRED");
    awaitStatus(granted, "ACCESS_ENDED");
    awaitIdle();
    assertThat(statuses(waiting)).containsOnly("PENDING_CUSTOMER_APPROVAL");
    for (String id : waiting) {
      Response approved = node.as("contoso-approver", "demo").post("/api/lockbox-requests/"
          + node.jdbc().queryForObject("select id from lockbox_request where access_request_id = ?", String.class, id)
          + "/approve", "{\"comment\":\"after the restart\"}");
      assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    }
    awaitStatus(waiting, "ACCESS_GRANTED");

    int expiries = fired(toExpire, "BoundaryEvent_ApprovalOverdue");
    int revokes = fired(granted, "Event_AccessPeriodOver");
    int duplicates = duplicates(toExpire, "BoundaryEvent_ApprovalOverdue") + duplicates(granted, "Event_AccessPeriodOver")
        + auditEvents(toExpire, "LOCKBOX_EXPIRED") - EACH + auditEvents(granted, "ACCESS_ENDED") - EACH
        + grants(waiting) - EACH;
    int lost = EACH * 3 - statuses(toExpire).stream().filter("EXPIRED"::equals).toList().size()
        - statuses(granted).stream().filter("ACCESS_ENDED"::equals).toList().size()
        - statuses(waiting).stream().filter("ACCESS_GRANTED"::equals).toList().size();
    System.out.printf("RESTART on the H2 file: requests = %d, timers due during downtime = %d, timers fired = %d, "
        + "duplicates found = %d, lost = %d%n", EACH * 3, EACH * 2, expiries + revokes, duplicates, lost);
    assertThat(expiries).isEqualTo(EACH);
    assertThat(revokes).isEqualTo(EACH);
    assertThat(fired(waiting, "BoundaryEvent_ApprovalOverdue")).isZero();
    assertThat(duplicates).isZero();
    assertThat(lost).isZero();
    assertThat(grants(toExpire)).isZero();
  }

  private void start() {
    node = Node.start("embedded", "demo",
        "spring.datasource.url=jdbc:h2:file:" + dataDir.resolve("lockbox") + ";DB_CLOSE_ON_EXIT=FALSE",
        "camunda.bpm.job-execution.enabled=true");
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

  private void awaitStatus(List<String> ids, String status) {
    await().atMost(PATIENCE).until(() -> statuses(ids).stream().allMatch(status::equals));
  }

  /** No job due or running: only timers wait. */
  private void awaitIdle() {
    await().atMost(PATIENCE).until(() -> node.jdbc().queryForObject(
        "select count(*) from act_ru_job where lock_owner_ is not null or duedate_ is null", Integer.class) == 0);
  }

  private List<String> statuses(List<String> ids) {
    return ids.stream().map(id -> node.jdbc().queryForObject("select status from access_request where id = ?",
        String.class, id)).toList();
  }

  private int fired(List<String> ids, String activityId) {
    return ids.stream().mapToInt(id -> node.jdbc().queryForObject("select count(*) from act_hi_actinst a "
        + "join access_request r on r.process_instance_id = a.proc_inst_id_ where r.id = ? and a.act_id_ = ?",
        Integer.class, id, activityId)).sum();
  }

  private int duplicates(List<String> ids, String activityId) {
    return ids.stream().mapToInt(id -> Math.max(0, fired(List.of(id), activityId) - 1)).sum();
  }

  private int auditEvents(List<String> ids, String type) {
    return ids.stream().mapToInt(id -> node.jdbc().queryForObject(
        "select count(*) from audit_event where request_id = ? and event_type = ?", Integer.class, id, type)).sum();
  }

  private int grants(List<String> ids) {
    return ids.stream().mapToInt(id -> node.jdbc().queryForObject(
        "select count(*) from access_grant where access_request_id = ?", Integer.class, id)).sum();
  }
}
