package io.customerlockbox.audit;

import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records each read of the trail (search, export, verify) as an event in every chain it read, so a
 * customer sees who looked at their evidence, the provider's staff included: who, from where, the
 * filter and how many of the chain's events they got. Recorded after the read, in a transaction
 * of its own: a read never sees its own event, and the event is appended like any other, so the
 * chain still verifies. The API and the customer's page read the trail through here only.
 */
@Service
public class AuditReads {

  /** Who reads, and from where: taken on the request's thread (an export streams on another). */
  public record Reader(String user, String clientIp) {

    public static Reader ofCurrentRequest(String user) {
      return new Reader(user, ClientAddress.ofCurrentRequest());
    }
  }

  private final AuditTrail trail;
  private final AuditSearch search;
  private final AuditExport export;
  private final AuditVerifier verifier;
  private final TransactionTemplate ownTransaction;

  AuditReads(AuditTrail trail, AuditSearch search, AuditExport export, AuditVerifier verifier,
      PlatformTransactionManager transactions) {
    this.trail = trail;
    this.search = search;
    this.export = export;
    this.verifier = verifier;
    this.ownTransaction = new TransactionTemplate(transactions);
    this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  /** One page of the events {@code query} matches, newest first; the search is recorded. */
  public AuditPage search(AuditQuery query, int page, int size, Reader reader) {
    AuditPage found = search.search(query, page, size);
    record(AuditEventType.AUDIT_TRAIL_SEARCHED, reader, query.tenantId(),
        "searched with " + query.describe() + ", page " + page + " (" + size + " a page)",
        found.events().stream().collect(Collectors.groupingBy(AuditEvent::chainId, Collectors.counting())));
    return found;
  }

  /**
   * Writes the events {@code query} matches to {@code out}; recorded once they went out (or stopped
   * going out), so the export never holds its own event. {@code reader} is taken on the request's
   * thread: an export streams on another.
   */
  public void export(AuditQuery query, AuditExport.Format format, OutputStream out, Reader reader) {
    Map<String, Long> written = new HashMap<>();
    try {
      export.write(query, format, out, written);
    } finally {
      record(AuditEventType.AUDIT_TRAIL_EXPORTED, reader, query.tenantId(),
          "exported as " + format + " with " + query.describe(), written);
    }
  }

  /** Walks the tenant's chain (no tenant: the system chain); the verification is recorded. */
  public ChainVerification verify(String tenantId, Reader reader) {
    ChainVerification verification = verifier.verify(tenantId);
    record(AuditEventType.AUDIT_TRAIL_VERIFIED, reader, tenantId,
        "verified up to position " + verification.lastSeq() + ": " + (verification.valid() ? "valid"
            : "broken at event " + verification.firstBrokenEventId()),
        Map.of(verification.chain(), verification.events()));
    return verification;
  }

  /**
   * One event of {@code type} in each chain of {@code eventsPerChain}, and in the chain of the
   * tenant the read was filtered to even when it found nothing there. A read of no tenant that
   * found nothing is recorded in the system chain.
   */
  public void record(AuditEventType type, Reader reader, String tenantId, String what,
      Map<String, Long> eventsPerChain) {
    Map<String, Long> chains = new TreeMap<>(eventsPerChain);
    if (tenantId != null || chains.isEmpty()) {
      chains.putIfAbsent(AuditEvent.chainOf(tenantId), 0L);
    }
    ownTransaction.executeWithoutResult(status -> chains.forEach((chain, events) -> trail.record(
        new AuditTrail.Entry(type, AuditEvent.SYSTEM_CHAIN.equals(chain) ? null : chain, null, null, reader.user(),
            null, null, null, null, null, null, reader.clientIp(),
            what + ": " + events + (events == 1 ? " event" : " events") + " of this trail"), null)));
  }
}
