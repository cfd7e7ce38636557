package io.customerlockbox.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a refused admin bootstrap into Spring Boot's short "APPLICATION FAILED TO START" report. */
class AdminBootstrapFailureAnalyzer extends AbstractFailureAnalyzer<AdminBootstrap.AdminBootstrapException> {

  @Override
  protected FailureAnalysis analyze(Throwable root, AdminBootstrap.AdminBootstrapException cause) {
    return new FailureAnalysis(cause.getMessage(),
        "Set LOCKBOX_ADMIN_USER and a strong LOCKBOX_ADMIN_PASSWORD (see docs/security.md, section Credentials), "
            + "or start with the demo profile to try the product.", cause);
  }
}
