package io.customerlockbox.access;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a missing or unusable grant-signing key into Spring Boot's short "APPLICATION FAILED TO START" report. */
class GrantSigningKeyFailureAnalyzer extends AbstractFailureAnalyzer<GrantKeys.GrantSigningKeyException> {

  @Override
  protected FailureAnalysis analyze(Throwable root, GrantKeys.GrantSigningKeyException cause) {
    return new FailureAnalysis(cause.getMessage(),
        "Set LOCKBOX_GRANTS_SIGNING_KEY to an EC P-256 private JWK, or to the path of a file holding one, the same "
            + "on every node. Make one with: java -jar customer-lockbox.jar generate-grant-key grant-signing-key.jwk "
            + "(see docs/security.md, section Signed grants). The demo profile makes a demo-only key by itself.",
        cause);
  }
}
