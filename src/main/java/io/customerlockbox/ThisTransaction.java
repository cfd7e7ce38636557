package io.customerlockbox;

import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What one transaction keeps for itself (rows it read, entries for its commit): registered with the
 * transaction as a synchronization, so a transaction suspended for another one (REQUIRES_NEW)
 * keeps its own, and it is gone when the transaction ends.
 */
public final class ThisTransaction {

  private ThisTransaction() {}

  /**
   * The running transaction's {@code type} that {@code mine} accepts, made by {@code make} and
   * registered on first use; null outside a transaction (a synchronization without one, under
   * SUPPORTS, spans statements that each commit on their own).
   */
  public static <T extends TransactionSynchronization> T keeps(Class<T> type, Predicate<T> mine, Supplier<T> make) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()
        || !TransactionSynchronizationManager.isActualTransactionActive()) {
      return null;
    }
    T kept = kept(type, mine);
    if (kept == null) {
      kept = make.get();
      TransactionSynchronizationManager.registerSynchronization(kept);
    }
    return kept;
  }

  /** The running transaction's {@code type} that {@code mine} accepts, if it made one ({@link #keeps}); else null. */
  public static <T extends TransactionSynchronization> T kept(Class<T> type, Predicate<T> mine) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      return null;
    }
    for (TransactionSynchronization registered : TransactionSynchronizationManager.getSynchronizations()) {
      if (type.isInstance(registered) && mine.test(type.cast(registered))) {
        return type.cast(registered);
      }
    }
    return null;
  }
}
