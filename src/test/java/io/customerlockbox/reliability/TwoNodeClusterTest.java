package io.customerlockbox.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.customerlockbox.ApiClient.Response;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.Node;
import io.customerlockbox.PostgresDatabase;
import io.customerlockbox.audit.AuditVerifier;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.process.CollisionRetry;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two application nodes on one PostgreSQL database, each with its own web server, engine and
 * job executor, as the docker/ compose file runs them, sending mail to one SMTP server
 * (GreenMail) and webhooks to one receiver. Requests are created and decided over HTTP on both
 * nodes; races are started at the same instant; then the engine's clock moves four days on and
 * both job executors drain the timers. Every wait is for the nodes to have nothing left to do;
 * then {@link Ledger} counts what is missing and what happened twice.
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
  private static final String APPROVE = "{\"comment\":\"ok\"}";

  private PostgresDatabase db;
  private GreenMail smtp;
  private final Deliveries webhookDeliveries = new Deliveries();
  private HttpServer webhookReceiver;
  private Node nodeA;
  private Node nodeB;
  private Fixtures fixtures;
  private Ledger ledger;
  private ExecutorService threads;
  /** Every tenant the tests made: their audit chains must verify at the end. */
  private final List<TestTenant> tenants = new ArrayList<>();

  @BeforeAll
  void startCluster() {
    db = PostgresDatabase.create("cluster");
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    webhookReceiver = Deliveries.webhookReceiver(webhookDeliveries);
    String[] settings = Node.postgres(db, "spring.mail.host=127.0.0.1",
        "spring.mail.port=" + smtp.getSmtp().getPort(), "lockbox.mail.from=lockbox@provider.example",
        "lockbox.webhooks.allow-private-addresses=true");
    // One after the other, as a rolling start: the first creates the schemas and deploys.
    nodeA = Node.start("node-a", "postgres,demo", settings);
    nodeB = Node.start("node-b", "postgres,demo", settings);
    fixtures = new Fixtures(nodeA.bean(PolicyService.class), nodeA.bean(IdentityService.class),
        nodeA.bean(IdentityDirectory.class));
    ledger = new Ledger(nodeA.jdbc());
    threads = Executors.newFixedThreadPool(2);
  }

  private TestTenant tenant(boolean lockboxEnabled) {
    TestTenant tenant = fixtures.tenant(lockboxEnabled, PolicyScope.ALL_MANAGED);
    tenants.add(tenant);
    return tenant;
  }

  @AfterEach
  void resetClock() {
    ClockUtil.reset();
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (threads != null) {
      threads.shutdownNow();
    }
    for (AutoCloseable closeable : new AutoCloseable[] {nodeB, nodeA, db}) {
      if (closeable != null) {
        closeable.close();
      }
    }
    if (webhookReceiver != null) {
      webhookReceiver.stop(0);
    }
    if (smtp != null) {
      smtp.stop();
    }
  }

  // --- races

  @Test
  @Order(1)
  void twoApproversDecidingAtOnceHaveExactlyOneOutcome() throws Exception {
    TestTenant tenant = tenant(true);
    List<String> ids = requestsIn(tenant, "PENDING_CUSTOMER_APPROVAL");

    Map<Integer, Integer> answers = new TreeMap<>();
    Map<String, Integer> outcomes = new TreeMap<>();
    for (String id : ids) {
      String lockboxPath = "/api/lockbox-requests/" + lockboxId(id);
      List<Integer> round = race(
          () -> nodeA.as(tenant.approver(), Fixtures.PASSWORD).post(lockboxPath + "/approve", APPROVE),
          () -> nodeB.as(tenant.admin(), Fixtures.PASSWORD).post(lockboxPath + "/deny", "{\"comment\":\"no\"}"))
          .stream().map(Response::status).toList();
      round.forEach(status -> answers.merge(status, 1, Integer::sum));
      assertThat(round).as(id).containsExactlyInAnyOrder(200, 409);
      outcomes.merge(round.get(0) == 200 ? "approved" : "denied", 1, Integer::sum);
    }
    ledger.awaitIdle(PATIENCE);
    int granted = count(tenant, "status = 'ACCESS_GRANTED'");
    int denied = count(tenant, "status = 'DENIED'");
    int doubleGrants = ledger.repeatedGrants(tenant.id());
    int decisions = decisionEvents(tenant);
    System.out.printf("RACE approve vs deny: %d rounds, answers by status %s, outcomes %s, granted %d, denied %d, "
        + "decisions audited %d, double grants = %d%n", ids.size(), answers, outcomes, granted, denied, decisions,
        doubleGrants);
    assertThat(granted).isEqualTo(outcomes.getOrDefault("approved", 0));
    assertThat(denied).isEqualTo(outcomes.getOrDefault("denied", 0));
    assertThat(doubleGrants).isZero();
    assertThat(decisions).isEqualTo(ROUNDS);
    assertNoIncidents();
  }

  @Test
  @Order(2)
  void anApprovalWhileTheFourDayTimerFiresHasExactlyOneOutcome() throws Exception {
    TestTenant tenant = tenant(true);
    List<String> ids = requestsIn(tenant, "PENDING_CUSTOMER_APPROVAL");

    Map<Integer, Integer> answers = new TreeMap<>();
    Map<String, Integer> outcomes = new TreeMap<>();
    for (String id : ids) {
      String timer = timerJob(id, "BoundaryEvent_ApprovalOverdue");
      String approve = "/api/lockbox-requests/" + lockboxId(id) + "/approve";
      List<Object> results = race(
          () -> nodeB.as(tenant.approver(), Fixtures.PASSWORD).post(approve, APPROVE).status(),
          () -> executeJob(nodeA, timer));
      int approval = (Integer) results.get(0);
      answers.merge(approval, 1, Integer::sum);
      assertThat(approval).as(id).isIn(200, 409);
      assertThat(results.get(1)).as(id).isEqualTo(approval == 200 ? "lost" : "fired");
      outcomes.merge(approval == 200 ? "approved" : "expired", 1, Integer::sum);
    }
    ledger.awaitIdle(PATIENCE);
    int expired = count(tenant, "status = 'EXPIRED'");
    int timersFired = ledger.ran(ids, "BoundaryEvent_ApprovalOverdue");
    int doubleGrants = ledger.repeatedGrants(tenant.id());
    int grantedAfterExpiry = count(tenant, "status = 'EXPIRED' and exists (select 1 from access_grant g "
        + "where g.access_request_id = access_request.id)");
    System.out.printf("RACE approval vs 4-day timer: %d rounds, answers by status %s, outcomes %s, expired %d, "
        + "timers fired %d, double grants = %d, grants of expired requests = %d%n", ids.size(), answers, outcomes,
        expired, timersFired, doubleGrants, grantedAfterExpiry);
    assertThat(expired).isEqualTo(outcomes.getOrDefault("expired", 0));
    assertThat(timersFired).isEqualTo(outcomes.getOrDefault("expired", 0));
    assertThat(count(tenant, "status = 'ACCESS_GRANTED'")).isEqualTo(outcomes.getOrDefault("approved", 0));
    assertThat(doubleGrants).isZero();
    assertThat(grantedAfterExpiry).isZero();
    assertNoIncidents();
  }

  @Test
  @Order(3)
  void aReleaseWhileTheEightHourTimerFiresHasExactlyOneOutcome() throws Exception {
    // No lockbox policy: access is granted at once.
    TestTenant tenant = tenant(false);
    List<String> ids = requestsIn(tenant, "ACCESS_GRANTED");

    Map<Integer, Integer> answers = new TreeMap<>();
    Map<String, Integer> outcomes = new TreeMap<>();
    for (String id : ids) {
      String timer = timerJob(id, "Event_AccessPeriodOver");
      String release = "/api/access-requests/" + id + "/release";
      List<Object> results = race(
          () -> nodeB.as(ENGINEER, DEMO).post(release, null).status(),
          () -> executeJob(nodeA, timer));
      int released = (Integer) results.get(0);
      answers.merge(released, 1, Integer::sum);
      assertThat(released).as(id).isIn(200, 409);
      assertThat(results.get(1)).as(id).isEqualTo(released == 200 ? "lost" : "fired");
      String endReason = nodeA.jdbc().queryForObject("select end_reason from access_grant where access_request_id = ?",
          String.class, id);
      assertThat(endReason).as(id).isEqualTo(released == 200 ? "RELEASED" : "EXPIRED");
      outcomes.merge(released == 200 ? "released" : "revoked by timer", 1, Integer::sum);
    }
    ledger.awaitIdle(PATIENCE);
    int ended = count(tenant, "status = 'ACCESS_ENDED'");
    int revokes = ledger.ran(ids, "Event_AccessPeriodOver");
    int endEvents = nodeA.jdbc().queryForObject("select count(*) from audit_event where tenant_id = ? "
        + "and event_type in ('ACCESS_RELEASED', 'ACCESS_ENDED')", Integer.class, tenant.id());
    int doubleEnds = ledger.repeatedActivities(tenant.id(), "Task_RevokeAccess", "Task_ReleaseAccess",
        "Event_AccessPeriodOver");
    System.out.printf("RACE release vs 8-hour timer: %d rounds, answers by status %s, outcomes %s, ended %d, "
        + "revokes by timer %d, end events audited %d, double revokes = %d%n", ids.size(), answers, outcomes, ended,
        revokes, endEvents, doubleEnds);
    assertThat(ended).isEqualTo(ROUNDS);
    assertThat(revokes).isEqualTo(outcomes.getOrDefault("revoked by timer", 0));
    assertThat(endEvents).isEqualTo(ROUNDS);
    assertThat(doubleEnds).isZero();
    assertNoIncidents();
  }

  /**
   * A node was down for more than a day: each request's reminder (3 days) and expiry (4 days) are
   * both overdue, and the two nodes take them at once. The loser of a collision runs again at
   * once ({@link CollisionRetry}): no request is left waiting for a retry's back-off of minutes,
   * in which an approver could still approve it.
   */
  @Test
  @Order(4)
  void overdueRemindersAndExpiriesTakenByBothNodesAtOnceExpireEveryRequestPromptly() throws Exception {
    TestTenant tenant = tenant(true);
    List<String> ids = requestsIn(tenant, "PENDING_CUSTOMER_APPROVAL");
    List<String[]> timers = new ArrayList<>();
    for (String id : ids) {
      timers.add(new String[] {timerJob(id, "BoundaryEvent_ReminderDue"), timerJob(id, "BoundaryEvent_ApprovalOverdue")});
    }

    // Both timers overdue on both job executors, and each pair raced once more by hand.
    ClockUtil.offset(Duration.ofDays(4).plusHours(1).toMillis());
    Map<String, Integer> outcomes = new TreeMap<>();
    for (String[] pair : timers) {
      List<Object> results = race(() -> executeJob(nodeA, pair[0]), () -> executeJob(nodeB, pair[1]));
      outcomes.merge("reminder " + results.get(0) + ", expiry " + results.get(1), 1, Integer::sum);
    }
    ledger.awaitIdle(PATIENCE);

    int expired = count(tenant, "status = 'EXPIRED'");
    int waiting = ledger.shortOf(ids, "EXPIRED");
    int jobsWaitingForARetry = nodeA.jdbc().queryForObject("select count(*) from act_ru_job j join access_request r "
        + "on r.process_instance_id = j.process_instance_id_ where r.tenant_id = ? and j.retries_ > 0", Integer.class,
        tenant.id());
    int collisions = ledger.collisions(tenant.id());
    int repeatedExpiries = ledger.repeatedActivities(tenant.id(), "BoundaryEvent_ApprovalOverdue",
        "Task_ExpireLockboxRequest");
    System.out.printf("RACE overdue reminder vs expiry on two nodes: %d requests, race outcomes %s, collisions "
        + "retried = %d, expired = %d, still waiting = %d (jobs waiting for a retry: %d), repeated expiries = %d%n",
        ids.size(), outcomes, collisions, expired, waiting, jobsWaitingForARetry, repeatedExpiries);
    assertThat(waiting).isZero();
    assertThat(jobsWaitingForARetry).isZero();
    assertThat(expired).isEqualTo(ROUNDS);
    assertThat(repeatedExpiries).isZero();
    assertNoIncidents();
  }

  // --- the cluster run

  @Test
  @Order(5)
  void hundredsOfRequestsAcrossTwoNodesEndOnceEach() {
    TestTenant tenant = tenant(true);
    assertThat(nodeA.as(tenant.admin(), Fixtures.PASSWORD).post("/api/tenants/" + tenant.id() + "/webhooks",
        "{\"url\": \"http://127.0.0.1:" + webhookReceiver.getAddress().getPort() + "/hooks\"}").status())
        .isEqualTo(201);
    List<String> ids = createAndSettle(tenant, tenant.prod(), REQUESTS);
    int notWaiting = ledger.shortOf(ids, "PENDING_CUSTOMER_APPROVAL");
    int tasks = nodeA.jdbc().queryForObject("select count(*) from access_request r join act_ru_task t "
        + "on t.proc_inst_id_ = r.process_instance_id where r.tenant_id = ? "
        + "and t.task_def_key_ = 'Task_ReviewLockboxRequest'", Integer.class, tenant.id());
    assertThat(notWaiting).as("requests not waiting for the customer").isZero();
    assertThat(tasks).as("customer tasks").isEqualTo(ids.size());

    // By index: 0 approved then revoked by the 8 h timer, 1 approved then released,
    // 2 denied, 3 left to expire after 4 days. Every call alternates between the nodes.
    for (int i = 0; i < ids.size(); i++) {
      String lockboxPath = "/api/lockbox-requests/" + lockboxId(ids.get(i));
      Node node = i % 2 == 0 ? nodeA : nodeB;
      switch (i % 4) {
        case 0, 1 -> assertThat(node.as(tenant.approver(), Fixtures.PASSWORD)
            .post(lockboxPath + "/approve", APPROVE).status()).isEqualTo(200);
        case 2 -> assertThat(node.as(tenant.admin(), Fixtures.PASSWORD)
            .post(lockboxPath + "/deny", "{\"comment\":\"not now\"}").status()).isEqualTo(200);
        default -> { }
      }
    }
    // Nothing may be running when time jumps, or a running job's lock would look expired.
    ledger.awaitIdle(PATIENCE);
    List<String> approved = every(ids, 0, 1);
    assertThat(ledger.shortOf(approved, "ACCESS_GRANTED")).as("approved requests not granted").isZero();
    for (String id : every(ids, 1)) {
      Node node = ids.indexOf(id) % 8 == 1 ? nodeA : nodeB;
      assertThat(node.as(ENGINEER, DEMO).post("/api/access-requests/" + id + "/release", null).status())
          .isEqualTo(200);
    }
    ledger.awaitIdle(PATIENCE);

    ClockUtil.offset(Duration.ofDays(4).plusHours(1).toMillis());
    ledger.awaitIdle(PATIENCE);

    // What the database holds now, counted; no wait above required any of it.
    Map<String, Integer> statuses = ledger.statuses(ids);
    int lost = ledger.shortOf(every(ids, 0, 1), "ACCESS_ENDED") + ledger.shortOf(every(ids, 2), "DENIED")
        + ledger.shortOf(every(ids, 3), "EXPIRED");
    int expiries = ledger.ran(ids, "BoundaryEvent_ApprovalOverdue");
    int revokes = ledger.ran(ids, "Event_AccessPeriodOver");
    int repeatedSteps = ledger.repeatedActivities(tenant.id(), "BoundaryEvent_ApprovalOverdue",
        "Event_AccessPeriodOver", "Task_GrantAccess", "Task_RevokeAccess", "Task_ReleaseAccess",
        "Task_ExpireLockboxRequest", "Task_SendEmails", "Task_CallWebhooks");
    int repeatedJobRuns = ledger.repeatedJobRuns(tenant.id());
    int repeatedGrants = ledger.repeatedGrants(tenant.id());
    int repeatedAuditEvents = ledger.repeatedAuditEvents(tenant.id());
    Map<String, Integer> timersByNode = timersByNode(tenant);
    int grants = nodeA.jdbc().queryForObject("select count(*) from access_grant where tenant_id = ?", Integer.class,
        tenant.id());
    // The mail server's and the webhook receiver's view: every message recorded as sent arrived, once.
    Deliveries mails = Deliveries.mails(smtp);
    int mailsRecorded = sentNotifications("SMTP");
    int webhooksRecorded = sentNotifications("WEBHOOK");
    int mailsLost = Math.max(0, mailsRecorded - mails.distinct());
    int webhooksLost = Math.max(0, webhooksRecorded - webhookDeliveries.distinct());
    // The tamper-evident trail of every tenant these tests wrote to, events from both nodes.
    List<String> brokenChains = tenants.stream().map(t -> nodeB.bean(AuditVerifier.class).verify(t.id()))
        .filter(verification -> !verification.valid())
        .map(verification -> verification.chain() + ": " + verification.reason()).toList();
    int duplicates = repeatedSteps + repeatedJobRuns + repeatedGrants + repeatedAuditEvents + mails.repeats()
        + webhookDeliveries.repeats();

    System.out.printf("CLUSTER two nodes on PostgreSQL: requests = %d %s, timers fired = %d (expiry %d, revoke %d; "
            + "by node %s), grants = %d, mails = %d of %d recorded (repeats %d), webhook deliveries = %d of %d "
            + "recorded (repeats %d), audit chains verified = %d (broken %d), duplicates found = %d (steps %d, job runs "
            + "%d, grants %d, audit events %d), lost = %d (requests %d, mails %d, webhooks %d)%n",
        count(tenant, "1 = 1"), statuses, expiries + revokes, expiries, revokes, timersByNode, grants, mails.distinct(),
        mailsRecorded, mails.repeats(), webhookDeliveries.distinct(), webhooksRecorded, webhookDeliveries.repeats(),
        tenants.size(), brokenChains.size(), duplicates, repeatedSteps, repeatedJobRuns, repeatedGrants,
        repeatedAuditEvents, lost + mailsLost + webhooksLost, lost, mailsLost, webhooksLost);
    assertThat(brokenChains).isEmpty();
    assertThat(lost).isZero();
    assertThat(mailsLost).isZero();
    assertThat(webhooksLost).isZero();
    assertThat(duplicates).isZero();
    assertThat(expiries).isEqualTo(every(ids, 3).size());
    assertThat(revokes).isEqualTo(every(ids, 0).size());
    assertThat(grants).isEqualTo(approved.size());
    assertThat(endReasons(tenant)).containsEntry("EXPIRED", every(ids, 0).size())
        .containsEntry("RELEASED", every(ids, 1).size());
    // Every approver was asked about every request, once (reminders and decision notices come on top).
    List<String> asked = nodeA.jdbc().queryForList("select detail from audit_event where tenant_id = ? "
        + "and event_type = 'APPROVERS_NOTIFIED' and detail like 'LOCKBOX_REQUEST_CREATED%'", String.class, tenant.id());
    assertThat(asked).hasSize(ids.size())
        .allSatisfy(detail -> assertThat(detail).contains(tenant.approver(), tenant.admin()));
    assertThat(timersByNode).containsKeys("node-a", "node-b");
    assertNoIncidents();
    assertThat(nodeA.management().createJobQuery().processInstanceId(processInstance(ids.get(0))).count()).isZero();
  }

  // --- helpers

  /** Creates {@code count} requests over HTTP on both nodes in turn, then waits until the nodes are idle. */
  private List<String> createAndSettle(TestTenant tenant, String environmentId, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Node node = i % 2 == 0 ? nodeA : nodeB;
      Response created = node.as(ENGINEER, DEMO).post("/api/access-requests",
          Fixtures.request(tenant.id(), environmentId, AccessLevel.READ));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      ids.add(created.json().path("id").asText());
    }
    ledger.awaitIdle(PATIENCE);
    return ids;
  }

  /** {@link #ROUNDS} requests of {@code tenant}'s production, created on both nodes, all settled in {@code status}. */
  private List<String> requestsIn(TestTenant tenant, String status) {
    List<String> ids = createAndSettle(tenant, tenant.prod(), ROUNDS);
    assertThat(ledger.shortOf(ids, status)).as("requests not " + status).isZero();
    return ids;
  }

  /** The requests at positions {@code i % 4} in {@code remainders}. */
  private static List<String> every(List<String> ids, int... remainders) {
    List<String> picked = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      for (int remainder : remainders) {
        if (i % 4 == remainder) {
          picked.add(ids.get(i));
        }
      }
    }
    return picked;
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

  /**
   * Executes a job as a node's job executor would: "fired", or "lost" when the other party won
   * ({@link LostRace}). Any other failure fails the test.
   */
  private static String executeJob(Node node, String jobId) {
    try {
      node.management().executeJob(jobId);
      return "fired";
    } catch (RuntimeException e) {
      if (LostRace.isLost(e)) {
        return "lost";
      }
      throw e;
    }
  }

  private String timerJob(String requestId, String activityId) {
    Job job = nodeA.management().createJobQuery().processInstanceId(processInstance(requestId))
        .activityId(activityId).singleResult();
    assertThat(job).as(activityId + " of " + requestId).isNotNull();
    return job.getId();
  }

  private String lockboxId(String requestId) {
    return jdbc().queryForObject("select id from lockbox_request where access_request_id = ?", String.class, requestId);
  }

  private String processInstance(String requestId) {
    return jdbc().queryForObject("select process_instance_id from access_request where id = ?", String.class,
        requestId);
  }

  private int count(TestTenant tenant, String condition) {
    return jdbc().queryForObject("select count(*) from access_request where tenant_id = ? and " + condition,
        Integer.class, tenant.id());
  }

  private int sentNotifications(String channel) {
    return jdbc().queryForObject("select count(*) from sent_notification where channel = ?", Integer.class, channel);
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
