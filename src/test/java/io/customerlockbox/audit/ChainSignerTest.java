package io.customerlockbox.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.customerlockbox.LockboxProperties;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Signed chain heads against the attack a plain hash chain cannot see: someone with write access
 * to the database changes an event and recomputes every later hash and the head row.
 */
class ChainSignerTest {

  private static final String KEY = "an-operator-secret-of-at-least-32-characters";

  private DriverManagerDataSource dataSource;
  private JdbcClient jdbc;
  private AuditChains chains;
  private AuditTrail trail;

  @BeforeEach
  void database() {
    dataSource = new DriverManagerDataSource("jdbc:h2:mem:signed-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").table("lockbox_schema_history")
        .load().migrate();
    jdbc = JdbcClient.create(dataSource);
    chains = new AuditChains(jdbc, new DataSourceTransactionManager(dataSource), signer(KEY));
    trail = new AuditTrail(jdbc, chains);
  }

  @Test
  void aChainRewrittenAndRehashedAfterItsHeadWasSignedNoLongerVerifies() {
    ChainSigner signer = signer(KEY);
    for (int i = 1; i <= 5; i++) {
      trail.record(AuditTrail.Entry.of(AuditEventType.POLICY_CHANGED, "t", null, "admin", "change " + i), null);
    }
    assertThat(signer.signHeads()).isEqualTo(1);
    assertThat(signer.signHeads()).isZero();
    trail.record(AuditTrail.Entry.of(AuditEventType.POLICY_CHANGED, "t", null, "admin", "change 6"), null);
    assertThat(verifier(signer).verify("t"))
        .extracting(ChainVerification::valid, ChainVerification::signedThrough).containsExactly(true, 5L);

    rewriteFrom(2, "nothing happened");

    // Without the key the rewritten chain is consistent; with it, the signed head gives it away.
    assertThat(verifier(signer(null)).verify("t").valid()).isTrue();
    ChainVerification verification = verifier(signer).verify("t");
    assertThat(verification.valid()).isFalse();
    assertThat(verification.firstBrokenEventId()).isEqualTo(events().get(4).id());
    assertThat(verification.reason()).contains("rewritten");
  }

  @Test
  void aForgedSignatureIsRefused() {
    ChainSigner signer = signer(KEY);
    trail.record(AuditTrail.Entry.of(AuditEventType.POLICY_CHANGED, "t", null, "admin", "change"), null);
    signer.signHeads();
    jdbc.sql("update audit_chain_signature set signature = ?").param("0".repeat(64)).update();

    assertThat(verifier(signer).verify("t").reason()).contains("not authentic");
    assertThat(verifier(signer(KEY.replace('a', 'b'))).verify("t").valid()).isFalse();
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void withoutAKeyTheStartUpSaysWhatCannotBeDetected(CapturedOutput output) {
    assertThat(signer(null).enabled()).isFalse();
    assertThat(output.getAll()).contains("No audit signing key is configured",
        "removing the newest events of a chain and moving its head back", "cannot be detected");
  }

  @Test
  void aShortKeyIsRefusedAtStartup() {
    assertThatThrownBy(() -> signer("too short")).hasMessageContaining("at least 32 characters");
  }

  /** What an attacker with database access does: change one event, re-hash it and all after it. */
  private void rewriteFrom(int position, String detail) {
    List<AuditEvent> events = events();
    String prev = events.get(position - 2).hash();
    for (AuditEvent e : events.subList(position - 1, events.size())) {
      AuditEvent changed = new AuditEvent(e.id(), e.chainSeq(), e.occurredAt(), e.tenantId(), e.environmentId(),
          e.requestId(), e.type(), e.actor(), e.actorKind(), e.requestStatus(), e.supportTicketId(),
          e.requestExpiresAt(), e.accessExpiresAt(), e.justification(), e.comment(), e.clientIp(),
          e.chainSeq() == position ? detail : e.detail(), prev, null);
      changed = changed.withHash(AuditHash.of(changed));
      jdbc.sql("update audit_event set detail = ?, prev_hash = ?, hash = ? where id = ?")
          .params(changed.detail(), changed.prevHash(), changed.hash(), e.id()).update();
      prev = changed.hash();
    }
    jdbc.sql("update audit_chain set last_hash = ? where chain_id = 't'").param(prev).update();
  }

  private List<AuditEvent> events() {
    return jdbc.sql("select " + AuditTrail.COLUMNS + " from audit_event where chain_id = 't' order by chain_seq")
        .query(AuditTrail::map).list();
  }

  private ChainSigner signer(String key) {
    return new ChainSigner(jdbc, new LockboxProperties(null, null, new LockboxProperties.Audit(365, key), null));
  }

  private AuditVerifier verifier(ChainSigner signer) {
    return new AuditVerifier(dataSource, chains, signer);
  }
}
