package io.customerlockbox.web;

import io.customerlockbox.LockboxProperties;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Tells whoever started the product where to find it. */
@Component
class StartupBanner {

  private static final Logger LOG = LoggerFactory.getLogger(StartupBanner.class);

  private final LockboxProperties properties;

  StartupBanner(LockboxProperties properties) {
    this.properties = properties;
  }

  @EventListener(ApplicationReadyEvent.class)
  void ready() {
    LOG.info(text(properties.publicUrl()));
  }

  /** The product's name and every entry point, one a line. */
  static String text(String publicUrl) {
    return EntryPoints.ALL.stream()
        .map(door -> String.format("  %-16s %s%s  (%s)", door.name() + ":", publicUrl, door.path(), door.forWhom()))
        .collect(Collectors.joining("\n", "\n\nCustomer Lockbox is ready: " + publicUrl + "/ lists these pages.\n", ""));
  }
}
