package io.customerlockbox.audit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Re-walks a chain: every event must sit at the next position, name the previous event's hash,
 * and hash to what it carries; the last one must be the one the chain's head records. A changed
 * field breaks the changed event's hash, a deleted event breaks the next event's link (or the
 * head, when it was the last), an inserted event breaks its position, link or hash. With a
 * signing key, the head row must carry the key's signature of its own position and hash (which
 * catches the newest events removed with the head moved back, and events forged after it), and
 * every nightly signed head must be authentic with its position still holding the signed hash
 * (which catches a chain rewritten and re-hashed from some event on). Without a key the answer
 * says what it cannot tell.
 */
@Service
public class AuditVerifier {

  private final JdbcTemplate jdbc;
  private final AuditChains chains;
  private final ChainSigner signer;

  AuditVerifier(DataSource dataSource, AuditChains chains, ChainSigner signer) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.jdbc.setFetchSize(AuditExport.FETCH_SIZE);
    this.chains = chains;
    this.signer = signer;
  }

  /** One snapshot (repeatable read), so appends committed during the walk cannot look like tampering. */
  @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
  public ChainVerification verify(String tenantId) {
    String chainId = AuditEvent.chainOf(tenantId);
    AuditChains.Head head = chains.head(chainId);
    Walk walk = new Walk(head, signer.enabled() ? signer.signatures(chainId, head.anchorSeq()) : List.of());
    jdbc.query("select " + AuditTrail.COLUMNS + " from audit_event where chain_id = ? order by chain_seq, seq",
        rs -> {
          walk.next(AuditTrail.map(rs, 0));
        }, chainId);
    walk.end();
    boolean headSigned = signer.headAuthentic(head);
    // A chain that never started has no head to sign (removing a whole chain with its head row
    // looks the same: only a position the customer kept shows it).
    boolean neverStarted = walk.events == 0 && head.equals(AuditChains.Head.empty(chainId));
    if (walk.broken == null && signer.enabled() && !headSigned && !neverStarted) {
      walk.broken = walk.last == null ? null : walk.last.id();
      walk.reason = "the chain's head " + (head.signature() != null && head.signature().startsWith(
          AuditChains.NOT_AUTHENTIC) ? "was found " + head.signature() + " (when the next event was appended)"
          : "(position " + head.lastSeq() + ") does not carry the signature of the operator's key")
          + ": it was moved back over removed events, or forward over forged ones";
    }
    return new ChainVerification(chainId, walk.broken == null, walk.events, walk.broken, walk.reason,
        head.anchorSeq(), head.anchorHash(), walk.signedThrough, head.lastSeq(), head.lastHash(), headSigned,
        signer.enabled() ? null : ChainSigner.WITHOUT_KEY);
  }

  private final class Walk {
    private final AuditChains.Head head;
    private long expectedSeq;
    private String expectedPrev;
    private AuditEvent last;
    private long events;
    private String broken;
    private String reason;
    private final Deque<ChainSigner.Signature> signatures;
    private long signedThrough;

    Walk(AuditChains.Head head, List<ChainSigner.Signature> signatures) {
      this.head = head;
      this.signatures = new ArrayDeque<>(signatures);
      this.expectedSeq = head.anchorSeq() + 1;
      this.expectedPrev = head.anchorHash();
    }

    void next(AuditEvent e) {
      events++;
      if (broken == null) {
        if (e.chainSeq() != expectedSeq) {
          breakAt(e, "event at position " + e.chainSeq() + " where position " + expectedSeq
              + " was due: an event was inserted or removed here");
        } else if (e.chainSeq() > head.lastSeq()) {
          breakAt(e, "it lies beyond the last event the chain's head records (position " + head.lastSeq()
              + "): it was inserted");
        } else if (!expectedPrev.equals(e.prevHash())) {
          breakAt(e, "it does not follow the event before it: that event was removed or replaced");
        } else if (!AuditHash.of(e).equals(e.hash())) {
          breakAt(e, "its content does not match its hash: it was changed");
        } else {
          checkSignature(e);
        }
      }
      expectedSeq = e.chainSeq() + 1;
      expectedPrev = e.hash();
      last = e;
    }

    private void checkSignature(AuditEvent e) {
      while (!signatures.isEmpty() && signatures.peek().lastSeq() <= e.chainSeq()) {
        ChainSigner.Signature signature = signatures.poll();
        if (signature.lastSeq() < e.chainSeq()) {
          continue;
        }
        if (!signer.authentic(signature)) {
          breakAt(e, "the signature of the chain head at position " + e.chainSeq() + " is not authentic: "
              + "the signature was changed");
        } else if (!signature.lastHash().equals(e.hash())) {
          breakAt(e, "it differs from the hash signed at " + signature.signedAt()
              + ": the chain was rewritten up to here");
        } else {
          signedThrough = e.chainSeq();
        }
      }
    }

    void end() {
      if (broken == null && !signatures.isEmpty()) {
        broken = last == null ? null : last.id();
        reason = "the signed chain head at position " + signatures.peek().lastSeq()
            + " no longer exists: events after this one were removed";
      }
      if (broken != null) {
        return;
      }
      long lastSeq = last == null ? head.anchorSeq() : last.chainSeq();
      String lastHash = last == null ? head.anchorHash() : last.hash();
      if (lastSeq < head.lastSeq() || !lastHash.equals(head.lastHash())) {
        broken = last == null ? null : last.id();
        reason = "the chain's head records position " + head.lastSeq() + " as its last event, the trail ends at "
            + lastSeq + ": events after it were removed";
      }
    }

    private void breakAt(AuditEvent e, String why) {
      broken = e.id();
      reason = why;
    }
  }
}
