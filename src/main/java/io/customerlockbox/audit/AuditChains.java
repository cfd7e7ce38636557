package io.customerlockbox.audit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The head row of each chain (audit_chain): its last event, its anchor after purges, and the
 * operator's signature of its position and hash, renewed by every append in the append's
 * transaction (a rollback takes it back with the event).
 */
@Component
public class AuditChains implements SmartInitializingSingleton {

  private static final Logger LOG = LoggerFactory.getLogger(AuditChains.class);
  /** What a head found not authentic carries from then on, with the position it was found at. */
  static final String NOT_AUTHENTIC = "not authentic at position ";

  /**
   * A chain's head: its last event, where it starts (the anchor left by retention purges), and the
   * operator's signature over the last event's position and hash (null when unsigned).
   */
  public record Head(String chainId, long lastSeq, String lastHash, long anchorSeq, String anchorHash,
      String signature) {

    static Head empty(String chainId) {
      return new Head(chainId, 0, AuditHash.GENESIS, 0, AuditHash.GENESIS, null);
    }
  }

  private final JdbcClient jdbc;
  private final ChainSigner signer;
  private final TransactionTemplate ownTransaction;
  private final Set<String> existing = ConcurrentHashMap.newKeySet();

  AuditChains(JdbcClient jdbc, PlatformTransactionManager transactions, ChainSigner signer) {
    this.jdbc = jdbc;
    this.signer = signer;
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
              + "anchor_seq, anchor_hash, purged_events, head_signature) values (?, 0, ?, 0, ?, 0, ?)")
          .params(chainId, AuditHash.GENESIS, AuditHash.GENESIS, signer.headSignature(chainId, 0, AuditHash.GENESIS))
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

  /** The head as committed, read in a transaction of its own: never a head the caller's step may still roll back. */
  Head committedHead(String chainId) {
    return ownTransaction.execute(status -> head(chainId));
  }

  /**
   * Moves the head from {@code from} (locked) to the chain's new last event and signs it. A head
   * that was not authentic is never signed again: its chain stays broken for verify to report,
   * instead of the next append vouching for a head someone moved.
   */
  void advance(Head from, long lastSeq, String lastHash) {
    String signature = signer.headSignature(from.chainId(), lastSeq, lastHash);
    if (signer.enabled() && !signer.headAuthentic(from)) {
      LOG.error("The head of audit chain {} at position {} does not carry the signature of the audit signing key: "
          + "someone changed it; the chain stays marked as broken", from.chainId(), from.lastSeq());
      signature = from.signature() != null && from.signature().startsWith(NOT_AUTHENTIC) ? from.signature()
          : NOT_AUTHENTIC + from.lastSeq();
    }
    write(from.chainId(), lastSeq, lastHash, signature);
  }

  private void write(String chainId, long lastSeq, String lastHash, String signature) {
    jdbc.sql("update audit_chain set last_seq = ?, last_hash = ?, head_signature = ? where chain_id = ?")
        .params(lastSeq, lastHash, signature, chainId)
        .update();
  }

  /** Before anything can append (runners, the job executor, the web server come later). */
  @Override
  public void afterSingletonsInstantiated() {
    signUnsignedHeads();
  }

  /**
   * Signs the heads that carry no signature: once after the upgrade that brought head signing, or
   * after a key was set for the first time. Each one is logged: any other time, someone removed it.
   */
  public int signUnsignedHeads() {
    if (!signer.enabled()) {
      return 0;
    }
    return ownTransaction.execute(status -> {
      int signed = 0;
      for (String chain : jdbc.sql("select chain_id from audit_chain where head_signature is null order by chain_id")
          .query(String.class).list()) {
        Head head = read(chain, true);
        if (head.signature() == null) {
          write(chain, head.lastSeq(), head.lastHash(), signer.headSignature(chain, head.lastSeq(), head.lastHash()));
          LOG.warn("The head of audit chain {} (position {}) had no signature and is signed now: expected once after "
              + "upgrading or first setting lockbox.audit.signing-key; any other time someone removed it",
              chain, head.lastSeq());
          signed++;
        }
      }
      return signed;
    });
  }

  private Head read(String chainId, boolean forUpdate) {
    return jdbc.sql("select chain_id, last_seq, last_hash, anchor_seq, anchor_hash, head_signature from audit_chain "
            + "where chain_id = ?" + (forUpdate ? " for update" : ""))
        .param(chainId)
        .query((rs, n) -> new Head(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getString(5),
            rs.getString(6)))
        .optional()
        .orElse(null);
  }
}
