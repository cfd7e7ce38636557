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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Signs each chain's head with the operator's key (HMAC-SHA256 over
 * "lockbox-audit-head-v1|chain|position|hash|signedAt"), so that rewriting the database and
 * recomputing every later hash no longer yields a chain that verifies: the signed positions would
 * have to keep their hashes. Without {@code lockbox.audit.signing-key} nothing is signed.
 */
@Component
public class ChainSigner {

  static final int MIN_KEY_LENGTH = 32;
  private static final String ALGORITHM = "HmacSHA256";

  /** One signed head: the chain was at {@code lastSeq} with {@code lastHash} when it was signed. */
  public record Signature(String chainId, long lastSeq, String lastHash, Instant signedAt, String signature) {}

  private final JdbcClient jdbc;
  private final AuditChains chains;
  private final SecretKeySpec key;

  public ChainSigner(JdbcClient jdbc, AuditChains chains, LockboxProperties properties) {
    this.jdbc = jdbc;
    this.chains = chains;
    String secret = properties.audit() == null ? null : properties.audit().signingKey();
    if (secret != null && !secret.isBlank() && secret.length() < MIN_KEY_LENGTH) {
      throw new IllegalStateException("lockbox.audit.signing-key must be at least " + MIN_KEY_LENGTH
          + " characters (a random secret), or empty to sign nothing");
    }
    this.key = secret == null || secret.isBlank() ? null
        : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  public boolean enabled() {
    return key != null;
  }

  /** Signs the head of every chain that grew since its last signature; answers how many it signed. */
  @Transactional
  public int signHeads() {
    if (!enabled()) {
      return 0;
    }
    Instant now = Times.now().truncatedTo(ChronoUnit.MILLIS);
    int signed = 0;
    for (String chain : jdbc.sql("select chain_id from audit_chain order by chain_id").query(String.class).list()) {
      AuditChains.Head head = chains.head(chain);
      boolean done = jdbc.sql("select count(*) from audit_chain_signature where chain_id = ? and last_seq = ?")
          .params(chain, head.lastSeq()).query(Integer.class).single() > 0;
      if (head.lastSeq() == 0 || done) {
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
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      String message = "lockbox-audit-head-v1|" + chain + "|" + seq + "|" + hash + "|"
          + signedAt.truncatedTo(ChronoUnit.MILLIS);
      return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Every Java runtime has " + ALGORITHM, e);
    }
  }
}
