package io.customerlockbox.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The canonical encoding of an event and its SHA-256, so anyone can re-check a chain from an export
 * without our code: the fields below, in this order, each written as its UTF-8 byte length, ":",
 * and its UTF-8 bytes, or as "-" when absent. Times are ISO-8601 UTC with milliseconds. The hash
 * is lower-case hex. Changing any of this breaks every existing chain: add a new version instead.
 */
public final class AuditHash {

  /** The previous hash of a chain's first event. */
  public static final String GENESIS = "0".repeat(64);
  static final String VERSION = "lockbox-audit-v1";

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private AuditHash() {}

  public static String of(AuditEvent e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    for (String field : Arrays.asList(VERSION, e.id(), Long.toString(e.chainSeq()), e.prevHash(),
        time(e.occurredAt()), e.tenantId(), e.environmentId(), e.requestId(), e.type().name(), e.actor(),
        e.actorKind().name(), e.requestStatus(), e.supportTicketId(), time(e.requestExpiresAt()),
        time(e.accessExpiresAt()), e.justification(), e.comment(), e.clientIp(), e.detail())) {
      if (field == null) {
        out.writeBytes(new byte[] {'-'});
      } else {
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        out.writeBytes((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
      }
    }
    return HexFormat.of().formatHex(sha256().digest(out.toByteArray()));
  }

  private static String time(Instant instant) {
    return instant == null ? null : TIME.format(instant);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime has SHA-256", e);
    }
  }
}
