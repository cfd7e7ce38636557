package db.migration;

import io.customerlockbox.audit.AuditEvent;
import io.customerlockbox.audit.AuditHash;
import io.customerlockbox.audit.AuditTrail;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Chains the events written before the trail had hash chains (a database that ran V1 only), in
 * the order they were written, so verify covers them too. The hash is computed in Java, where the
 * canonical encoding lives; SQL alone cannot reproduce it on both H2 and PostgreSQL.
 */
public class V3__chain_existing_audit_events extends BaseJavaMigration {

  private record Head(long seq, String hash) {}

  @Override
  public void migrate(Context context) throws Exception {
    Connection connection = context.getConnection();
    Map<String, Head> heads = new LinkedHashMap<>();
    try (Statement select = connection.createStatement();
        PreparedStatement update = connection.prepareStatement(
            "update audit_event set chain_id = ?, chain_seq = ?, prev_hash = ?, hash = ? where id = ?")) {
      select.setFetchSize(500);
      try (ResultSet rs = select.executeQuery(
          "select " + AuditTrail.COLUMNS + " from audit_event where hash is null order by seq")) {
        while (rs.next()) {
          AuditEvent stored = AuditTrail.map(rs, 0);
          Head head = heads.getOrDefault(stored.chainId(), new Head(0, AuditHash.GENESIS));
          AuditEvent chained = new AuditEvent(stored.id(), head.seq() + 1, stored.occurredAt(), stored.tenantId(),
              stored.environmentId(), stored.requestId(), stored.type(), stored.actor(), stored.actorKind(),
              stored.requestStatus(), stored.supportTicketId(), stored.requestExpiresAt(), stored.accessExpiresAt(),
              stored.justification(), stored.comment(), stored.clientIp(), stored.detail(), head.hash(), null);
          String hash = AuditHash.of(chained);
          update.setString(1, stored.chainId());
          update.setLong(2, chained.chainSeq());
          update.setString(3, head.hash());
          update.setString(4, hash);
          update.setString(5, stored.id());
          update.executeUpdate();
          heads.put(stored.chainId(), new Head(chained.chainSeq(), hash));
        }
      }
    }
    try (PreparedStatement insert = connection.prepareStatement("insert into audit_chain (chain_id, last_seq, "
        + "last_hash, anchor_seq, anchor_hash, purged_events) values (?, ?, ?, 0, ?, 0)")) {
      for (Map.Entry<String, Head> head : heads.entrySet()) {
        insert.setString(1, head.getKey());
        insert.setLong(2, head.getValue().seq());
        insert.setString(3, head.getValue().hash());
        insert.setString(4, AuditHash.GENESIS);
        insert.executeUpdate();
      }
    }
  }
}
