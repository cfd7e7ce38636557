package io.customerlockbox.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerlockbox.ApiClient;
import io.customerlockbox.ApiClient.Response;
import io.customerlockbox.ChildJvm;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Node;
import io.customerlockbox.PostgresDatabase;
import io.customerlockbox.audit.AuditVerifier;
import io.customerlockbox.audit.ChainVerification;
import io.customerlockbox.notify.Notification;
import io.customerlockbox.notify.NotificationChannel;
import io.customerlockbox.request.AccessLevel;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * kill -9 of a node in the middle of its jobs: a second JVM runs the application on PostgreSQL
 * until its job executor is busy (its mail server hangs), then is killed without warning. The
 * survivor takes the dead node's jobs over once their locks expire (5 s in this test) and
 * finishes everything: nothing is lost, and no grant, revoke, notification or audit event
 * happens twice.
 */
class CrashTest {

  /** Requests that need the customer (their notification job hangs on the doomed node). */
  static final int PROTECTED = 20;
  /** Requests granted at once, later revoked by their timer. */
  static final int UNPROTECTED = 10;
  /** contoso-approver and contoso-admin. */
  static final int APPROVERS = 2;

  private static final String LOCK_TIME = "camunda.bpm.job-execution.lock-time-in-millis=5000";
  private static final Duration PATIENCE = Duration.ofMinutes(4);

  @TempDir
  Path temp;

  private PostgresDatabase db;
  private Process doomed;
  private Node survivor;

  @AfterEach
  void cleanUp() throws Exception {
    ClockUtil.reset();
    if (doomed != null) {
      doomed.destroyForcibly().waitFor();
    }
    if (survivor != null) {
      survivor.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void aNodeKilledInTheMiddleOfItsJobsLosesNothingAndRepeatsNothing() throws Exception {
    db = PostgresDatabase.create("crash");
    int port = freePort();
    doomed = startDoomedNode(port);
    ApiClient doomedApi = new ApiClient(port, new ObjectMapper());
    await().atMost(PATIENCE).until(() -> !doomed.isAlive() || ready(doomedApi));
    assertThat(doomed.isAlive()).as(() -> "the doomed node did not start:\n" + tail(temp.resolve("doomed.log")))
        .isTrue();

    List<String> unprotected = create(doomedApi, "contoso-sandbox", UNPROTECTED);
    List<String> protectedRequests = create(doomedApi, "contoso-prod", PROTECTED);
    JdbcTemplate jdbc = jdbcOf(db);
    // Busy: all its job threads hang on the mail server, holding their jobs' locks.
    await().atMost(PATIENCE).until(() -> jdbc.queryForObject("select count(*) from act_ru_job j "
        + "join act_ru_jobdef d on d.id_ = j.job_def_id_ where j.lock_owner_ is not null "
        + "and d.act_id_ = 'Task_SendEmails'", Integer.class) >= 3);
    int lockedAtKill = jdbc.queryForObject("select count(*) from act_ru_job where lock_owner_ is not null",
        Integer.class);
    int doneByDoomed = jdbc.queryForObject("select count(*) from act_hi_job_log where hostname_ = 'doomed' "
        + "and job_state_ = 2", Integer.class);

    doomed.destroyForcibly().waitFor();

    Set<String> sent = ConcurrentHashMap.newKeySet();
    AtomicInteger sends = new AtomicInteger();
    survivor = Node.start("survivor", "postgres,demo", context -> context.registerBean("countingMailServer",
        NotificationChannel.class, () -> new CountingMailServer(sent, sends), definition -> definition.setPrimary(true)),
        Node.postgres(db, LOCK_TIME));

    await().atMost(PATIENCE).until(() -> count(jdbc, unprotected, "ACCESS_GRANTED") == UNPROTECTED
        && count(jdbc, protectedRequests, "PENDING_CUSTOMER_APPROVAL") == PROTECTED
        && jdbc.queryForObject("select count(*) from act_ru_task where task_def_key_ = 'Task_ReviewLockboxRequest'",
            Integer.class) == PROTECTED);
    awaitNoJobsRunning(jdbc);
    // The grants' eight hours pass: the survivor revokes them.
    ClockUtil.offset(Duration.ofHours(9).toMillis());
    await().atMost(PATIENCE).until(() -> count(jdbc, unprotected, "ACCESS_ENDED") == UNPROTECTED);
    awaitNoJobsRunning(jdbc);

    int lost = (UNPROTECTED - count(jdbc, unprotected, "ACCESS_ENDED"))
        + (PROTECTED - count(jdbc, protectedRequests, "PENDING_CUSTOMER_APPROVAL"));
    int notifications = jdbc.queryForObject("select count(*) from sent_notification", Integer.class);
    int revokes = jdbc.queryForObject("select count(*) from act_hi_actinst where act_id_ = 'Event_AccessPeriodOver'",
        Integer.class);
    int duplicates = (sends.get() - sent.size())
        + jdbc.queryForObject("select coalesce(sum(n - 1), 0) from (select count(*) n from audit_event "
            + "where request_id is not null group by request_id, event_type, detail having count(*) > 1) d", Integer.class)
        + jdbc.queryForObject("select coalesce(sum(n - 1), 0) from (select count(*) n from act_hi_actinst "
            + "where act_id_ in ('Task_GrantAccess', 'Task_RevokeAccess', 'Event_AccessPeriodOver', "
            + "'Task_SendEmails') and end_time_ is not null group by proc_inst_id_, act_id_ having count(*) > 1) d",
            Integer.class);
    // The tamper-evident trail holds the dead node's events and the survivor's, unbroken.
    ChainVerification audit = survivor.bean(AuditVerifier.class).verify("contoso");
    System.out.printf("CRASH kill -9 of a node executing jobs on PostgreSQL: requests = %d, jobs locked by the killed "
            + "node = %d (it had finished %d), timers fired = %d, notifications = %d (mails sent %d), grants = %d, "
            + "audit chain valid = %s (%d events), duplicates found = %d, lost = %d%n", UNPROTECTED + PROTECTED,
        lockedAtKill, doneByDoomed, revokes, notifications, sends.get(), grants(jdbc), audit.valid(), audit.events(),
        duplicates, lost);
    assertThat(audit.valid()).as(audit.reason()).isTrue();
    assertThat(lost).isZero();
    assertThat(duplicates).isZero();
    // Every message handed to the mail server once and marked sent once; each approver asked once per request.
    assertThat(notifications).isEqualTo(sends.get());
    assertThat(jdbc.queryForObject("select count(*) from sent_notification where recipient in (?, ?)", Integer.class,
        "contoso-approver@contoso.example", "contoso-admin@contoso.example")).isEqualTo(PROTECTED * APPROVERS);
    assertThat(revokes).isEqualTo(UNPROTECTED);
    assertThat(grants(jdbc)).isEqualTo(UNPROTECTED);
    assertThat(jdbc.queryForObject("select count(*) from access_grant where ended_at is null", Integer.class)).isZero();
    assertThat(jdbc.queryForObject("select count(*) from act_ru_incident", Integer.class)).isZero();
  }

  private Process startDoomedNode(int port) throws Exception {
    File log = temp.resolve("doomed.log").toFile();
    return ChildJvm.of(DoomedNode.class, List.of("-Xmx384m"), List.of(
        "--spring.profiles.active=postgres,demo",
        "--server.port=" + port,
        "--spring.datasource.url=" + db.url(),
        "--spring.datasource.username=" + db.user(),
        "--spring.datasource.password=" + db.password(),
        "--" + LOCK_TIME,
        "--camunda.bpm.generic-properties.properties.hostname=doomed",
        "--camunda.bpm.job-execution.wait-time-in-millis=500",
        "--camunda.bpm.job-execution.max-wait=2000",
        "--logging.level.root=warn"))
        .redirectErrorStream(true).redirectOutput(log).start();
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (java.io.IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static boolean ready(ApiClient api) {
    try {
      return api.get("/actuator/health/readiness").status() == 200;
    } catch (RuntimeException notYet) {
      return false;
    }
  }

  private static List<String> create(ApiClient api, String environmentId, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Response created = api.as("engineer", "demo").post("/api/access-requests",
          Fixtures.request("contoso", environmentId, AccessLevel.READ));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      ids.add(created.json().path("id").asText());
    }
    return ids;
  }

  private static void awaitNoJobsRunning(JdbcTemplate jdbc) {
    await().atMost(PATIENCE).until(() -> jdbc.queryForObject("select count(*) from act_ru_job "
        + "where lock_owner_ is not null or duedate_ is null", Integer.class) == 0);
  }

  private static int count(JdbcTemplate jdbc, List<String> ids, String status) {
    return (int) ids.stream().filter(id -> status.equals(jdbc.queryForObject(
        "select status from access_request where id = ?", String.class, id))).count();
  }

  private static int grants(JdbcTemplate jdbc) {
    return jdbc.queryForObject("select count(*) from access_grant", Integer.class);
  }

  private static JdbcTemplate jdbcOf(PostgresDatabase db) {
    return new JdbcTemplate(new org.springframework.jdbc.datasource.DriverManagerDataSource(db.url(), db.user(),
        db.password()));
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The survivor's mail server: counts every message it is handed, by key. */
  record CountingMailServer(Set<String> sent, AtomicInteger sends) implements NotificationChannel {

    @Override
    public String name() {
      return "SMTP";
    }

    @Override
    public void send(Notification notification) {
      sends.incrementAndGet();
      sent.add(notification.key());
    }
  }
}
