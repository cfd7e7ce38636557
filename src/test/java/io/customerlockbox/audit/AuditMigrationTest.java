package io.customerlockbox.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.LockboxProperties;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** A database that ran V1 only keeps its events and gets them chained and verifiable. */
class AuditMigrationTest {

  @Test
  void eventsWrittenBeforeTheChainExistedAreChainedInTheOrderTheyWereWritten() {
    DriverManagerDataSource dataSource = new DriverManagerDataSource(
        "jdbc:h2:mem:v1-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    FluentConfiguration flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
        .table("lockbox_schema_history");
    flyway.target("1").load().migrate();
    JdbcClient jdbc = JdbcClient.create(dataSource);
    jdbc.sql("insert into tenant (id, name) values ('old', 'Old tenant')").update();
    for (int i = 0; i < 3; i++) {
      jdbc.sql("insert into audit_event (id, occurred_at, tenant_id, event_type, actor, actor_kind, detail) "
              + "values (?, timestamp with time zone '2025-05-01 10:00:00+00', ?, 'POLICY_CHANGED', 'someone', 'USER', ?)")
          .params(UUID.randomUUID().toString(), i == 1 ? null : "old", "change " + i).update();
    }

    flyway.target("latest").load().migrate();

    ChainSigner signer = new ChainSigner(jdbc, new LockboxProperties(null, null,
        new LockboxProperties.Audit(365, "an-operator-secret-of-at-least-32-characters"), null));
    AuditChains chains = new AuditChains(jdbc, new DataSourceTransactionManager(dataSource), signer);
    AuditVerifier verifier = new AuditVerifier(dataSource, chains, signer);
    // Heads chained before head signing carry no signature: the first start with a key signs them.
    assertThat(verifier.verify("old").reason()).contains("does not carry the signature");
    assertThat(chains.signUnsignedHeads()).isEqualTo(2);
    assertThat(chains.signUnsignedHeads()).isZero();
    assertThat(verifier.verify("old")).extracting(ChainVerification::valid, ChainVerification::events,
        ChainVerification::headSigned).containsExactly(true, 2L, true);
    assertThat(verifier.verify(null)).extracting(ChainVerification::valid, ChainVerification::events)
        .containsExactly(true, 1L);
  }
}
