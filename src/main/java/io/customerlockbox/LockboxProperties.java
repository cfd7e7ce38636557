package io.customerlockbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Every setting a deployer may change; docs/operations.md lists them. */
@ConfigurationProperties("lockbox")
public record LockboxProperties(String publicUrl, Mail mail, Audit audit, Webhooks webhooks) {

  /** {@code templates}: a directory whose {@code <name>.html} files replace the shipped mail templates. */
  public record Mail(String from, String templates) {}

  /**
   * {@code defaultRetentionDays}: how long audit events are kept where a tenant set nothing.
   * {@code signingKey}: the operator's secret for signing chain heads; empty means no signing.
   */
  public record Audit(int defaultRetentionDays, String signingKey) {}

  /** {@code allowPrivateAddresses}: let webhooks call loopback and private networks (tests, closed networks). */
  public record Webhooks(boolean allowPrivateAddresses, Duration timeout) {}
}
