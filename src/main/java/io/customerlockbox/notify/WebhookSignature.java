package io.customerlockbox.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature a receiver checks: {@code sha256=} + hex HMAC-SHA256, keyed with the webhook's
 * secret, over {@code timestamp + "." + body}. Signing the timestamp lets a receiver refuse
 * replays of an old delivery.
 */
public final class WebhookSignature {

  public static final String SIGNATURE_HEADER = "X-Lockbox-Signature";
  public static final String TIMESTAMP_HEADER = "X-Lockbox-Timestamp";
  public static final String DELIVERY_HEADER = "X-Lockbox-Delivery";
  public static final String EVENT_HEADER = "X-Lockbox-Event";

  private WebhookSignature() {}

  public static String sign(String secret, String timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return "sha256=" + HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
