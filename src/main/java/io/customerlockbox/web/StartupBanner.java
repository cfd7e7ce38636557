package io.customerlockbox.web;

import io.customerlockbox.LockboxProperties;
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
    String url = properties.publicUrl();
    LOG.info("""

        Customer Lockbox is ready.
          Tasklist:        {}/camunda/app/tasklist/
          Cockpit:         {}/camunda/app/cockpit/
          Admin:           {}/camunda/app/admin/
          Lockbox API:     {}/api/access-requests (HTTP Basic)
          Engine REST API: {}/engine-rest/ (HTTP Basic)""", url, url, url, url, url);
  }
}
