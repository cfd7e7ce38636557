package io.customerlockbox.request;

import io.customerlockbox.ThisTransaction;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionSynchronization;

/**
 * The access requests whose rows this transaction has locked, each as last read. Nobody else
 * changes a locked row before this transaction ends, and the repository forgets a row when it
 * writes it, so a row read here is the row in the database: the API call, the task listener, the
 * step and the gateway after it read it once instead of each. Kept by the transaction
 * ({@link ThisTransaction}): it ends with it.
 */
final class LockedRequests implements TransactionSynchronization {

  private final Set<String> locked = new HashSet<>();
  /** The locked rows as last read; a row this transaction wrote since is read again. */
  private final Map<String, AccessRequest> rows = new HashMap<>();

  private LockedRequests() {}

  /** This transaction's, made by its first lock; null outside a transaction (nothing is kept then). */
  static LockedRequests ofThisTransaction() {
    return ThisTransaction.keeps(LockedRequests.class, any -> true, LockedRequests::new);
  }

  /** This transaction's if it locked a request; else null (a read or write without a lock keeps nothing). */
  static LockedRequests ifAnyLocked() {
    return ThisTransaction.kept(LockedRequests.class, any -> true);
  }

  boolean holds(String id) {
    return locked.contains(id);
  }

  /** Records the lock taken on request {@code id} with the row it answered. */
  Optional<AccessRequest> lock(String id, Optional<AccessRequest> lockedRow) {
    locked.add(id);
    lockedRow.ifPresent(row -> rows.put(id, row));
    return lockedRow;
  }

  /** Locked request {@code id} as last read, or as {@code reader} reads it when this transaction wrote it since. */
  Optional<AccessRequest> read(String id, Supplier<Optional<AccessRequest>> reader) {
    AccessRequest row = rows.get(id);
    if (row != null) {
      return Optional.of(row);
    }
    Optional<AccessRequest> read = reader.get();
    read.ifPresent(found -> rows.put(id, found));
    return read;
  }

  /** This transaction wrote request {@code id}: still locked, read again next time. */
  void forget(String id) {
    rows.remove(id);
  }
}
