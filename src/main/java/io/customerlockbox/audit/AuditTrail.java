package io.customerlockbox.audit;

import static io.customerlockbox.Times.instant;
import static io.customerlockbox.Times.utc;

import io.customerlockbox.Times;
import io.customerlockbox.audit.AuditEvent.ActorKind;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Appends audit events inside the caller's transaction (the engine step or API call that caused
 * them), so an event exists exactly when its step committed.
 */
@Service
public class AuditTrail {

  private final JdbcClient jdbc;

  public AuditTrail(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** What one step did: who (null for the system), to which request, and in words. */
  public record Entry(AuditEventType type, String tenantId, String environmentId, String requestId,
      String actor, String requestStatus, String detail) {}

  /**
   * Records {@code entry}. With an {@code idempotencyKey} (process instance, activity, type) a
   * repeated step finds its event already there and writes nothing.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void record(Entry entry, String idempotencyKey) {
    if (idempotencyKey != null && jdbc.sql("select count(*) from audit_event where idempotency_key = ?")
        .param(idempotencyKey).query(Integer.class).single() > 0) {
      return;
    }
    jdbc.sql("insert into audit_event (id, occurred_at, tenant_id, environment_id, request_id, event_type, actor, "
            + "actor_kind, request_status, detail, idempotency_key) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(UUID.randomUUID().toString(), utc(Times.now()), entry.tenantId(), entry.environmentId(),
            entry.requestId(), entry.type().name(), entry.actor(),
            (entry.actor() == null ? ActorKind.SYSTEM : ActorKind.USER).name(), entry.requestStatus(),
            entry.detail(), idempotencyKey)
        .update();
  }

  public List<AuditEvent> forRequest(String requestId) {
    return jdbc.sql("select id, occurred_at, tenant_id, environment_id, request_id, event_type, actor, actor_kind, "
            + "request_status, detail from audit_event where request_id = ? order by seq")
        .param(requestId)
        .query((rs, n) -> new AuditEvent(rs.getString(1), instant(rs.getObject(2, OffsetDateTime.class)),
            rs.getString(3), rs.getString(4), rs.getString(5), AuditEventType.valueOf(rs.getString(6)),
            rs.getString(7), ActorKind.valueOf(rs.getString(8)), rs.getString(9), rs.getString(10)))
        .list();
  }
}
