package io.customerlockbox.audit;

import static io.customerlockbox.Times.instant;
import static io.customerlockbox.Times.utc;

import io.customerlockbox.LockboxProperties;
import io.customerlockbox.Times;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Signs with the operator's key (HMAC-SHA256), which stays outside the database. Two signatures:
 * the head row's own, written by every append in its transaction
 * ("lockbox-audit-head-v2|chain|position|hash"), so the head cannot be moved back over removed
 * events or forward over forged ones; and each night's signed heads
 * ("lockbox-audit-head-v1|chain|position|hash|signedAt"), a record of where the chain stood, so a
 * rewrite that recomputed every later hash is found at the positions signed before. Without
 * {@code lockbox.audit.signing-key} nothing is signed, which the log says at start-up.
 */
@Component
public class ChainSigner {

  static final int MIN_KEY_LENGTH = 32;
  private static final String ALGORITHM = "HmacSHA256";
  private static final Logger LOG = LoggerFactory.getLogger(ChainSigner.class);

  /** What verify cannot tell without a key; said at start-up and in every verify answer. */
  public static final String WITHOUT_KEY = "No audit signing key is configured (lockbox.audit.signing-key): "
      + "removing the newest events of a chain and moving its head back to the last kept event cannot be "
      + "detected, nor can a chain rewritten with every later hash recomputed.";

  /** One signed head: the chain was at {@code lastSeq} with {@code lastHash} when it was signed. */
  public record Signature(String chainId, long lastSeq, String lastHash, Instant signedAt, String signature) {}

  private final JdbcClient jdbc;
  private final SecretKeySpec key;

  public ChainSigner(JdbcClient jdbc, LockboxProperties properties) {
    this.jdbc = jdbc;
    String secret = properties.audit() == null ? null : properties.audit().signingKey();
    if (secret != null && !secret.isBlank() && secret.length() < MIN_KEY_LENGTH) {
      throw new IllegalStateException("lockbox.audit.signing-key must be at least " + MIN_KEY_LENGTH
          + " characters (a random secret), or empty to sign nothing");
    }
    this.key = secret == null || secret.isBlank() ? null
        : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    if (key == null) {
      LOG.warn(WITHOUT_KEY);
    }
  }

  public boolean enabled() {
    return key != null;
  }

  /** The signature of a head at {@code seq} with {@code hash}; null without a key. Public for the benchmark. */
  public String headSignature(String chainId, long seq, String hash) {
    return enabled() ? mac("lockbox-audit-head-v2|" + chainId + "|" + seq + "|" + hash) : null;
  }

  /** Whether the head row carries the operator's signature of its own position and hash. */
  boolean headAuthentic(AuditChains.Head head) {
    return enabled() && head.signature() != null && MessageDigest.isEqual(
        headSignature(head.chainId(), head.lastSeq(), head.lastHash()).getBytes(StandardCharsets.US_ASCII),
        head.signature().getBytes(StandardCharsets.US_ASCII));
  }

  /** Signs the head of every chain that grew since its last signature; answers how many it signed. */
  @Transactional
  public int signHeads() {
    if (!enabled()) {
      return 0;
    }
    Instant now = Times.now().truncatedTo(ChronoUnit.MILLIS);
    int signed = 0;
    for (AuditChains.Head head : jdbc.sql("select chain_id, last_seq, last_hash, head_signature from audit_chain "
            + "order by chain_id")
        .query((rs, n) -> new AuditChains.Head(rs.getString(1), rs.getLong(2), rs.getString(3), 0, null, rs.getString(4)))
        .list()) {
      String chain = head.chainId();
      boolean done = jdbc.sql("select count(*) from audit_chain_signature where chain_id = ? and last_seq = ?")
          .params(chain, head.lastSeq()).query(Integer.class).single() > 0;
      // A head found not authentic is not vouched for: verify reports it.
      if (head.lastSeq() == 0 || done || !headAuthentic(head)) {
        continue;
      }
      jdbc.sql("insert into audit_chain_signature (chain_id, last_seq, last_hash, signed_at, signature) "
              + "values (?, ?, ?, ?, ?)")
          .params(chain, head.lastSeq(), head.lastHash(), utc(now), sign(chain, head.lastSeq(), head.lastHash(), now))
          .update();
      signed++;
    }
    return signed;
  }

  /** The chain's signatures after {@code afterSeq} (older ones vouch for purged events), oldest first. */
  List<Signature> signatures(String chainId, long afterSeq) {
    return jdbc.sql("select chain_id, last_seq, last_hash, signed_at, signature from audit_chain_signature "
            + "where chain_id = ? and last_seq > ? order by last_seq")
        .params(chainId, afterSeq)
        .query((rs, n) -> new Signature(rs.getString(1), rs.getLong(2), rs.getString(3),
            instant(rs.getObject(4, OffsetDateTime.class)), rs.getString(5)))
        .list();
  }

  boolean authentic(Signature s) {
    return enabled() && MessageDigest.isEqual(
        sign(s.chainId(), s.lastSeq(), s.lastHash(), s.signedAt()).getBytes(StandardCharsets.US_ASCII),
        s.signature().getBytes(StandardCharsets.US_ASCII));
  }

  private String sign(String chain, long seq, String hash, Instant signedAt) {
    return mac("lockbox-audit-head-v1|" + chain + "|" + seq + "|" + hash + "|" + signedAt.truncatedTo(ChronoUnit.MILLIS));
  }

  private String mac(String message) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Every Java runtime has " + ALGORITHM, e);
    }
  }
}
