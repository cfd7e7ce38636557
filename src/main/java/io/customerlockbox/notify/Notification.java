package io.customerlockbox.notify;

import io.customerlockbox.audit.ChainPosition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One message to one person; {@code body} is HTML. {@code key} identifies it across retries
 * (the step that caused it and the recipient), so it is sent once, and when a crash makes it go
 * out twice, both copies carry the same {@link #messageId}. {@code auditHead}: where the customer's
 * audit trail stood when a message to their approvers was sent (the {@value #AUDIT_HEAD_HEADER}
 * header), null for messages to the provider's people.
 */
public record Notification(String key, String recipient, String subject, String body, ChainPosition auditHead) {

  /** The mail header and webhook header that carry the tenant's chain head: {@code <position>:<hash>}. */
  public static final String AUDIT_HEAD_HEADER = "X-Lockbox-Audit-Head";

  public Notification(String key, String recipient, String subject, String body) {
    this(key, recipient, subject, body, null);
  }

  /**
   * The mail's Message-ID: the same for every send of this message, so a mail system (or the
   * recipient's client) drops a repeat. Derived from the key, which names the tenant's request
   * only by its id.
   */
  public String messageId(String domain) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "<" + HexFormat.of().formatHex(digest, 0, 20) + ".lockbox@" + domain + ">";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
