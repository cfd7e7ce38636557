package io.customerlockbox.audit;

import static io.customerlockbox.audit.AuditEventType.ACCESS_ACTIVITY;
import static io.customerlockbox.audit.AuditEventType.ACCESS_ENDED;
import static io.customerlockbox.audit.AuditEventType.ACCESS_GRANTED;
import static io.customerlockbox.audit.AuditEventType.ACCESS_RELEASED;
import static io.customerlockbox.audit.AuditEventType.APPROVERS_NOTIFIED;
import static io.customerlockbox.audit.AuditEventType.JIT_EVALUATED;
import static io.customerlockbox.audit.AuditEventType.LOCKBOX_APPROVED;
import static io.customerlockbox.audit.AuditEventType.LOCKBOX_REQUEST_CREATED;
import static io.customerlockbox.audit.AuditEventType.REQUEST_CREATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.customerlockbox.ApiClient;
import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.audit.AuditEvent.ActorKind;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.policy.PolicyUpdate;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestLifecycle;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.security.Groups;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail end to end, over real HTTP against the real database and engine (job executor
 * off: the test executes jobs and moves the engine's clock): the events of a request's life with
 * their fields, rollback and retry, the hash chain against direct tampering, search, export.
 */
@Import({Fixtures.class, AuditTrailTest.FailOnce.class})
class AuditTrailTest extends ApplicationTest {

  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final Set<String> DEMO_USERS = Set.of("engineer", "operator", "dataplane", "admin", "lead", "contoso-approver",
      "contoso-auditor", "contoso-admin", "fabrikam-admin");

  /** An audit trail that can be told to fail once, right after it recorded an event of a type. */
  static class FailingAuditTrail extends AuditTrail {
    private final AtomicReference<AuditEventType> failAfter = new AtomicReference<>();

    FailingAuditTrail(JdbcClient jdbc, AuditChains chains) {
      super(jdbc, chains);
    }

    @Override
    public AuditEvent record(Entry entry, String idempotencyKey) {
      AuditEvent event = super.record(entry, idempotencyKey);
      failIfAskedAfter(entry);
      return event;
    }

    @Override
    public void recordAtCommit(Entry entry, String idempotencyKey) {
      super.recordAtCommit(entry, idempotencyKey);
      failIfAskedAfter(entry);
    }

    private void failIfAskedAfter(Entry entry) {
      if (failAfter.compareAndSet(entry.type(), null)) {
        throw new IllegalStateException("injected failure after " + entry.type() + " was recorded");
      }
    }

    /** Public, so the call reaches the bean behind Spring's transaction proxy. */
    public void failOnceAfter(AuditEventType type) {
      failAfter.set(type);
    }
  }

  @TestConfiguration
  static class FailOnce {
    @Bean
    @Primary
    FailingAuditTrail failingAuditTrail(JdbcClient jdbc, AuditChains chains) {
      return new FailingAuditTrail(jdbc, chains);
    }
  }

  @Autowired AccessRequestService requests;
  @Autowired AccessRequestLifecycle lifecycle;
  @Autowired PolicyService policies;
  @Autowired FailingAuditTrail audit;
  @Autowired AuditVerifier verifier;
  @Autowired PlatformTransactionManager transactions;

  private final ObjectMapper json = JsonMapper.builder().addModule(new JavaTimeModule()).build();

  @BeforeEach
  void fixClock() {
    ClockUtil.setCurrentTime(Date.from(START));
  }

  @AfterEach
  void failNothing() {
    audit.failOnceAfter(null);
  }

  @Test
  void approvalActivityAndTheEightHourRevokeAreRecordedInOrderWithTheirFields() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    String auditor = tenant.id() + "-auditor";
    fixtures.user(auditor, tenant.id(), Groups.AUDITORS);
    JsonNode created = walkToApproval(tenant.id(), tenant.prod(), tenant.approver());
    String id = created.get("id").asText();
    Instant approvedAt = START.plus(Duration.ofHours(1));
    String grantId = get("/api/access-requests/" + id, "engineer").get("grant").get("id").asText();

    String report = "{\"activity\": \"SELECT * FROM orders WHERE id = 42 on database orders\", "
        + "\"clientIp\": \"10.1.2.3\", \"activityId\": \"session-7.1\"}";
    assertThat(call("POST", "/api/access-grants/" + grantId + "/activity", "engineer", report).status())
        .isEqualTo(403);
    assertThat(call("POST", "/api/access-grants/" + grantId + "/activity", "dataplane", report).status())
        .isEqualTo(201);
    // The data plane retries its report: still one event.
    assertThat(call("POST", "/api/access-grants/" + grantId + "/activity", "dataplane", report).status())
        .isEqualTo(201);

    ClockUtil.setCurrentTime(Date.from(approvedAt.plus(Duration.ofHours(8))));
    managementService.executeJob(job(created, "Event_AccessPeriodOver").getId());
    assertThat(call("POST", "/api/access-grants/" + grantId + "/activity", "dataplane", report).status())
        .isEqualTo(409);

    List<AuditEvent> timeline = timeline(id, auditor);
    assertThat(timeline).extracting(AuditEvent::type).containsExactly(REQUEST_CREATED, JIT_EVALUATED,
        LOCKBOX_REQUEST_CREATED, APPROVERS_NOTIFIED, LOCKBOX_APPROVED, ACCESS_GRANTED, ACCESS_ACTIVITY, ACCESS_ENDED);
    assertThat(timeline).allSatisfy(e -> {
      assertThat(e.tenantId()).isEqualTo(tenant.id());
      assertThat(e.environmentId()).isEqualTo(tenant.prod());
      assertThat(e.requestId()).isEqualTo(id);
      assertThat(e.supportTicketId()).isEqualTo("SR-4242");
      assertThat(e.justification()).isEqualTo("Investigate the failing nightly export job");
      assertThat(e.hash()).matches("[0-9a-f]{64}");
      assertThat(e.actorKind()).isEqualTo(e.actor() == null ? ActorKind.SYSTEM : ActorKind.USER);
      if (e.actorKind() == ActorKind.SYSTEM) {
        assertThat(e.clientIp()).isNull();
      }
    });
    assertThat(timeline).extracting(AuditEvent::id).doesNotHaveDuplicates();
    assertThat(timeline).extracting(AuditEvent::chainSeq).isSorted();
    Map<AuditEventType, AuditEvent> byType = timeline.stream()
        .collect(Collectors.toMap(AuditEvent::type, Function.identity()));

    AuditEvent requested = byType.get(REQUEST_CREATED);
    assertThat(requested.actor()).isEqualTo("engineer");
    assertThat(requested.clientIp()).isEqualTo("127.0.0.1");
    assertThat(requested.requestStatus()).isEqualTo("SUBMITTED");
    assertThat(requested.occurredAt()).isEqualTo(START);
    assertThat(requested.requestExpiresAt()).isNull();
    assertThat(requested.accessExpiresAt()).isNull();
    assertThat(byType.get(JIT_EVALUATED).detail()).contains("AUTO_APPROVE", "Rule_AutoApproveRead");
    AuditEvent lockbox = byType.get(LOCKBOX_REQUEST_CREATED);
    assertThat(lockbox.requestStatus()).isEqualTo("PENDING_CUSTOMER_APPROVAL");
    assertThat(lockbox.requestExpiresAt()).isEqualTo(START.plus(Duration.ofDays(4)));
    assertThat(byType.get(APPROVERS_NOTIFIED).detail()).contains(tenant.approver());
    AuditEvent approved = byType.get(LOCKBOX_APPROVED);
    assertThat(approved.actor()).isEqualTo(tenant.approver());
    assertThat(approved.comment()).isEqualTo("OK for SR-4242");
    assertThat(approved.clientIp()).isEqualTo("127.0.0.1");
    assertThat(approved.occurredAt()).isEqualTo(approvedAt);
    AuditEvent granted = byType.get(ACCESS_GRANTED);
    assertThat(granted.requestStatus()).isEqualTo("ACCESS_GRANTED");
    assertThat(granted.accessExpiresAt()).isEqualTo(approvedAt.plus(Duration.ofHours(8)));
    assertThat(granted.requestExpiresAt()).isEqualTo(START.plus(Duration.ofDays(4)));
    // The signed grant the data plane is handed is in the evidence, whole.
    String signedGrant = db.sql("select signature from access_grant where id = ?").param(grantId)
        .query(String.class).single();
    assertThat(signedGrant).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    assertThat(granted.detail()).startsWith("access until " + granted.accessExpiresAt() + "; basis CUSTOMER_APPROVAL: ")
        .contains("approved by " + tenant.approver()).endsWith("; signed grant " + signedGrant);
    AuditEvent activity = byType.get(ACCESS_ACTIVITY);
    assertThat(activity.actor()).isEqualTo("engineer");
    assertThat(activity.clientIp()).isEqualTo("10.1.2.3");
    assertThat(activity.detail()).contains("SELECT * FROM orders", "reported by dataplane");
    AuditEvent ended = byType.get(ACCESS_ENDED);
    assertThat(ended.requestStatus()).isEqualTo("ACCESS_ENDED");
    assertThat(ended.occurredAt()).isEqualTo(approvedAt.plus(Duration.ofHours(8)));

    JsonNode verified = get("/api/audit-events/verify?tenantId=" + tenant.id(), auditor);
    assertThat(verified.get("valid").asBoolean()).isTrue();
    assertThat(verified.get("events").asLong()).isEqualTo(3 + timeline.size());
    assertThat(verified.get("firstBrokenEventId").isNull()).isTrue();
  }

  @Test
  void aRolledBackStepLeavesNoEvent() {
    TestTenant tenant = fixtures.tenantWithoutPolicy();
    String id = grantedAtOnce(tenant);
    List<AuditEvent> before = audit.forRequest(id);

    // Releasing runs the model's "End access early" step in the caller's transaction, which then fails.
    TransactionTemplate caller = new TransactionTemplate(transactions);
    assertThatThrownBy(() -> caller.executeWithoutResult(status -> {
      requests.release(id, fixtures.as("engineer"));
      throw new IllegalStateException("the caller's transaction fails after the step");
    })).hasMessageContaining("fails after the step");

    assertThat(audit.forRequest(id)).isEqualTo(before);
    assertThat(requests.get(id, fixtures.as("lead")).status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    assertThat(verifier.verify(tenant.id()).valid()).isTrue();

    requests.release(id, fixtures.as("engineer"));
    assertThat(audit.forRequest(id)).extracting(AuditEvent::type).containsOnlyOnce(ACCESS_RELEASED);
    assertThat(verifier.verify(tenant.id()).valid()).isTrue();
  }

  @Test
  void aRetriedJobLeavesOneEvent() {
    TestTenant tenant = fixtures.tenantWithoutPolicy();
    String id = grantedAtOnce(tenant);
    String processInstanceId = requests.get(id, fixtures.as("lead")).processInstanceId();
    Job revoke = managementService.createJobQuery().processInstanceId(processInstanceId)
        .activityId("Event_AccessPeriodOver").singleResult();
    ClockUtil.setCurrentTime(Date.from(START.plus(Duration.ofHours(8))));

    // The revoke step records its event, then its transaction fails: the job executor would retry it.
    audit.failOnceAfter(ACCESS_ENDED);
    assertThatThrownBy(() -> managementService.executeJob(revoke.getId())).hasMessageContaining("injected failure");
    assertThat(audit.forRequest(id)).extracting(AuditEvent::type).doesNotContain(ACCESS_ENDED);
    Job retried = managementService.createJobQuery().jobId(revoke.getId()).singleResult();
    assertThat(retried.getRetries()).isLessThan(3);
    assertThat(retried.getExceptionMessage()).contains("injected failure");

    managementService.executeJob(revoke.getId());

    assertThat(audit.forRequest(id)).extracting(AuditEvent::type).containsOnlyOnce(ACCESS_ENDED);
    assertThat(requests.get(id, fixtures.as("lead")).status()).isEqualTo(AccessRequestStatus.ACCESS_ENDED);

    // A step that runs again under the same key (process instance + activity) finds its event.
    String stepKey = processInstanceId + "/Task_RevokeAccess";
    new TransactionTemplate(transactions).executeWithoutResult(status ->
        lifecycle.record(ACCESS_ENDED, id, null, null, "access period over: access revoked", stepKey));
    assertThat(audit.forRequest(id)).extracting(AuditEvent::type).containsOnlyOnce(ACCESS_ENDED);
    assertThat(verifier.verify(tenant.id()).valid()).isTrue();
  }

  @Test
  void verifyPassesOnAnUntouchedTrailAndNamesTheFirstBrokenEventAfterEachTampering() {
    List<AuditEvent> trail = trailOfSixEvents();
    assertThat(verifier.verify(trail.get(0).tenantId()))
        .extracting(ChainVerification::valid, ChainVerification::events, ChainVerification::firstBrokenEventId)
        .containsExactly(true, 6L, null);

    // A changed field: the changed event no longer matches its hash.
    List<AuditEvent> changed = trailOfSixEvents();
    db.sql("update audit_event set comment = ? where id = ?").params("nothing to see", changed.get(2).id()).update();
    assertBrokenAt(changed, changed.get(2), "changed");

    // A deleted event: the next event no longer follows the event before it.
    List<AuditEvent> deleted = trailOfSixEvents();
    db.sql("delete from audit_event where id = ?").param(deleted.get(2).id()).update();
    assertBrokenAt(deleted, deleted.get(3), "removed");

    // The last event deleted: the chain's head still names it.
    List<AuditEvent> truncated = trailOfSixEvents();
    db.sql("delete from audit_event where id = ?").param(truncated.get(5).id()).update();
    assertBrokenAt(truncated, truncated.get(4), "removed");

    // An inserted event, hashed and linked as our code would: its position is taken.
    List<AuditEvent> inserted = trailOfSixEvents();
    AuditEvent forged = forge(inserted.get(2).chainSeq(), inserted.get(1).hash(), inserted.get(0));
    insert(forged);
    assertBrokenAt(inserted, forged, "inserted");

    // An event appended behind the head's back.
    List<AuditEvent> appended = trailOfSixEvents();
    AuditEvent tail = forge(appended.get(5).chainSeq() + 1, appended.get(5).hash(), appended.get(0));
    insert(tail);
    assertBrokenAt(appended, tail, "inserted");
  }

  @Test
  void concurrentAppendsToOneTenantSerializeIntoOneChain() throws Exception {
    TestTenant tenant = fixtures.tenantWithoutPolicy();
    long before = verifier.verify(tenant.id()).events();
    int threads = 4;
    int perThread = 15;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    TransactionTemplate own = new TransactionTemplate(transactions);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < perThread; i++) {
          int n = i;
          own.executeWithoutResult(status -> audit.record(AuditTrail.Entry.of(AuditEventType.POLICY_CHANGED,
              tenant.id(), null, null, "thread " + thread + " event " + n), null));
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    ChainVerification verification = verifier.verify(tenant.id());
    assertThat(verification.valid()).isTrue();
    assertThat(verification.events()).isEqualTo(before + threads * perThread);
    assertThat(db.sql("select chain_seq from audit_event where chain_id = ? order by chain_seq")
        .param(tenant.id()).query(Long.class).list())
        .containsExactlyElementsOf(LongStream.rangeClosed(1, before + threads * perThread).boxed().toList());
  }

  @Test
  void auditorsAndTenantAdminsSearchTheirTenantNewestFirstAndNobodyElse() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    TestTenant other = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    String auditor = tenant.id() + "-auditor";
    fixtures.user(auditor, tenant.id(), Groups.AUDITORS);
    JsonNode created = walkToApproval(tenant.id(), tenant.prod(), tenant.approver());
    String id = created.get("id").asText();

    JsonNode page = get("/api/audit-events?tenantId=" + tenant.id() + "&size=2", auditor);
    assertThat(page.get("events")).hasSize(2);
    assertThat(page.get("hasMore").asBoolean()).isTrue();
    assertThat(page.get("events").get(0).get("type").asText()).isEqualTo("ACCESS_GRANTED");
    assertThat(page.get("events").get(1).get("type").asText()).isEqualTo("LOCKBOX_APPROVED");
    JsonNode byRequest = get("/api/audit-events?tenantId=" + tenant.id() + "&requestId=" + id
        + "&type=LOCKBOX_APPROVED&actor=" + tenant.approver() + "&from=" + START.plus(Duration.ofMinutes(30))
        + "&to=" + START.plus(Duration.ofHours(2)), tenant.admin());
    assertThat(byRequest.get("events")).hasSize(1);
    assertThat(byRequest.get("events").get(0).get("comment").asText()).isEqualTo("OK for SR-4242");
    assertThat(get("/api/audit-events?tenantId=" + tenant.id() + "&to=" + START, auditor).get("events")).isEmpty();

    assertThat(call("GET", "/api/audit-events?tenantId=" + tenant.id(), tenant.approver(), null).status())
        .isEqualTo(403);
    assertThat(call("GET", "/api/audit-events?tenantId=" + tenant.id(), "engineer", null).status()).isEqualTo(403);
    assertThat(call("GET", "/api/audit-events?tenantId=" + tenant.id(), other.admin(), null).status())
        .isEqualTo(404);
    assertThat(call("GET", "/api/audit-events/verify?tenantId=" + tenant.id(), other.admin(), null).status())
        .isEqualTo(404);
    assertThat(call("GET", "/api/audit-events/export?format=CSV&tenantId=" + tenant.id(), other.admin(), null)
        .status()).isEqualTo(404);
    assertThat(call("GET", "/api/audit-events", auditor, null).status()).isEqualTo(400);
    assertThat(call("GET", "/api/audit-events?size=1", "admin", null).status()).isEqualTo(200);
    assertThat(call("GET", "/api/access-requests/" + id + "/timeline", other.admin(), null).status())
        .isEqualTo(404);
    assertThat(call("GET", "/api/access-requests/" + id + "/timeline", "engineer", null).status()).isEqualTo(200);
    // Append-only: nothing changes or removes an event through the API.
    String eventId = page.get("events").get(0).get("id").asText();
    assertThat(call("DELETE", "/api/audit-events/" + eventId, "admin", null).status()).isEqualTo(404);
    assertThat(call("PUT", "/api/audit-events/" + eventId, "admin", "{}").status()).isEqualTo(404);
  }

  @Test
  void theDemoTrailExportsAsCsvAndNdjsonThatParseBackWithEveryField() throws Exception {
    JsonNode created = walkToApproval("contoso", "contoso-prod", "contoso-approver");
    String grantId = get("/api/access-requests/" + created.get("id").asText(), "engineer").get("grant").get("id")
        .asText();
    call("POST", "/api/access-grants/" + grantId + "/activity", "dataplane",
        "{\"activity\": \"read table \\\"orders\\\", rows 1,2\\nthen logged out\", \"clientIp\": \"2001:db8::7\"}");
    List<AuditEvent> stored = db.sql("select " + AuditTrail.COLUMNS + " from audit_event where tenant_id = ? "
        + "order by seq").param("contoso").query(AuditTrail::map).list();
    assertThat(stored).extracting(AuditEvent::type).contains(ACCESS_ACTIVITY, LOCKBOX_APPROVED);

    ApiClient.Response csv = call("GET", "/api/audit-events/export?format=CSV&tenantId=contoso",
        "contoso-auditor", null);
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.headers().getFirst("Content-Type")).startsWith("text/csv");
    assertThat(csv.headers().getFirst("Content-Disposition")).contains(".csv");
    try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(csv.body()))) {
      assertThat(parser.getHeaderNames()).containsExactlyElementsOf(AuditExport.HEADER);
      List<CSVRecord> records = parser.getRecords();
      assertThat(records).hasSize(stored.size());
      for (int i = 0; i < stored.size(); i++) {
        assertThat(records.get(i).toList()).containsExactlyElementsOf(csvFields(stored.get(i)));
      }
    }

    ApiClient.Response ndjson = call("GET", "/api/audit-events/export?format=NDJSON&tenantId=contoso",
        "contoso-auditor", null);
    assertThat(ndjson.status()).isEqualTo(200);
    List<AuditEvent> lines = new ArrayList<>();
    for (String line : ndjson.body().split("\n")) {
      lines.add(json.readValue(line, AuditEvent.class));
    }
    // The CSV export is in the trail now, after the events it exported: an export never holds its own event.
    assertThat(lines.subList(0, stored.size())).containsExactlyElementsOf(stored);
    assertThat(lines.subList(stored.size(), lines.size())).singleElement().satisfies(read -> {
      assertThat(read.type()).isEqualTo(AuditEventType.AUDIT_TRAIL_EXPORTED);
      assertThat(read.actor()).isEqualTo("contoso-auditor");
      assertThat(read.detail()).isEqualTo("exported as CSV with tenantId=contoso: " + stored.size()
          + " events of this trail");
    });
    // Every field, and each line re-hashes to its own hash: the export can be verified offline.
    assertThat(json.readTree(ndjson.body().split("\n")[0]).fieldNames()).toIterable()
        .containsExactlyElementsOf(AuditExport.HEADER);
    assertThat(lines).allSatisfy(e -> assertThat(AuditHash.of(e)).isEqualTo(e.hash()));
  }

  // --- helpers

  /** Creates a READ request over HTTP, lets the approver approve it an hour later, and grants access. */
  private JsonNode walkToApproval(String tenantId, String environmentId, String approver) throws Exception {
    ApiClient.Response response = call("POST", "/api/access-requests", "engineer", """
        {"tenantId": "%s", "environmentId": "%s", "supportTicketId": "SR-4242",
         "justification": "Investigate the failing nightly export job", "accessLevel": "READ",
         "isolatedIdentity": true, "mfaVerified": true}""".formatted(tenantId, environmentId));
    assertThat(response.status()).isEqualTo(201);
    JsonNode created = json.readTree(response.body());
    drive(created.get("id").asText());
    String lockboxId = get("/api/access-requests/" + created.get("id").asText(), "engineer")
        .get("lockbox").get("id").asText();
    ClockUtil.setCurrentTime(Date.from(START.plus(Duration.ofHours(1))));
    assertThat(call("POST", "/api/lockbox-requests/" + lockboxId + "/approve", approver,
        "{\"comment\": \"OK for SR-4242\"}").status()).isEqualTo(200);
    drive(created.get("id").asText());
    return created;
  }

  private String grantedAtOnce(TestTenant tenant) {
    String id = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("engineer")).id();
    String processInstanceId = requests.get(id, fixtures.as("lead")).processInstanceId();
    jobs.executeDueJobs(processInstanceId);
    assertThat(requests.get(id, fixtures.as("lead")).status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    return id;
  }

  private Job job(JsonNode created, String activityId) {
    return managementService.createJobQuery().processInstanceId(created.get("processInstanceId").asText())
        .activityId(activityId).singleResult();
  }

  private List<AuditEvent> timeline(String requestId, String user) throws Exception {
    ApiClient.Response response = call("GET", "/api/access-requests/" + requestId + "/timeline", user, null);
    assertThat(response.status()).isEqualTo(200);
    return json.readValue(response.body(), new TypeReference<List<AuditEvent>>() {});
  }

  /** A fresh tenant whose chain holds six events: two environments and four policy changes. */
  private List<AuditEvent> trailOfSixEvents() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    policies.updatePolicy(tenant.id(), new PolicyUpdate(true, PolicyScope.ALL, List.of()), tenant.admin());
    policies.updatePolicy(tenant.id(), new PolicyUpdate(false, PolicyScope.ALL, List.of()), tenant.admin());
    policies.updatePolicy(tenant.id(), new PolicyUpdate(true, PolicyScope.ALL_MANAGED, List.of()), tenant.admin());
    List<AuditEvent> events = db.sql("select " + AuditTrail.COLUMNS + " from audit_event where chain_id = ? "
        + "order by chain_seq").param(tenant.id()).query(AuditTrail::map).list();
    assertThat(events).hasSize(6);
    return events;
  }

  /** An event that looks like {@code model}, at {@code chainSeq} after {@code prevHash}, correctly hashed. */
  private static AuditEvent forge(long chainSeq, String prevHash, AuditEvent model) {
    AuditEvent forged = new AuditEvent(java.util.UUID.randomUUID().toString(), chainSeq, model.occurredAt(),
        model.tenantId(), null, null, AuditEventType.POLICY_CHANGED, "someone", ActorKind.USER, null, null, null, null,
        null, null, null, "before: enabled ALL_MANAGED; after: disabled ALL_MANAGED", prevHash, null);
    return forged.withHash(AuditHash.of(forged));
  }

  private void insert(AuditEvent e) {
    db.sql("insert into audit_event (" + AuditTrail.COLUMNS + ", chain_id) "
            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(e.id(), e.chainSeq(), io.customerlockbox.Times.utc(e.occurredAt()), e.tenantId(), e.environmentId(),
            e.requestId(), e.type().name(), e.actor(), e.actorKind().name(), e.requestStatus(), e.supportTicketId(),
            null, null, e.justification(), e.comment(), e.clientIp(), e.detail(), e.prevHash(), e.hash(), e.chainId())
        .update();
  }

  private void assertBrokenAt(List<AuditEvent> trail, AuditEvent expected, String why) {
    ChainVerification verification = verifier.verify(trail.get(0).tenantId());
    assertThat(verification.valid()).isFalse();
    assertThat(verification.firstBrokenEventId()).isEqualTo(expected.id());
    assertThat(verification.reason()).contains(why);
  }

  private static List<String> csvFields(AuditEvent e) {
    List<Object> values = java.util.Arrays.asList(e.id(), e.chainSeq(), e.occurredAt(), e.tenantId(),
        e.environmentId(), e.requestId(), e.type(), e.actor(), e.actorKind(), e.requestStatus(), e.supportTicketId(),
        e.requestExpiresAt(), e.accessExpiresAt(), e.justification(), e.comment(), e.clientIp(), e.detail(),
        e.prevHash(), e.hash());
    return values.stream().map(v -> v == null ? "" : v.toString()).toList();
  }

  private JsonNode get(String path, String user) throws Exception {
    ApiClient.Response response = call("GET", path, user, null);
    assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  private ApiClient.Response call(String method, String path, String user, String body) {
    String password = DEMO_USERS.contains(user) ? "demo" : Fixtures.PASSWORD;
    return api.as(user, password).send(HttpMethod.valueOf(method), path, MediaType.APPLICATION_JSON, body);
  }

}
