package io.customerlockbox.audit;

import io.customerlockbox.LockboxProperties;
import io.customerlockbox.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

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

  private final JdbcClient jdbc;
  private final AuditTrail trail;
  private final AuditChains chains;
  private final RetentionDays retention;
  private final LockboxProperties properties;

  AuditPurge(JdbcClient jdbc, AuditTrail trail, AuditChains chains, RetentionDays retention,
      LockboxProperties properties) {
    this.jdbc = jdbc;
    this.trail = trail;
    this.chains = chains;
    this.retention = retention;
    this.properties = properties;
  }

  /** {@code stepKey} (process instance + activity) makes a retried purge write each event once. */
  @Transactional
  public List<Purged> purge(String stepKey) {
    Instant now = Times.now();
    List<Purged> purged = new ArrayList<>();
    for (String chain : jdbc.sql("select chain_id from audit_chain order by chain_id").query(String.class).list()) {
      int days = AuditEvent.SYSTEM_CHAIN.equals(chain) ? properties.audit().defaultRetentionDays()
          : retention.retentionDays(chain);
      Instant cutoff = now.minus(Duration.ofDays(days));
      AuditChains.Head head = chains.lockHead(chain);
      Long keepFrom = jdbc.sql("select min(chain_seq) from audit_event where chain_id = ? and occurred_at >= ?")
          .params(chain, Times.utc(cutoff)).query(Long.class).optional().orElse(null);
      long lastPurged = keepFrom == null ? head.lastSeq() : keepFrom - 1;
      if (lastPurged <= head.anchorSeq()) {
        continue;
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
      purged.add(new Purged(chain, removed, lastPurged, cutoff));
    }
    return purged;
  }
}
