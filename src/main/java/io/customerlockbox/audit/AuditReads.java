package io.customerlockbox.audit;

import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records each read of the trail (search, export, verify) as an event in every chain it read, so a
 * customer sees who looked at their evidence, the provider's staff included: who, from where, the
 * filter and how many of the chain's events they got. Recorded after the read, in a transaction
 * of its own: a read never sees its own event, and the event is appended like any other, so the
 * chain still verifies.
 */
@Service
public class AuditReads {

  /** Who reads, and from where: taken on the request's thread (an export streams on another). */
  public record Reader(String user, String clientIp) {

    static Reader ofCurrentRequest(String user) {
      return new Reader(user, ClientAddress.ofCurrentRequest());
    }
  }

  private final AuditTrail trail;
  private final TransactionTemplate ownTransaction;

  AuditReads(AuditTrail trail, PlatformTransactionManager transactions) {
    this.trail = trail;
    this.ownTransaction = new TransactionTemplate(transactions);
    this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
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
