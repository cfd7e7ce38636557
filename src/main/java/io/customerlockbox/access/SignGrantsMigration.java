package io.customerlockbox.access;

import static io.customerlockbox.Times.instant;
import static io.customerlockbox.Times.utc;

import io.customerlockbox.Times;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * V18: grants written before grants were signed get the basis their request's records show, and
 * those still running are signed, so an upgrade does not cut off access a customer approved. A
 * grant whose records show no basis (a lockbox request that was not approved, no internal decision,
 * a break-glass without its flag) stays unsigned: the check refuses it. A Spring bean (Spring Boot
 * hands such beans to Flyway) because it signs with the configured key.
 */
@Component
class SignGrantsMigration implements JavaMigration {

  private static final Logger LOG = LoggerFactory.getLogger(SignGrantsMigration.class);
  private static final String RECORDED = " (recorded at the upgrade to signed grants)";

  private final GrantSigner signer;

  SignGrantsMigration(GrantSigner signer) {
    this.signer = signer;
  }

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion("18");
  }

  @Override
  public String getDescription() {
    return "basis and signature of grants written before grants were signed";
  }

  @Override
  public Integer getChecksum() {
    return null;
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection connection = context.getConnection();
    Instant now = Times.now();
    List<AccessGrant> grants = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement("select g.id, g.access_request_id, g.tenant_id, "
        + "g.environment_id, g.user_id, g.break_glass, g.granted_at, g.expires_at, g.ended_at, g.end_reason, "
        + "r.break_glass, r.incident_id, r.requested_by, r.requested_at, r.jit_outcome, r.internal_decided_by, "
        + "r.internal_decided_at, l.id, l.status, l.decided_by, l.decided_at "
        + "from access_grant g join access_request r on r.id = g.access_request_id "
        + "left join lockbox_request l on l.access_request_id = g.access_request_id "
        + "where g.basis_kind is null and g.signature is null order by g.granted_at");
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        grants.add(new AccessGrant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getBoolean(6), at(rs, 7), at(rs, 8), at(rs, 9), rs.getString(10), basis(rs), null));
      }
    }
    int signed = 0;
    try (PreparedStatement update = connection.prepareStatement("update access_grant set basis_kind = ?, "
        + "basis_decided_by = ?, basis_decided_at = ?, basis_detail = ?, signature = ? where id = ?")) {
      for (AccessGrant grant : grants) {
        GrantBasis basis = grant.basis();
        if (basis == null) {
          if (grant.activeAt(now)) {
            LOG.warn("Grant {} of access request {} has no basis in the request's records: it stays unsigned, "
                + "and the check refuses it from now on.", grant.id(), grant.accessRequestId());
          }
          continue;
        }
        String signature = grant.activeAt(now) ? signer.sign(grant) : null;
        update.setString(1, basis.kind().name());
        update.setString(2, basis.decidedBy());
        update.setObject(3, utc(basis.decidedAt()));
        update.setString(4, basis.detail());
        update.setString(5, signature);
        update.setString(6, grant.id());
        update.executeUpdate();
        signed += signature == null ? 0 : 1;
      }
    }
    LOG.info("Signed grants: {} running grant(s) written before this version were signed; {} grant(s) examined.",
        signed, grants.size());
  }

  /** What the request's own records show, or null when they show no basis. */
  private static GrantBasis basis(ResultSet rs) throws SQLException {
    if (rs.getBoolean(11)) {
      String incident = rs.getString(12);
      return incident == null ? null
          : new GrantBasis(GrantBasis.Kind.BREAK_GLASS, rs.getString(13), at(rs, 14), "incident " + incident + RECORDED);
    }
    if (rs.getString(18) != null) {
      return "APPROVED".equals(rs.getString(19)) && rs.getString(20) != null
          ? new GrantBasis(GrantBasis.Kind.CUSTOMER_APPROVAL, rs.getString(20), at(rs, 21),
              "lockbox request " + rs.getString(18) + " approved" + RECORDED)
          : null;
    }
    String jit = rs.getString(15);
    if ("AUTO_APPROVE".equals(jit)) {
      return new GrantBasis(GrantBasis.Kind.NO_LOCKBOX_NEEDED, null, at(rs, 7), "auto-approved" + RECORDED);
    }
    if ("INTERNAL_APPROVAL".equals(jit) && rs.getString(16) != null) {
      return new GrantBasis(GrantBasis.Kind.NO_LOCKBOX_NEEDED, rs.getString(16), at(rs, 17),
          "approved by support lead " + rs.getString(16) + RECORDED);
    }
    return null;
  }

  private static Instant at(ResultSet rs, int column) throws SQLException {
    return instant(rs.getObject(column, OffsetDateTime.class));
  }
}
