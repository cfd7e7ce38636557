package io.customerlockbox;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Every setting a deployer may change; the README lists them. */
@ConfigurationProperties("lockbox")
public record LockboxProperties(String publicUrl, Mail mail, Audit audit) {

  public record Mail(String from) {}

  /**
   * {@code defaultRetentionDays}: how long audit events are kept where a tenant set nothing.
   * {@code signingKey}: the operator's secret for signing chain heads; empty means no signing.
   */
  public record Audit(int defaultRetentionDays, String signingKey) {}
}
