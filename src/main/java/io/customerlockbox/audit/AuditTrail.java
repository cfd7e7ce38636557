package io.customerlockbox.audit;

import static io.customerlockbox.Times.instant;
import static io.customerlockbox.Times.utc;

import io.customerlockbox.Times;
import io.customerlockbox.audit.AuditEvent.ActorKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import io.customerlockbox.LockboxProperties;
import io.customerlockbox.ThisTransaction;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;

/**
 * Appends audit events inside the caller's transaction (the engine step or API call that caused
 * them), so an event exists exactly when its step committed. Each event is chained to the
 * previous event of its tenant: appending locks the chain's head row, so appends to one chain
 * serialize across transactions and cluster nodes, and a rollback takes the event and the head's
 * advance back together.
 */
@Service
public class AuditTrail {

  public static final String COLUMNS = "id, chain_seq, occurred_at, tenant_id, environment_id, request_id, event_type, "
      + "actor, actor_kind, request_status, support_ticket_id, request_expires_at, access_expires_at, justification, "
      + "comment, client_ip, detail, prev_hash, hash";

  private final JdbcClient jdbc;
  private final AuditChains chains;

  public AuditTrail(JdbcClient jdbc, AuditChains chains) {
    this.jdbc = jdbc;
    this.chains = chains;
  }

  /**
   * A trail for a process without Spring's context (the benchmark appends with and without a
   * signing key), on a database Flyway migrated; {@code signingKey} null signs nothing.
   */
  public static AuditTrail standalone(DataSource dataSource, String signingKey) {
    JdbcClient jdbc = JdbcClient.create(dataSource);
    ChainSigner signer = new ChainSigner(jdbc, new LockboxProperties(null, null,
        new LockboxProperties.Audit(365, signingKey), null));
    return new AuditTrail(jdbc, new AuditChains(jdbc, new DataSourceTransactionManager(dataSource), signer));
  }

  /**
   * What one step did: who (null for the system), to which request, and in words. {@code clientIp}
   * is where a person acted from, null for system steps.
   */
  public record Entry(AuditEventType type, String tenantId, String environmentId, String requestId,
      String actor, String requestStatus, String supportTicketId, Instant requestExpiresAt,
      Instant accessExpiresAt, String justification, String comment, String clientIp, String detail) {

    /** A step that concerns no access request (policy, environments, retention). */
    public static Entry of(AuditEventType type, String tenantId, String environmentId, String actor, String detail) {
      return new Entry(type, tenantId, environmentId, null, actor, null, null, null, null, null, null,
          actor == null ? null : ClientAddress.ofCurrentRequest(), detail);
    }
  }

  /**
   * Records {@code entry} now and answers the event. With an {@code idempotencyKey} (process
   * instance, activity, type) a repeated step finds its event already there, writes nothing and
   * answers that event.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public AuditEvent record(Entry entry, String idempotencyKey) {
    if (idempotencyKey != null) {
      var earlier = recorded(idempotencyKey);
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }
    return append(entry, idempotencyKey);
  }

  /**
   * Records {@code entry} as the transaction commits, with it or not at all. Appending locks the
   * chain's head until the commit: done last, the lock is held for the commit alone instead of the
   * rest of the step, so the steps of one tenant do not queue behind each other's engine work.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void recordAtCommit(Entry entry, String idempotencyKey) {
    AtCommit pending = atCommit();
    if (idempotencyKey != null && (!pending.keys.add(idempotencyKey) || recorded(idempotencyKey).isPresent())) {
      return;
    }
    chains.ensureExists(AuditEvent.chainOf(entry.tenantId()));
    pending.entries.add(new Pending(entry, idempotencyKey));
  }

  private Optional<AuditEvent> recorded(String idempotencyKey) {
    return jdbc.sql("select " + COLUMNS + " from audit_event where idempotency_key = ?")
        .param(idempotencyKey).query(AuditTrail::map).optional();
  }

  private AuditEvent append(Entry entry, String idempotencyKey) {
    String chainId = AuditEvent.chainOf(entry.tenantId());
    AuditChains.Head head = chains.lockHead(chainId);
    AuditEvent event = new AuditEvent(UUID.randomUUID().toString(), head.lastSeq() + 1,
        Times.now().truncatedTo(ChronoUnit.MILLIS), entry.tenantId(), entry.environmentId(), entry.requestId(),
        entry.type(), entry.actor(), entry.actor() == null ? ActorKind.SYSTEM : ActorKind.USER, entry.requestStatus(),
        entry.supportTicketId(), entry.requestExpiresAt(), entry.accessExpiresAt(), entry.justification(),
        entry.comment(), entry.clientIp(), entry.detail(), head.lastHash(), null);
    event = event.withHash(AuditHash.of(event));
    jdbc.sql("insert into audit_event (" + COLUMNS + ", chain_id, idempotency_key) "
            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(event.id(), event.chainSeq(), utc(event.occurredAt()), event.tenantId(), event.environmentId(),
            event.requestId(), event.type().name(), event.actor(), event.actorKind().name(), event.requestStatus(),
            event.supportTicketId(), utc(event.requestExpiresAt()), utc(event.accessExpiresAt()),
            event.justification(), event.comment(), event.clientIp(), event.detail(), event.prevHash(), event.hash(),
            chainId, idempotencyKey)
        .update();
    chains.advance(head, event.chainSeq(), event.hash());
    return event;
  }

  /** This transaction's entries waiting for its commit (registered with the transaction, so a suspended one keeps its own). */
  private AtCommit atCommit() {
    return ThisTransaction.keeps(AtCommit.class, pending -> pending.trail() == this, AtCommit::new);
  }

  private record Pending(Entry entry, String idempotencyKey) {}

  private final class AtCommit implements TransactionSynchronization {

    private final List<Pending> entries = new ArrayList<>();
    private final Set<String> keys = new HashSet<>();

    AuditTrail trail() {
      return AuditTrail.this;
    }

    @Override
    public void beforeCommit(boolean readOnly) {
      // Chain by chain in a fixed order (a stable sort keeps each chain's own order): two steps
      // never hold one chain each while waiting for the other's.
      entries.stream().sorted(Comparator.comparing((Pending p) -> AuditEvent.chainOf(p.entry().tenantId())))
          .forEach(p -> append(p.entry(), p.idempotencyKey()));
    }
  }

  /**
   * Where the tenant's chain stands as committed now (its last position and hash): what the
   * customer is told in notifications, to check an export against later.
   */
  public ChainPosition position(String tenantId) {
    AuditChains.Head head = chains.committedHead(AuditEvent.chainOf(tenantId));
    return new ChainPosition(head.chainId(), head.lastSeq(), head.lastHash());
  }

  /** A request's events in the order they happened. */
  public List<AuditEvent> forRequest(String requestId) {
    return jdbc.sql("select " + COLUMNS + " from audit_event where request_id = ? order by seq")
        .param(requestId)
        .query(AuditTrail::map)
        .list();
  }

  public static AuditEvent map(ResultSet rs, int row) throws SQLException {
    return new AuditEvent(rs.getString(1), rs.getLong(2), instant(rs.getObject(3, OffsetDateTime.class)),
        rs.getString(4), rs.getString(5), rs.getString(6), AuditEventType.valueOf(rs.getString(7)), rs.getString(8),
        ActorKind.valueOf(rs.getString(9)), rs.getString(10), rs.getString(11),
        instant(rs.getObject(12, OffsetDateTime.class)), instant(rs.getObject(13, OffsetDateTime.class)),
        rs.getString(14), rs.getString(15), rs.getString(16), rs.getString(17), rs.getString(18), rs.getString(19));
  }
}
