package io.customerlockbox.access;

import static io.customerlockbox.Times.instant;
import static io.customerlockbox.Times.utc;

import io.customerlockbox.Times;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Grants of access to a customer environment, and the check the data plane calls. */
@Service
public class AccessGrantService {

  private static final String COLUMNS = "id, access_request_id, tenant_id, environment_id, user_id, break_glass, "
      + "granted_at, expires_at, ended_at, end_reason, basis_kind, basis_decided_by, basis_decided_at, basis_detail, signature";

  private final JdbcClient jdbc;

  public AccessGrantService(JdbcClient jdbc) {
    this.jdbc = jdbc;
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
    Instant now = Times.now();
    AccessGrant grant = new AccessGrant(UUID.randomUUID().toString(), accessRequestId, tenantId, environmentId,
        userId, breakGlass, now, Times.plus(now, accessPeriod), null, null, basis, null);
    jdbc.sql("insert into access_grant (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, null, null, ?, ?, ?, ?, ?)")
        .params(grant.id(), accessRequestId, tenantId, environmentId, userId, breakGlass,
            utc(grant.grantedAt()), utc(grant.expiresAt()), basis.kind().name(), basis.decidedBy(),
            utc(basis.decidedAt()), basis.detail(), grant.signature())
        .update();
    return grant;
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

  public AccessCheck check(String environmentId, String userId) {
    Instant now = Times.now();
    return jdbc.sql("select max(expires_at) from access_grant where environment_id = ? and user_id = ? "
            + "and ended_at is null and expires_at > ?")
        .params(environmentId, userId, utc(now))
        .query((rs, n) -> instant(rs.getObject(1, OffsetDateTime.class)))
        .optional()
        .filter(expiresAt -> expiresAt != null)
        .map(expiresAt -> new AccessCheck(true, expiresAt))
        .orElse(new AccessCheck(false, null));
  }

  private static AccessGrant map(ResultSet rs, int row) throws SQLException {
    String kind = rs.getString(11);
    GrantBasis basis = kind == null ? null : new GrantBasis(GrantBasis.Kind.valueOf(kind), rs.getString(12),
        instant(rs.getObject(13, OffsetDateTime.class)), rs.getString(14));
    return new AccessGrant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getBoolean(6), instant(rs.getObject(7, OffsetDateTime.class)), instant(rs.getObject(8, OffsetDateTime.class)),
        instant(rs.getObject(9, OffsetDateTime.class)), rs.getString(10), basis, rs.getString(15));
  }
}
