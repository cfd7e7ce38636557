package io.customerlockbox.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.Times;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The upgrade to signed grants (V18) on a database whose grants were written before: running
 * grants with a basis in their request's records are signed and still allowed; a running grant
 * whose records show none (its lockbox request was denied) stays unsigned and is refused; ended
 * grants get their basis but no signature.
 */
class SignGrantsMigrationTest {

  private final GrantSigner signer = new GrantSigner(GrantKeys.generate(), List.of());

  @Test
  void runningGrantsWithABasisAreSignedAndOnlyThey() {
    DriverManagerDataSource dataSource = new DriverManagerDataSource(
        "jdbc:h2:mem:v17-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    FluentConfiguration flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
        .table("lockbox_schema_history").javaMigrations(new SignGrantsMigration(signer));
    flyway.target("17").load().migrate();
    JdbcClient jdbc = JdbcClient.create(dataSource);
    jdbc.sql("insert into tenant (id, name) values ('old', 'Old tenant')").update();
    for (String env : List.of("approved", "denied", "glass", "auto", "ended")) {
      jdbc.sql("insert into environment (id, tenant_id, name, managed) values (?, 'old', ?, true)")
          .params(env, env).update();
    }
    Instant now = Times.now().truncatedTo(ChronoUnit.MICROS);
    String approved = request(jdbc, "approved", false, null, "INTERNAL_APPROVAL", "lead", now);
    lockbox(jdbc, approved, "APPROVED", "old-approver", now);
    String denied = request(jdbc, "denied", false, null, "AUTO_APPROVE", null, now);
    lockbox(jdbc, denied, "DENIED", "old-approver", now);
    String glass = request(jdbc, "glass", true, "INC-7", null, null, now);
    String auto = request(jdbc, "auto", false, null, "AUTO_APPROVE", null, now);
    String ended = request(jdbc, "ended", false, null, "AUTO_APPROVE", null, now.minus(Duration.ofDays(2)));
    for (String id : List.of(approved, denied, glass, auto)) {
      grant(jdbc, id, now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(7)), null);
    }
    grant(jdbc, ended, now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(2)).plus(Duration.ofHours(8)), null);

    flyway.target("18").load().migrate();

    AccessGrantService grants = new AccessGrantService(jdbc, signer, new SimpleMeterRegistry());
    assertThat(grants.forRequest(approved).orElseThrow().basis())
        .isEqualTo(new GrantBasis(GrantBasis.Kind.CUSTOMER_APPROVAL, "old-approver", now,
            grants.forRequest(approved).orElseThrow().basis().detail()));
    assertThat(grants.forRequest(glass).orElseThrow().basis().kind()).isEqualTo(GrantBasis.Kind.BREAK_GLASS);
    assertThat(grants.forRequest(glass).orElseThrow().basis().decidedBy()).isEqualTo("oncall");
    assertThat(grants.forRequest(auto).orElseThrow().basis().kind()).isEqualTo(GrantBasis.Kind.NO_LOCKBOX_NEEDED);
    for (String running : List.of(approved, glass, auto)) {
      AccessGrant grant = grants.forRequest(running).orElseThrow();
      assertThat(signer.verify(grant)).as(running).isEqualTo(GrantSigner.Verdict.VALID);
      assertThat(grants.check(grant.environmentId(), grant.userId()).allowed()).isTrue();
    }

    AccessGrant withoutBasis = grants.forRequest(denied).orElseThrow();
    assertThat(withoutBasis.basis()).isNull();
    assertThat(withoutBasis.signature()).isNull();
    assertThat(grants.check("denied", "engineer-denied").allowed()).isFalse();

    AccessGrant over = grants.forRequest(ended).orElseThrow();
    assertThat(over.basis().kind()).isEqualTo(GrantBasis.Kind.NO_LOCKBOX_NEEDED);
    assertThat(over.signature()).isNull();
  }

  private static String request(JdbcClient jdbc, String env, boolean breakGlass, String incident, String jit,
      String lead, Instant at) {
    String id = UUID.randomUUID().toString();
    jdbc.sql("insert into access_request (id, tenant_id, environment_id, justification, access_level, "
            + "isolated_identity, mfa_verified, break_glass, incident_id, requested_by, requested_at, status, "
            + "jit_outcome, internal_decided_by, internal_decided_at) "
            + "values (?, 'old', ?, 'an old request', 'READ', true, true, ?, ?, ?, ?, 'ACCESS_GRANTED', ?, ?, ?)")
        .params(id, env, breakGlass, incident, breakGlass ? "oncall" : "engineer-" + env, Times.utc(at), jit, lead,
            lead == null ? null : Times.utc(at))
        .update();
    return id;
  }

  private static void lockbox(JdbcClient jdbc, String requestId, String status, String decidedBy, Instant at) {
    jdbc.sql("insert into lockbox_request (id, access_request_id, tenant_id, status, requested_at, expires_at, "
            + "access_period, decided_by, decided_at) values (?, ?, 'old', ?, ?, ?, 'PT8H', ?, ?)")
        .params(UUID.randomUUID().toString(), requestId, status, Times.utc(at), Times.utc(at.plus(Duration.ofDays(4))),
            decidedBy, Times.utc(at))
        .update();
  }

  private static void grant(JdbcClient jdbc, String requestId, Instant grantedAt, Instant expiresAt, Instant endedAt) {
    jdbc.sql("insert into access_grant (id, access_request_id, tenant_id, environment_id, user_id, break_glass, "
            + "granted_at, expires_at, ended_at) select ?, id, tenant_id, environment_id, requested_by, break_glass, "
            + "?, ?, ? from access_request where id = ?")
        .params(UUID.randomUUID().toString(), Times.utc(grantedAt), Times.utc(expiresAt), Times.utc(endedAt), requestId)
        .update();
  }
}
