package io.customerlockbox.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.ApplicationTest;
import io.customerlockbox.LockboxProperties;
import io.customerlockbox.PostgresDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * What someone who can write to the database does to the trail, and what finds it: the head signed
 * by every append (with the operator's key) and the offline verifier with a head the customer kept.
 * On H2, and on PostgreSQL in the second database run.
 */
@Tag(ApplicationTest.BOTH_DATABASES)
class AuditTamperingTest {

  private static final String KEY = "an-operator-secret-of-at-least-32-characters";

  private static PostgresDatabase postgres;
  private static DriverManagerDataSource dataSource;

  private JdbcClient jdbc;
  private ChainSigner signer;
  private AuditChains chains;
  private AuditTrail trail;
  private String tenant;

  @BeforeAll
  static void database() {
    if (ApplicationTest.onPostgres()) {
      postgres = PostgresDatabase.create("audit_tampering");
      dataSource = new DriverManagerDataSource(postgres.url(), postgres.user(), postgres.password());
    } else {
      dataSource = new DriverManagerDataSource("jdbc:h2:mem:tampering-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
          "sa", "");
    }
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").table("lockbox_schema_history")
        .load().migrate();
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @BeforeEach
  void keyedTrail() {
    jdbc = JdbcClient.create(dataSource);
    useKey(KEY);
    tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void theNewestEventsRemovedWithTheHeadMovedBackAreFoundAtOnceWithAKey() {
    List<AuditEvent> events = record(tenant, 6);
    assertThat(verifier().verify(tenant)).extracting(ChainVerification::valid, ChainVerification::headSigned,
        ChainVerification::lastSeq, ChainVerification::notice).containsExactly(true, true, 6L, null);

    removeNewestAndMoveTheHeadBack(tenant, events, 2);

    ChainVerification verification = verifier().verify(tenant);
    assertThat(verification.valid()).isFalse();
    assertThat(verification.headSigned()).isFalse();
    assertThat(verification.firstBrokenEventId()).isEqualTo(events.get(3).id());
    assertThat(verification.reason()).contains("moved back");

    // The next step appends as usual, but does not vouch for the moved head: the chain stays broken.
    record(tenant, 1);
    ChainVerification later = verifier().verify(tenant);
    assertThat(later.valid()).isFalse();
    assertThat(later.reason()).contains("not authentic at position 4");
  }

  @Test
  void withoutAKeyVerifySaysItCannotTellThatTheNewestEventsWereRemoved() {
    useKey(null);
    List<AuditEvent> events = record(tenant, 6);
    removeNewestAndMoveTheHeadBack(tenant, events, 2);

    ChainVerification verification = verifier().verify(tenant);
    assertThat(verification).extracting(ChainVerification::valid, ChainVerification::headSigned,
        ChainVerification::lastSeq).containsExactly(true, false, 4L);
    assertThat(verification.notice()).contains("No audit signing key", "cannot be detected");
  }

  @Test
  void aForgedHeadRowIsFound() {
    List<AuditEvent> events = record(tenant, 3);
    String other = "o-" + tenant;
    record(other, 1);

    // An event forged after the last one, with a correct hash and link, and the head moved onto it:
    // the chain is consistent, but the head's signature cannot be made without the key, nor copied.
    AuditEvent last = events.get(2);
    AuditEvent forged = new AuditEvent(UUID.randomUUID().toString(), 4, last.occurredAt(), tenant, null, null,
        AuditEventType.POLICY_CHANGED, "admin", AuditEvent.ActorKind.USER, null, null, null, null, null, null, null,
        "lockbox disabled", last.hash(), null);
    forged = forged.withHash(AuditHash.of(forged));
    insert(forged);
    String othersSignature = jdbc.sql("select head_signature from audit_chain where chain_id = ?").param(other)
        .query(String.class).single();
    jdbc.sql("update audit_chain set last_seq = 4, last_hash = ?, head_signature = ? where chain_id = ?")
        .params(forged.hash(), othersSignature, tenant).update();

    ChainVerification verification = verifier().verify(tenant);
    assertThat(verification.valid()).isFalse();
    assertThat(verification.firstBrokenEventId()).isEqualTo(forged.id());
    assertThat(verification.reason()).contains("does not carry the signature");
    assertThat(verifier().verify(other).valid()).isTrue();
  }

  @Test
  void anExportAlteredAfterDownloadIsFoundByTheOfflineVerifierAtItsFirstBadEvent() throws IOException {
    List<AuditEvent> events = record(tenant, 3);
    ChainPosition early = trail.position(tenant);
    events.addAll(record(tenant, 3));
    ChainPosition kept = trail.position(tenant);
    assertThat(kept.position()).isEqualTo(6);
    String export = export(tenant, AuditExport.Format.NDJSON);
    List<String> lines = new ArrayList<>(export.lines().toList());

    assertThat(offline(export, kept)).extracting(AuditVerify.Outcome::valid, AuditVerify.Outcome::events)
        .containsExactly(true, 6L);

    // One field changed: the event no longer matches its hash.
    List<String> edited = new ArrayList<>(lines);
    edited.set(2, lines.get(2).replace("change 3", "nothing"));
    assertBrokenAt(offline(String.join("\n", edited), kept), events.get(2).id(), 3L, "changed");

    // Changed, and every later hash recomputed: only the kept heads show it, and narrow it down.
    String rehashed = rehashedFrom(events, 4, "nothing");
    assertBrokenAt(offline(rehashed, kept), events.get(5).id(), 6L, "from position 1 to 6");
    assertBrokenAt(offline(rehashed, early, kept), events.get(5).id(), 6L, "from position 4 to 6");

    // An event removed from the middle, and the newest ones removed.
    List<String> gap = new ArrayList<>(lines);
    gap.remove(3);
    assertBrokenAt(offline(String.join("\n", gap), kept), events.get(4).id(), 4L, "missing");
    assertBrokenAt(offline(String.join("\n", lines.subList(0, 4)), kept), null, 5L, "from position 5 on were removed");

    // The same from CSV.
    String csv = export(tenant, AuditExport.Format.CSV);
    assertThat(AuditVerify.verify(new StringReader(csv), true, List.of(kept)).valid()).isTrue();
    assertBrokenAt(AuditVerify.verify(new StringReader(csv.replace("change 5", "nothing")), true, List.of(kept)),
        events.get(4).id(), 5L, "changed");
  }

  @Test
  void theVerifierIsACommandThatNamesTheFirstBadEvent(@TempDir Path dir) throws IOException {
    List<AuditEvent> events = record(tenant, 4);
    ChainPosition kept = trail.position(tenant);
    Path file = dir.resolve("audit-events-" + tenant + ".ndjson");
    Files.writeString(file, export(tenant, AuditExport.Format.NDJSON));

    Command ok = command(file.toString(), "--head", kept.toString());
    assertThat(ok.status()).isZero();
    assertThat(ok.out()).contains("OK: 4 events", "head " + kept + " matches event " + events.get(3).id());

    Files.writeString(file, Files.readString(file).replace("change 2", "nothing"));
    Command broken = command(file.toString(), "--head", kept.toString());
    assertThat(broken.status()).isEqualTo(1);
    assertThat(broken.out()).contains("BROKEN at event " + events.get(1).id() + ", position 2");

    Command wrong = command(file.toString(), "--head", "4");
    assertThat(wrong.status()).isEqualTo(2);
    assertThat(wrong.err()).contains("expected <position>:<64 hex digits");
  }

  private record Command(int status, String out, String err) {}

  private static Command command(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = AuditVerify.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Command(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void assertBrokenAt(AuditVerify.Outcome outcome, String eventId, Long position, String reason) {
    assertThat(outcome.valid()).isFalse();
    assertThat(outcome.firstBadEventId()).isEqualTo(eventId);
    assertThat(outcome.firstBadPosition()).isEqualTo(position);
    assertThat(outcome.reason()).contains(reason);
  }

  private static AuditVerify.Outcome offline(String export, ChainPosition... heads) throws IOException {
    return AuditVerify.verify(new StringReader(export), false, List.of(heads));
  }

  /** The export as an attacker would leave it: event {@code position} changed and every later hash recomputed. */
  private String rehashedFrom(List<AuditEvent> events, int position, String detail) throws IOException {
    String prev = events.get(position - 2).hash();
    StringBuilder out = new StringBuilder();
    var json = com.fasterxml.jackson.databind.json.JsonMapper.builder()
        .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
        .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    for (AuditEvent e : events) {
      AuditEvent written = e;
      if (e.chainSeq() >= position) {
        written = new AuditEvent(e.id(), e.chainSeq(), e.occurredAt(), e.tenantId(), e.environmentId(),
            e.requestId(), e.type(), e.actor(), e.actorKind(), e.requestStatus(), e.supportTicketId(),
            e.requestExpiresAt(), e.accessExpiresAt(), e.justification(), e.comment(), e.clientIp(),
            e.chainSeq() == position ? detail : e.detail(), prev, null);
        written = written.withHash(AuditHash.of(written));
        prev = written.hash();
      }
      out.append(json.writeValueAsString(written)).append('\n');
    }
    return out.toString();
  }

  private String export(String tenantId, AuditExport.Format format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AuditExport.standalone(dataSource).write(new AuditQuery(tenantId, null, null, null, null, null), format, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** What an attacker does: delete the newest {@code count} events and point the head at the last kept one. */
  private void removeNewestAndMoveTheHeadBack(String chain, List<AuditEvent> events, int count) {
    AuditEvent lastKept = events.get(events.size() - count - 1);
    jdbc.sql("delete from audit_event where chain_id = ? and chain_seq > ?").params(chain, lastKept.chainSeq())
        .update();
    jdbc.sql("update audit_chain set last_seq = ?, last_hash = ? where chain_id = ?")
        .params(lastKept.chainSeq(), lastKept.hash(), chain).update();
  }

  private List<AuditEvent> record(String tenantId, int count) {
    List<AuditEvent> events = new ArrayList<>();
    long before = chains.head(tenantId).lastSeq();
    for (int i = 1; i <= count; i++) {
      events.add(trail.record(AuditTrail.Entry.of(AuditEventType.POLICY_CHANGED, tenantId, null, "admin",
          "change " + (before + i)), null));
    }
    return events;
  }

  private void insert(AuditEvent e) {
    jdbc.sql("insert into audit_event (id, chain_seq, occurred_at, tenant_id, event_type, actor, actor_kind, detail, "
            + "prev_hash, hash, chain_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(e.id(), e.chainSeq(), io.customerlockbox.Times.utc(e.occurredAt()), e.tenantId(), e.type().name(),
            e.actor(), e.actorKind().name(), e.detail(), e.prevHash(), e.hash(), e.tenantId())
        .update();
  }

  private void useKey(String key) {
    signer = new ChainSigner(jdbc, new LockboxProperties(null, null, new LockboxProperties.Audit(365, key), null));
    chains = new AuditChains(jdbc, new DataSourceTransactionManager(dataSource), signer);
    trail = new AuditTrail(jdbc, chains);
  }

  private AuditVerifier verifier() {
    return new AuditVerifier(dataSource, chains, signer);
  }
}
