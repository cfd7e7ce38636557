package io.customerlockbox.audit;

import io.customerlockbox.LockboxProperties;
import io.customerlockbox.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The retention purge: removes each chain's events older than its tenant's retention and anchors
 * the rest, so the remaining chain still verifies. Events go as a prefix of the chain: the anchor
 * is the position and hash of the last removed event, where the walk starts from now on. (An old
 * event behind a newer one, which only clock skew between nodes could cause, waits for the newer
 * one to age out.) Each purge is an event in the chain it shortened.
 */
@Service
public class AuditPurge {

  /** What one chain lost: {@code events} up to position {@code anchorSeq}, all older than {@code cutoff}. */
  public record Purged(String chain, long events, long anchorSeq, Instant cutoff) {}

  /**
   * The first event of a chain that the purge keeps: a walk in chain order from the anchor that
   * stops at the first event within retention, so a purge reads the events it removes and one
   * more while it holds the tenant's head, not every event the chain keeps (H2 read the whole
   * chain for {@code min(chain_seq)}: 580 ms at 10,000 requests, every expiry of the tenant
   * waiting). H2 walks an index in order only when the order names its columns from the first.
   */
  static final String FIRST_KEPT = "select chain_seq from audit_event where chain_id = ? and chain_seq > ? "
      + "and occurred_at >= ? order by chain_id, chain_seq fetch first 1 rows only";

  private final JdbcClient jdbc;
  private final AuditTrail trail;
  private final AuditChains chains;
  private final RetentionDays retention;
  private final LockboxProperties properties;

  /**
   * Each chain in a transaction of its own, its purge event committed with it: the purge locks a
   * tenant's head only while that tenant's chain is purged. In one transaction it held every head
   * it had passed until the last chain was done, so on a large trail every tenant's steps and
   * audit searches waited for the whole purge.
   */
  private final TransactionTemplate chainByChain;

  AuditPurge(JdbcClient jdbc, AuditTrail trail, AuditChains chains, RetentionDays retention,
      LockboxProperties properties, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.trail = trail;
    this.chains = chains;
    this.retention = retention;
    this.properties = properties;
    this.chainByChain = new TransactionTemplate(transactions);
    this.chainByChain.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  /**
   * {@code stepKey} (process instance + activity) makes a retried purge write each event once; a
   * retry after a failure half-way finds the chains already purged anchored and skips them.
   */
  public List<Purged> purge(String stepKey) {
    Instant now = Times.now();
    List<Purged> purged = new ArrayList<>();
    for (String chain : jdbc.sql("select chain_id from audit_chain order by chain_id").query(String.class).list()) {
      chainByChain.execute(status -> purge(chain, now, stepKey)).ifPresent(purged::add);
    }
    return purged;
  }

  private Optional<Purged> purge(String chain, Instant now, String stepKey) {
    int days = AuditEvent.SYSTEM_CHAIN.equals(chain) ? properties.audit().defaultRetentionDays()
        : retention.retentionDays(chain);
    Instant cutoff = now.minus(Duration.ofDays(days));
    AuditChains.Head head = chains.lockHead(chain);
    Long keepFrom = jdbc.sql(FIRST_KEPT).params(chain, head.anchorSeq(), Times.utc(cutoff)).query(Long.class)
        .optional().orElse(null);
    long lastPurged = keepFrom == null ? head.lastSeq() : keepFrom - 1;
    if (lastPurged <= head.anchorSeq()) {
      return Optional.empty();
    }
    String anchorHash = jdbc.sql("select hash from audit_event where chain_id = ? and chain_seq = ? "
            + "order by seq fetch first 1 rows only")
        .params(chain, lastPurged).query(String.class).single();
    int removed = jdbc.sql("delete from audit_event where chain_id = ? and chain_seq <= ?")
        .params(chain, lastPurged).update();
    jdbc.sql("update audit_chain set anchor_seq = ?, anchor_hash = ?, anchored_at = ?, "
            + "purged_events = purged_events + ? where chain_id = ?")
        .params(lastPurged, anchorHash, Times.utc(now), removed, chain).update();
    trail.record(AuditTrail.Entry.of(AuditEventType.AUDIT_EVENTS_PURGED,
        AuditEvent.SYSTEM_CHAIN.equals(chain) ? null : chain, null, null,
        "removed " + removed + " events older than " + cutoff + " (retention " + days + " days); the chain now "
            + "starts after position " + lastPurged + ", hash " + anchorHash), stepKey + "/" + chain);
    return Optional.of(new Purged(chain, removed, lastPurged, cutoff));
  }
}
