package io.customerlockbox.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.customerlockbox.ApiClient;
import io.customerlockbox.ApiClient.Response;
import io.customerlockbox.ChildJvm;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Node;
import io.customerlockbox.PostgresDatabase;
import io.customerlockbox.audit.AuditVerifier;
import io.customerlockbox.audit.ChainVerification;
import io.customerlockbox.request.AccessLevel;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * kill -9 of a node in the middle of its jobs: a second JVM runs the application on PostgreSQL
 * until its job threads are busy, each inside the window that matters for notifications: the
 * mail server (GreenMail, in this JVM) accepted a message and the node has not yet recorded it as
 * sent. Then it is killed without warning. The dead node held its jobs' locks for the production
 * default of 5 minutes (so it never took its own hung jobs up again); the survivor starts with the
 * engine's clock past them, takes the dead node's jobs over and finishes everything.
 *
 * <p>The promise (README, "Notifications"): nothing is lost, no grant, revoke or audit event
 * happens twice, and a message is sent at least once: each message that was in that window when
 * the node died may go out once more, with the same Message-ID, and no other message repeats.
 * Every count below is taken from the database and the mail server once the survivor is idle.
 */
class CrashTest {

  /** Requests that need the customer (their approvers' mail is what the doomed node hangs on). */
  static final int PROTECTED = 20;
  /** Requests granted at once, later revoked by their timer. */
  static final int UNPROTECTED = 10;
  /** contoso-approver and contoso-admin. */
  static final int APPROVERS = 2;
  /** To the requester: access granted, access ended. */
  static final int REQUESTER_MAILS = 2;

  /** Past the locks the dead node took (the postgres profile's 5 minutes). */
  private static final Duration LOCKS_EXPIRED = Duration.ofMinutes(6);
  private static final Duration PATIENCE = Duration.ofMinutes(4);

  @TempDir
  Path temp;

  private PostgresDatabase db;
  private GreenMail smtp;
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
    if (smtp != null) {
      smtp.stop();
    }
  }

  @Test
  void aNodeKilledBetweenSendingAndRecordingLosesNothingAndRepeatsOnlyWhatWasInFlight() throws Exception {
    db = PostgresDatabase.create("crash");
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    int port = freePort();
    doomed = startDoomedNode(port);
    ApiClient doomedApi = new ApiClient(port, new ObjectMapper());
    await().atMost(PATIENCE).until(() -> !doomed.isAlive() || ready(doomedApi));
    assertThat(doomed.isAlive()).as(() -> "the doomed node did not start:\n" + tail(temp.resolve("doomed.log")))
        .isTrue();

    List<String> unprotected = create(doomedApi, "contoso-sandbox", UNPROTECTED);
    List<String> protectedRequests = create(doomedApi, "contoso-prod", PROTECTED);
    JdbcTemplate jdbc = jdbcOf(db);
    Ledger ledger = new Ledger(jdbc);
    // Busy: job threads sent a mail each and hang before recording it, holding their jobs' locks.
    await().atMost(PATIENCE).until(() -> smtp.getReceivedMessages().length >= 3
        && jdbc.queryForObject("select count(*) from act_ru_job j join act_ru_jobdef d on d.id_ = j.job_def_id_ "
            + "where j.lock_owner_ is not null and d.act_id_ = 'Task_SendEmails'", Integer.class) >= 3);

    doomed.destroyForcibly().waitFor();
    int lockedAtKill = jdbc.queryForObject("select count(*) from act_ru_job where lock_owner_ is not null",
        Integer.class);
    int doneByDoomed = jdbc.queryForObject("select count(*) from act_hi_job_log where hostname_ = 'doomed' "
        + "and job_state_ = 2", Integer.class);
    // Accepted by the mail server, not recorded as sent: the node died in the window.
    int inFlight = Deliveries.mails(smtp).distinct()
        - jdbc.queryForObject("select count(*) from sent_notification where channel = 'SMTP'", Integer.class);

    ClockUtil.offset(LOCKS_EXPIRED.toMillis());
    survivor = Node.start("survivor", "postgres,demo", Node.postgres(db, "spring.mail.host=127.0.0.1",
        "spring.mail.port=" + smtp.getSmtp().getPort(), "lockbox.mail.from=lockbox@provider.example"));
    ledger.awaitIdle(PATIENCE);
    // The grants' eight hours pass: the survivor revokes them.
    ClockUtil.offset(LOCKS_EXPIRED.plusHours(9).toMillis());
    ledger.awaitIdle(PATIENCE);

    int lostRequests = ledger.shortOf(unprotected, "ACCESS_ENDED") + ledger.shortOf(protectedRequests,
        "PENDING_CUSTOMER_APPROVAL");
    int customerTasks = jdbc.queryForObject("select count(*) from act_ru_task where task_def_key_ = "
        + "'Task_ReviewLockboxRequest'", Integer.class);
    Deliveries mails = Deliveries.mails(smtp);
    int expectedMails = PROTECTED * APPROVERS + UNPROTECTED * REQUESTER_MAILS;
    int lostMails = Math.max(0, expectedMails - mails.distinct());
    int recorded = jdbc.queryForObject("select count(*) from sent_notification where channel = 'SMTP'", Integer.class);
    int revokes = ledger.ran(unprotected, "Event_AccessPeriodOver");
    int repeatedSteps = ledger.repeatedActivities("contoso", "Task_GrantAccess", "Task_RevokeAccess",
        "Event_AccessPeriodOver", "Task_SendEmails");
    int repeatedJobRuns = ledger.repeatedJobRuns("contoso");
    int repeatedAuditEvents = ledger.repeatedAuditEvents("contoso");
    int repeatedGrants = ledger.repeatedGrants("contoso");
    // The tamper-evident trail holds the dead node's events and the survivor's, unbroken.
    ChainVerification audit = survivor.bean(AuditVerifier.class).verify("contoso");
    System.out.printf("CRASH kill -9 of a node between sending and recording its mails, on PostgreSQL: requests = %d, "
            + "jobs locked by the killed node = %d (it had finished %d), mails in flight at the kill = %d, "
            + "timers fired = %d, grants = %d, mails = %d distinct of %d expected, %d recorded, repeats = %d (most "
            + "copies of one %d), audit chain valid = %s (%d events), duplicates found = %d (steps %d, job runs %d, "
            + "audit events %d, grants %d), lost = %d (requests %d, mails %d)%n",
        unprotected.size() + protectedRequests.size(), lockedAtKill, doneByDoomed, inFlight, revokes, grants(jdbc),
        mails.distinct(), expectedMails, recorded, mails.repeats(), mails.mostCopies(), audit.valid(), audit.events(),
        repeatedSteps + repeatedJobRuns + repeatedAuditEvents + repeatedGrants, repeatedSteps, repeatedJobRuns,
        repeatedAuditEvents, repeatedGrants, lostRequests + lostMails, lostRequests, lostMails);
    assertThat(audit.valid()).as(audit.reason()).isTrue();
    assertThat(lostRequests).isZero();
    assertThat(lostMails).isZero();
    assertThat(customerTasks).isEqualTo(PROTECTED);
    assertThat(repeatedSteps + repeatedJobRuns + repeatedAuditEvents + repeatedGrants).isZero();
    // At least once: what was in the window may repeat, once, with its Message-ID; nothing else does.
    assertThat(inFlight).as("the kill came inside the window").isPositive();
    assertThat(mails.repeats()).isLessThanOrEqualTo(inFlight);
    assertThat(mails.mostCopies()).isLessThanOrEqualTo(2);
    assertThat(recorded).isEqualTo(mails.distinct());
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
        "--spring.mail.host=127.0.0.1",
        "--spring.mail.port=" + smtp.getSmtp().getPort(),
        "--lockbox.mail.from=lockbox@provider.example",
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

}
