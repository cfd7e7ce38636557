package io.customerlockbox.page;

import io.customerlockbox.Times;
import java.time.Duration;
import java.util.Optional;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.UserEntity;
import org.springframework.stereotype.Component;

/**
 * Why a sign-in failed when the password may have been right: Camunda's identity service refuses
 * every password for a few seconds after a wrong one (login-delay-* in application.yaml), and for
 * good after login-max-attempts, until an administrator unlocks the user. The sign-in page says so
 * instead of "the password is wrong".
 */
@Component
class SignInLocks {

  /** {@code seconds} until the next attempt may succeed; {@code untilUnlocked}: only an administrator helps. */
  record Lock(long seconds, boolean untilUnlocked) {}

  private final IdentityService identityService;
  private final int maxAttempts;

  SignInLocks(ProcessEngine engine) {
    this.identityService = engine.getIdentityService();
    this.maxAttempts = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getLoginMaxAttempts();
  }

  Optional<Lock> of(String userId) {
    if (userId == null || userId.isBlank() || userId.length() > 128) {
      return Optional.empty();
    }
    User user = identityService.createUserQuery().userId(userId).singleResult();
    if (!(user instanceof UserEntity entity)) {
      return Optional.empty();
    }
    if (entity.getAttempts() >= maxAttempts) {
      return Optional.of(new Lock(0, true));
    }
    if (entity.getLockExpirationTime() == null) {
      return Optional.empty();
    }
    Duration left = Duration.between(Times.now(), entity.getLockExpirationTime().toInstant());
    return left.isNegative() || left.isZero() ? Optional.empty()
        : Optional.of(new Lock(Math.max(1, (left.toMillis() + 999) / 1000), false));
  }
}
