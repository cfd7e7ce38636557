package io.customerlockbox.access;

import static io.customerlockbox.Times.instant;
import static io.customerlockbox.Times.utc;

import io.customerlockbox.Times;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Grants of access to a customer environment, and the check the data plane calls. Every grant is
 * signed when written ({@link GrantSigner}); the check trusts a row only when its signature verifies.
 */
@Service
public class AccessGrantService {

  private static final Logger LOG = LoggerFactory.getLogger(AccessGrantService.class);

  static final String COLUMNS = "id, access_request_id, tenant_id, environment_id, user_id, break_glass, "
      + "granted_at, expires_at, ended_at, end_reason, basis_kind, basis_decided_by, basis_decided_at, basis_detail, signature";

  private final JdbcClient jdbc;
  private final GrantSigner signer;
  private final MeterRegistry meters;

  public AccessGrantService(JdbcClient jdbc, GrantSigner signer, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.signer = signer;
    this.meters = meters;
  }

  /**
   * Grants access once per request: a repeated step finds the grant it made before. {@code basis} is
   * stored with the grant; the caller has checked it against the domain's records.
   */
  public AccessGrant grant(String accessRequestId, String tenantId, String environmentId, String userId,
      boolean breakGlass, String accessPeriod, GrantBasis basis) {
    Optional<AccessGrant> existing = forRequest(accessRequestId);
    if (existing.isPresent()) {
      return existing.get();
    }
    // The database keeps microseconds: what is signed is what is read back.
    Instant now = Times.now().truncatedTo(ChronoUnit.MICROS);
    GrantBasis stored = new GrantBasis(basis.kind(), basis.decidedBy(),
        basis.decidedAt() == null ? null : basis.decidedAt().truncatedTo(ChronoUnit.MICROS), basis.detail());
    AccessGrant unsigned = new AccessGrant(UUID.randomUUID().toString(), accessRequestId, tenantId, environmentId,
        userId, breakGlass, now, Times.plus(now, accessPeriod).truncatedTo(ChronoUnit.MICROS), null, null, stored, null);
    AccessGrant grant = withSignature(unsigned, signer.sign(unsigned));
    jdbc.sql("insert into access_grant (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, null, null, ?, ?, ?, ?, ?)")
        .params(grant.id(), accessRequestId, tenantId, environmentId, userId, breakGlass,
            utc(grant.grantedAt()), utc(grant.expiresAt()), stored.kind().name(), stored.decidedBy(),
            utc(stored.decidedAt()), stored.detail(), grant.signature())
        .update();
    return grant;
  }

  /**
   * Moves the end of a running grant to {@code newEnd}, signed anew over the new end (the data
   * plane's check answers with it from the commit on). The caller checked the extension's basis.
   */
  public AccessGrant extend(AccessGrant grant, Instant newEnd) {
    AccessGrant unsigned = new AccessGrant(grant.id(), grant.accessRequestId(), grant.tenantId(), grant.environmentId(),
        grant.userId(), grant.breakGlass(), grant.grantedAt(), newEnd.truncatedTo(ChronoUnit.MICROS), null, null,
        grant.basis(), null);
    AccessGrant extended = withSignature(unsigned, signer.sign(unsigned));
    int moved = jdbc.sql("update access_grant set expires_at = ?, signature = ? where id = ? and ended_at is null "
            + "and expires_at = ?")
        .params(utc(extended.expiresAt()), extended.signature(), grant.id(), utc(grant.expiresAt()))
        .update();
    if (moved != 1) {
      throw new IllegalStateException("Grant " + grant.id() + " ended or moved while it was being extended");
    }
    return extended;
  }

  /** Ends a grant at once; the check refuses from this moment. Ending it again changes nothing. */
  public Optional<AccessGrant> end(String accessRequestId, String reason) {
    jdbc.sql("update access_grant set ended_at = ?, end_reason = ? where access_request_id = ? and ended_at is null")
        .params(utc(Times.now()), reason, accessRequestId)
        .update();
    return forRequest(accessRequestId);
  }

  public Optional<AccessGrant> find(String grantId) {
    return jdbc.sql("select " + COLUMNS + " from access_grant where id = ?")
        .param(grantId)
        .query(AccessGrantService::map)
        .optional();
  }

  public Optional<AccessGrant> forRequest(String accessRequestId) {
    return jdbc.sql("select " + COLUMNS + " from access_grant where access_request_id = ?")
        .param(accessRequestId)
        .query(AccessGrantService::map)
        .optional();
  }

  /**
   * Allowed while a running grant of this user on this environment carries a signature that verifies
   * over its own fields; the one that runs longest answers. A row that does not verify was written
   * past the product (inserted, copied or extended in the database): it is refused, logged and counted.
   */
  public AccessCheck check(String environmentId, String userId) {
    List<AccessGrant> running = jdbc.sql("select " + COLUMNS + " from access_grant where environment_id = ? "
            + "and user_id = ? and ended_at is null and expires_at > ? order by expires_at desc")
        .params(environmentId, userId, utc(Times.now()))
        .query(AccessGrantService::map)
        .list();
    for (AccessGrant grant : running) {
      GrantSigner.Verdict verdict = signer.verify(grant);
      if (verdict == GrantSigner.Verdict.VALID) {
        return AccessCheck.of(grant);
      }
      refused(grant, verdict);
    }
    return AccessCheck.refused();
  }

  private void refused(AccessGrant grant, GrantSigner.Verdict verdict) {
    meters.counter("lockbox.grants.refused", "reason", verdict.name().toLowerCase(Locale.ROOT)).increment();
    LOG.error("Refused grant {} of access request {} for user {} on environment {}: its signature is {}. "
            + "The row was not written by the product as it stands (inserted or changed in the database, "
            + "or signed with a key this node does not accept).", grant.id(), grant.accessRequestId(), grant.userId(),
        grant.environmentId(), verdict.name().toLowerCase(Locale.ROOT).replace('_', ' '));
  }

  static AccessGrant withSignature(AccessGrant g, String signature) {
    return new AccessGrant(g.id(), g.accessRequestId(), g.tenantId(), g.environmentId(), g.userId(), g.breakGlass(),
        g.grantedAt(), g.expiresAt(), g.endedAt(), g.endReason(), g.basis(), signature);
  }

  static AccessGrant map(ResultSet rs, int row) throws SQLException {
    String kind = rs.getString(11);
    GrantBasis basis = kind == null ? null : new GrantBasis(GrantBasis.Kind.valueOf(kind), rs.getString(12),
        instant(rs.getObject(13, OffsetDateTime.class)), rs.getString(14));
    return new AccessGrant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getBoolean(6), instant(rs.getObject(7, OffsetDateTime.class)), instant(rs.getObject(8, OffsetDateTime.class)),
        instant(rs.getObject(9, OffsetDateTime.class)), rs.getString(10), basis, rs.getString(15));
  }
}
