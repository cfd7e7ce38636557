package io.customerlockbox.audit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The head row of each chain (audit_chain): its last event, and its anchor after purges. */
@Component
public class AuditChains {

  /** A chain's head: its last event and where it starts (the anchor left by retention purges). */
  public record Head(String chainId, long lastSeq, String lastHash, long anchorSeq, String anchorHash) {

    static Head empty(String chainId) {
      return new Head(chainId, 0, AuditHash.GENESIS, 0, AuditHash.GENESIS);
    }
  }

  private final JdbcClient jdbc;
  private final TransactionTemplate ownTransaction;
  private final Set<String> existing = ConcurrentHashMap.newKeySet();

  AuditChains(JdbcClient jdbc, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.ownTransaction = new TransactionTemplate(transactions);
    this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  /**
   * Locks the chain's head row until the caller's transaction ends (select ... for update), so
   * appends to one chain serialize. A chain's first append creates the row in a short transaction
   * of its own, so two first appends cannot both start a chain.
   */
  Head lockHead(String chainId) {
    Head head = read(chainId, true);
    if (head != null) {
      return head;
    }
    create(chainId);
    return read(chainId, true);
  }

  /**
   * Makes sure the chain's head row exists, so locking it later (as a transaction commits) needs
   * no transaction of its own. Head rows are never deleted: one seen is remembered.
   */
  void ensureExists(String chainId) {
    if (!existing.contains(chainId) && read(chainId, false) == null) {
      create(chainId);
    }
    existing.add(chainId);
  }

  private void create(String chainId) {
    try {
      ownTransaction.executeWithoutResult(status -> jdbc.sql("insert into audit_chain (chain_id, last_seq, last_hash, "
              + "anchor_seq, anchor_hash, purged_events) values (?, 0, ?, 0, ?, 0)")
          .params(chainId, AuditHash.GENESIS, AuditHash.GENESIS)
          .update());
    } catch (DuplicateKeyException startedByAnotherTransaction) {
      // Fine: the chain exists now either way.
    }
  }

  /** The head as committed, or an empty chain's when none was ever written. */
  Head head(String chainId) {
    Head head = read(chainId, false);
    return head == null ? Head.empty(chainId) : head;
  }

  void advance(String chainId, long lastSeq, String lastHash) {
    jdbc.sql("update audit_chain set last_seq = ?, last_hash = ? where chain_id = ?")
        .params(lastSeq, lastHash, chainId)
        .update();
  }

  private Head read(String chainId, boolean forUpdate) {
    return jdbc.sql("select chain_id, last_seq, last_hash, anchor_seq, anchor_hash from audit_chain where chain_id = ?"
            + (forUpdate ? " for update" : ""))
        .param(chainId)
        .query((rs, n) -> new Head(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getString(5)))
        .optional()
        .orElse(null);
  }
}
