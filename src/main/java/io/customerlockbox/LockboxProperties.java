package io.customerlockbox;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Every setting a deployer may change; the README lists them. */
@ConfigurationProperties("lockbox")
public record LockboxProperties(String publicUrl, Mail mail) {

  /** {@code templates}: a directory whose {@code <name>.html} files replace the shipped mail templates. */
  public record Mail(String from, String templates) {}
}
