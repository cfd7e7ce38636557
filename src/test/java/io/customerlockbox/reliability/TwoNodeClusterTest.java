package io.customerlockbox.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.customerlockbox.ApiClient.Response;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.Node;
import io.customerlockbox.PostgresDatabase;
import io.customerlockbox.audit.AuditVerifier;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.security.IdentityDirectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two application nodes on one PostgreSQL database, each with its own web server, engine and
 * job executor, as the docker/ compose file runs them. Requests are created and decided over
 * HTTP on both nodes; races are started at the same instant; then the engine's clock moves four
 * days on and both job executors drain the timers. Nothing may be lost or happen twice.
 *
 * <p>Both nodes live in this JVM, so they share the engine's clock (ClockUtil is static): moving
 * it moves time for the whole cluster, as time passing would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeClusterTest {

  /** Requests of the cluster run: a quarter each revoked by timer, released, denied, expired. */
  static final int REQUESTS = 200;
  /** Rounds of each race. */
  static final int ROUNDS = 30;

  private static final String ENGINEER = "engineer";
  private static final String DEMO = "demo";
  // Generous: on a busy 2-core CI machine the 200 lifecycles take minutes; a hang still fails.
  private static final Duration PATIENCE = Duration.ofMinutes(8);

  private PostgresDatabase db;
  private Node nodeA;
  private Node nodeB;
  private Fixtures fixtures;
  private ExecutorService threads;
  /** Every tenant the tests made: their audit chains must verify at the end. */
  private final List<TestTenant> tenants = new ArrayList<>();

  @BeforeAll
  void startCluster() {
    db = PostgresDatabase.create("cluster");
    // One after the other, as a rolling start: the first creates the schemas and deploys.
    nodeA = Node.start("node-a", "postgres,demo", Node.postgres(db));
    nodeB = Node.start("node-b", "postgres,demo", Node.postgres(db));
    fixtures = new Fixtures(nodeA.bean(PolicyService.class), nodeA.bean(IdentityService.class),
        nodeA.bean(IdentityDirectory.class));
    threads = Executors.newFixedThreadPool(2);
  }

  private TestTenant tenant(boolean lockboxEnabled) {
    TestTenant tenant = fixtures.tenant(lockboxEnabled, PolicyScope.ALL_MANAGED);
    tenants.add(tenant);
    return tenant;
  }

  @AfterAll
  void stopCluster() throws Exception {
    ClockUtil.reset();
    if (threads != null) {
      threads.shutdownNow();
    }
    for (AutoCloseable closeable : new AutoCloseable[] {nodeB, nodeA, db}) {
      if (closeable != null) {
        closeable.close();
      }
    }
  }

  // --- races

  @Test
  @Order(1)
  void twoApproversDecidingAtOnceHaveExactlyOneOutcome() throws Exception {
    TestTenant tenant = tenant(true);
    List<String> ids = create(tenant, tenant.prod(), ROUNDS);
    awaitCustomerTasks(tenant, ROUNDS);

    Map<String, Integer> outcomes = new TreeMap<>();
    for (String id : ids) {
      String lockboxPath = "/api/lockbox-requests/" + lockboxId(id);
      List<Integer> answers = race(
          () -> nodeA.as(tenant.approver(), Fixtures.PASSWORD).post(lockboxPath + "/approve", "{\"comment\":\"ok\"}"),
          () -> nodeB.as(tenant.admin(), Fixtures.PASSWORD).post(lockboxPath + "/deny", "{\"comment\":\"no\"}"))
          .stream().map(Response::status).toList();
      assertThat(answers).as(id).containsExactlyInAnyOrder(200, 409);
      outcomes.merge(answers.get(0) == 200 ? "approved" : "denied", 1, Integer::sum);
    }
    await().atMost(PATIENCE).until(() -> count(tenant, "status in ('ACCESS_GRANTED', 'DENIED')") == ROUNDS);
    assertThat(count(tenant, "status = 'ACCESS_GRANTED'")).isEqualTo(outcomes.getOrDefault("approved", 0));
    assertThat(grantsPerRequest(tenant)).allSatisfy((id, grants) -> assertThat(grants).as(id).isLessThanOrEqualTo(1));
    assertThat(decisionEvents(tenant)).isEqualTo(ROUNDS);
    assertNoIncidents();
    System.out.printf("RACE approve vs deny: %d rounds, outcomes %s, losers answered 409, 5xx = 0, "
        + "double grants = 0%n", ROUNDS, outcomes);
  }

  @Test
  @Order(2)
  void anApprovalWhileTheFourDayTimerFiresHasExactlyOneOutcome() throws Exception {
    TestTenant tenant = tenant(true);
    List<String> ids = create(tenant, tenant.prod(), ROUNDS);
    awaitCustomerTasks(tenant, ROUNDS);

    Map<String, Integer> outcomes = new TreeMap<>();
    for (String id : ids) {
      String timer = timerJob(id, "BoundaryEvent_ApprovalOverdue");
      String approve = "/api/lockbox-requests/" + lockboxId(id) + "/approve";
      List<Object> results = race(
          () -> nodeB.as(tenant.approver(), Fixtures.PASSWORD).post(approve, "{\"comment\":\"ok\"}").status(),
          () -> executeJob(nodeA, timer));
      int approval = (Integer) results.get(0);
      assertThat(approval).as(id).isIn(200, 409);
      assertThat(results.get(1)).as(id).isEqualTo(approval == 200 ? "lost" : "fired");
      outcomes.merge(approval == 200 ? "approved" : "expired", 1, Integer::sum);
    }
    await().atMost(PATIENCE).until(() -> count(tenant, "status in ('ACCESS_GRANTED', 'EXPIRED')") == ROUNDS);
    assertThat(count(tenant, "status = 'EXPIRED'")).isEqualTo(outcomes.getOrDefault("expired", 0));
    assertThat(timersFired(tenant, "BoundaryEvent_ApprovalOverdue")).isEqualTo(outcomes.getOrDefault("expired", 0));
    assertThat(grantsPerRequest(tenant)).allSatisfy((id, grants) -> assertThat(grants).as(id).isLessThanOrEqualTo(1));
    assertThat(count(tenant, "status = 'EXPIRED' and exists (select 1 from access_grant g "
        + "where g.access_request_id = access_request.id)")).isZero();
    assertNoIncidents();
    System.out.printf("RACE approval vs 4-day timer: %d rounds, outcomes %s, losers answered 409, 5xx = 0, "
        + "double grants = 0%n", ROUNDS, outcomes);
  }

  @Test
  @Order(3)
  void aReleaseWhileTheEightHourTimerFiresHasExactlyOneOutcome() throws Exception {
    // No lockbox policy: access is granted at once.
    TestTenant tenant = tenant(false);
    List<String> ids = create(tenant, tenant.prod(), ROUNDS);
    await().atMost(PATIENCE).until(() -> count(tenant, "status = 'ACCESS_GRANTED'") == ROUNDS);
    awaitNoJobsRunning();

    Map<String, Integer> outcomes = new TreeMap<>();
    for (String id : ids) {
      String timer = timerJob(id, "Event_AccessPeriodOver");
      String release = "/api/access-requests/" + id + "/release";
      List<Object> results = race(
          () -> nodeB.as(ENGINEER, DEMO).post(release, null).status(),
          () -> executeJob(nodeA, timer));
      int released = (Integer) results.get(0);
      assertThat(released).as(id).isIn(200, 409);
      assertThat(results.get(1)).as(id).isEqualTo(released == 200 ? "lost" : "fired");
      String endReason = nodeA.jdbc().queryForObject("select end_reason from access_grant where access_request_id = ?",
          String.class, id);
      assertThat(endReason).as(id).isEqualTo(released == 200 ? "RELEASED" : "EXPIRED");
      outcomes.merge(released == 200 ? "released" : "revoked by timer", 1, Integer::sum);
    }
    assertThat(count(tenant, "status = 'ACCESS_ENDED'")).isEqualTo(ROUNDS);
    assertThat(timersFired(tenant, "Event_AccessPeriodOver")).isEqualTo(outcomes.getOrDefault("revoked by timer", 0));
    assertThat(nodeA.jdbc().queryForObject("select count(*) from audit_event where tenant_id = ? "
        + "and event_type in ('ACCESS_RELEASED', 'ACCESS_ENDED')", Integer.class, tenant.id())).isEqualTo(ROUNDS);
    assertNoIncidents();
    System.out.printf("RACE release vs 8-hour timer: %d rounds, outcomes %s, losers answered 409, 5xx = 0, "
        + "double revokes = 0%n", ROUNDS, outcomes);
  }

  // --- the cluster run

  @Test
  @Order(4)
  void hundredsOfRequestsAcrossTwoNodesEndOnceEach() {
    TestTenant tenant = tenant(true);
    List<String> ids = create(tenant, tenant.prod(), REQUESTS);
    awaitCustomerTasks(tenant, REQUESTS);

    // By index: 0 approved then revoked by the 8 h timer, 1 approved then released,
    // 2 denied, 3 left to expire after 4 days. Every call alternates between the nodes.
    for (int i = 0; i < REQUESTS; i++) {
      String lockboxPath = "/api/lockbox-requests/" + lockboxId(ids.get(i));
      Node node = i % 2 == 0 ? nodeA : nodeB;
      switch (i % 4) {
        case 0, 1 -> assertThat(node.as(tenant.approver(), Fixtures.PASSWORD)
            .post(lockboxPath + "/approve", "{\"comment\":\"ok\"}").status()).isEqualTo(200);
        case 2 -> assertThat(node.as(tenant.admin(), Fixtures.PASSWORD)
            .post(lockboxPath + "/deny", "{\"comment\":\"not now\"}").status()).isEqualTo(200);
        default -> { }
      }
    }
    await().atMost(PATIENCE).until(() -> count(tenant, "status = 'ACCESS_GRANTED'") == REQUESTS / 2);
    for (int i = 1; i < REQUESTS; i += 4) {
      Node node = i % 8 == 1 ? nodeA : nodeB;
      assertThat(node.as(ENGINEER, DEMO).post("/api/access-requests/" + ids.get(i) + "/release", null).status())
          .isEqualTo(200);
    }
    // Nothing may be running when time jumps, or a running job's lock would look expired.
    awaitNoJobsRunning();

    ClockUtil.offset(Duration.ofDays(4).plusHours(1).toMillis());
    await().atMost(PATIENCE).until(() -> count(tenant, "status in ('ACCESS_ENDED', 'DENIED', 'EXPIRED')") == REQUESTS);
    awaitNoJobsRunning();

    int lost = 0;
    for (int i = 0; i < REQUESTS; i++) {
      String expected = switch (i % 4) {
        case 0, 1 -> "ACCESS_ENDED";
        case 2 -> "DENIED";
        default -> "EXPIRED";
      };
      if (!expected.equals(status(ids.get(i)))) {
        lost++;
      }
    }
    int expiries = timersFired(tenant, "BoundaryEvent_ApprovalOverdue");
    int revokes = timersFired(tenant, "Event_AccessPeriodOver");
    int duplicates = duplicateTimers(tenant) + duplicateGrants(tenant) + duplicateAuditEvents(tenant);
    Map<String, Integer> timersByNode = timersByNode(tenant);
    int grants = nodeA.jdbc().queryForObject("select count(*) from access_grant where tenant_id = ?", Integer.class,
        tenant.id());
    int notifications = nodeA.jdbc().queryForObject("select count(*) from sent_notification where recipient in (?, ?)",
        Integer.class, tenant.approver() + "@example.test", tenant.admin() + "@example.test");

    // The tamper-evident trail of every tenant these tests wrote to, events from both nodes.
    List<String> brokenChains = tenants.stream().map(t -> nodeB.bean(AuditVerifier.class).verify(t.id()))
        .filter(verification -> !verification.valid())
        .map(verification -> verification.chain() + ": " + verification.reason()).toList();

    System.out.printf("CLUSTER two nodes on PostgreSQL: requests = %d, timers fired = %d (expiry %d, revoke %d; "
            + "by node %s), grants = %d, notifications = %d, audit chains verified = %d (broken %d), "
            + "duplicates found = %d, lost = %d%n",
        REQUESTS, expiries + revokes, expiries, revokes, timersByNode, grants, notifications, tenants.size(),
        brokenChains.size(), duplicates, lost);
    assertThat(brokenChains).isEmpty();
    assertThat(lost).isZero();
    assertThat(duplicates).isZero();
    assertThat(expiries).isEqualTo(REQUESTS / 4);
    assertThat(revokes).isEqualTo(REQUESTS / 4);
    assertThat(grants).isEqualTo(REQUESTS / 2);
    assertThat(endReasons(tenant)).containsEntry("EXPIRED", REQUESTS / 4).containsEntry("RELEASED", REQUESTS / 4);
    // Every approver was asked about every request, once (reminders and decision notices come on top).
    List<String> asked = nodeA.jdbc().queryForList("select detail from audit_event where tenant_id = ? "
        + "and event_type = 'APPROVERS_NOTIFIED' and detail like 'LOCKBOX_REQUEST_CREATED%'", String.class, tenant.id());
    assertThat(asked).hasSize(REQUESTS).allSatisfy(detail -> assertThat(detail).contains(tenant.approver(), tenant.admin()));
    assertThat(notifications).isGreaterThanOrEqualTo(2 * REQUESTS);
    assertThat(timersByNode).containsKeys("node-a", "node-b");
    assertNoIncidents();
    assertThat(nodeA.management().createJobQuery().processInstanceId(processInstance(ids.get(0))).count()).isZero();
  }

  // --- helpers

  private List<String> create(TestTenant tenant, String environmentId, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Node node = i % 2 == 0 ? nodeA : nodeB;
      Response created = node.as(ENGINEER, DEMO).post("/api/access-requests",
          Fixtures.request(tenant.id(), environmentId, AccessLevel.READ));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      ids.add(created.json().path("id").asText());
    }
    return ids;
  }

  /** Both calls released at the same instant by a barrier; answers their results in order. */
  private <T> List<T> race(Callable<? extends T> first, Callable<? extends T> second) throws Exception {
    CyclicBarrier start = new CyclicBarrier(2);
    Future<? extends T> a = threads.submit(() -> {
      start.await();
      return first.call();
    });
    Future<? extends T> b = threads.submit(() -> {
      start.await();
      return second.call();
    });
    return List.of(a.get(), b.get());
  }

  /** Executes a timer job as a node's job executor would; "lost" when the other party won. */
  private static String executeJob(Node node, String jobId) {
    try {
      node.management().executeJob(jobId);
      return "fired";
    } catch (RuntimeException e) {
      // The winner deleted the job (not found) or changed the execution (optimistic locking).
      return "lost";
    }
  }

  private String timerJob(String requestId, String activityId) {
    Job job = nodeA.management().createJobQuery().processInstanceId(processInstance(requestId))
        .activityId(activityId).singleResult();
    assertThat(job).as(activityId + " of " + requestId).isNotNull();
    return job.getId();
  }

  private void awaitCustomerTasks(TestTenant tenant, int count) {
    await().atMost(PATIENCE).until(() -> jdbc().queryForObject("select count(*) from access_request r "
        + "join act_ru_task t on t.proc_inst_id_ = r.process_instance_id where r.tenant_id = ? "
        + "and t.task_def_key_ = 'Task_ReviewLockboxRequest'", Integer.class, tenant.id()) == count);
  }

  /** No job is due or locked: what is left waits for its timer. */
  private void awaitNoJobsRunning() {
    await().atMost(PATIENCE).until(() -> jdbc().queryForObject("select count(*) from act_ru_job "
        + "where lock_owner_ is not null or duedate_ is null", Integer.class) == 0);
  }

  private String lockboxId(String requestId) {
    return jdbc().queryForObject("select id from lockbox_request where access_request_id = ?", String.class, requestId);
  }

  private String processInstance(String requestId) {
    return jdbc().queryForObject("select process_instance_id from access_request where id = ?", String.class,
        requestId);
  }

  private String status(String requestId) {
    return jdbc().queryForObject("select status from access_request where id = ?", String.class, requestId);
  }

  private int count(TestTenant tenant, String condition) {
    return jdbc().queryForObject("select count(*) from access_request where tenant_id = ? and " + condition,
        Integer.class, tenant.id());
  }

  /** How many times timer {@code activityId} fired for the tenant's requests. */
  private int timersFired(TestTenant tenant, String activityId) {
    return jdbc().queryForObject("select count(*) from act_hi_actinst a join access_request r "
        + "on r.process_instance_id = a.proc_inst_id_ where r.tenant_id = ? and a.act_id_ = ?", Integer.class,
        tenant.id(), activityId);
  }

  private int duplicateTimers(TestTenant tenant) {
    return jdbc().queryForObject("select coalesce(sum(n - 1), 0) from (select count(*) n from act_hi_actinst a "
        + "join access_request r on r.process_instance_id = a.proc_inst_id_ where r.tenant_id = ? and a.act_id_ in "
        + "('BoundaryEvent_ApprovalOverdue', 'Event_AccessPeriodOver', 'Task_GrantAccess', 'Task_RevokeAccess') "
        + "group by a.proc_inst_id_, a.act_id_ having count(*) > 1) d", Integer.class, tenant.id());
  }

  private int duplicateGrants(TestTenant tenant) {
    return jdbc().queryForObject("select coalesce(sum(n - 1), 0) from (select count(*) n from access_grant "
        + "where tenant_id = ? group by access_request_id having count(*) > 1) d", Integer.class, tenant.id());
  }

  /** Each step of a request writes its event once; in this flow no event type repeats. */
  private int duplicateAuditEvents(TestTenant tenant) {
    return jdbc().queryForObject("select coalesce(sum(n - 1), 0) from (select count(*) n from audit_event "
        + "where tenant_id = ? and request_id is not null group by request_id, event_type, detail having count(*) > 1) d",
        Integer.class, tenant.id());
  }

  private Map<String, Integer> grantsPerRequest(TestTenant tenant) {
    Map<String, Integer> grants = new TreeMap<>();
    jdbc().query("select r.id, (select count(*) from access_grant g where g.access_request_id = r.id) "
        + "from access_request r where r.tenant_id = ?", rs -> {
          grants.put(rs.getString(1), rs.getInt(2));
        }, tenant.id());
    return grants;
  }

  private int decisionEvents(TestTenant tenant) {
    return jdbc().queryForObject("select count(*) from audit_event where tenant_id = ? "
        + "and event_type in ('LOCKBOX_APPROVED', 'LOCKBOX_DENIED')", Integer.class, tenant.id());
  }

  private Map<String, Integer> endReasons(TestTenant tenant) {
    Map<String, Integer> reasons = new TreeMap<>();
    jdbc().query("select end_reason, count(*) from access_grant where tenant_id = ? group by end_reason",
        rs -> {
          reasons.put(rs.getString(1), rs.getInt(2));
        }, tenant.id());
    return reasons;
  }

  /** Timers of the tenant's requests that each node's job executor ran, from the engine's job log. */
  private Map<String, Integer> timersByNode(TestTenant tenant) {
    Map<String, Integer> byNode = new TreeMap<>();
    jdbc().query("select l.hostname_, count(*) from act_hi_job_log l join access_request r "
        + "on r.process_instance_id = l.process_instance_id_ where r.tenant_id = ? and l.job_def_type_ like 'timer%' "
        + "and l.job_state_ = 2 group by l.hostname_", rs -> {
          byNode.put(rs.getString(1), rs.getInt(2));
        }, tenant.id());
    return byNode;
  }

  private void assertNoIncidents() {
    assertThat(jdbc().queryForObject("select count(*) from act_ru_incident", Integer.class)).isZero();
  }

  private JdbcTemplate jdbc() {
    return nodeA.jdbc();
  }
}
