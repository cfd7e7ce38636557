package io.customerlockbox.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.customerlockbox.LockboxApplication;
import java.util.Date;
import java.util.Map;
import java.util.stream.Stream;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Outside the demo profile the product starts only with a usable first administrator: it is
 * refused without a password and with a weak one, and starts with a strong one, stored as a salted
 * hash, with login attempts throttled.
 */
class AdminBootstrapTest {

  private static final String STRONG = "Corr3ct-Horse-Battery";

  @AfterEach
  void resetClock() {
    ClockUtil.reset();
  }

  @Test
  void refusesToStartWithoutAnAdminPassword() {
    assertThat(startupFailure(Map.of("lockbox.admin.password", ""))).contains("No administrator exists yet and LOCKBOX_ADMIN_PASSWORD is not set");
  }

  @Test
  void refusesToStartWithAWeakAdminPassword() {
    assertThat(startupFailure(Map.of("lockbox.admin.password", "longenoughbutsimple"))).contains("too weak")
        .contains("password policy");
  }

  @Test
  void weakMeansShortWellKnownRepetitiveOrTheUserName() {
    AdminBootstrap bootstrap = new AdminBootstrap(new AdminBootstrap.AdminProperties(null, null),
        new org.springframework.mock.env.MockEnvironment());
    assertThat(bootstrap.weakness("admin", "short1!A", null)).contains("at least 12 are required");
    assertThat(bootstrap.weakness("admin", "Password1234!", null)).contains("well-known");
    assertThat(bootstrap.weakness("admin", "aaaaaaaaaaaaaaaa", null)).contains("well-known");
    assertThat(bootstrap.weakness("ops-admin", "My-ops-admin-2026", null)).contains("user name");
    assertThat(bootstrap.weakness("admin", STRONG, null)).isNull();
  }

  @Test
  void startsWithAStrongPasswordAndStoresItAsASaltedHash() {
    try (ConfigurableApplicationContext context = start(Map.of("lockbox.admin.user", "ops-admin",
        "lockbox.admin.password", STRONG))) {
      IdentityService identity = context.getBean(IdentityService.class);
      assertThat(identity.createUserQuery().memberOfGroup(Groups.CAMUNDA_ADMIN).list())
          .extracting(user -> user.getId()).containsExactly("ops-admin");
      assertThat(identity.createUserQuery().count()).isEqualTo(1);
      Map<String, Object> row = context.getBean(JdbcClient.class)
          .sql("select pwd_, salt_ from act_id_user where id_ = 'ops-admin'").query().singleRow();
      assertThat((String) row.get("PWD_")).startsWith("{SHA-512}").doesNotContain(STRONG);
      assertThat((String) row.get("SALT_")).isNotBlank();

      // Throttling: after a wrong password even the right one is refused until the delay is over.
      ClockUtil.setCurrentTime(new Date());
      assertThat(identity.checkPassword("ops-admin", "wrong-password")).isFalse();
      assertThat(identity.checkPassword("ops-admin", STRONG)).isFalse();
      ClockUtil.setCurrentTime(new Date(ClockUtil.getCurrentTime().getTime() + 4_000));
      assertThat(identity.checkPassword("ops-admin", STRONG)).isTrue();
    }
  }

  private static String startupFailure(Map<String, Object> properties) {
    Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> start(properties).close());
    assertThat(failure).isNotNull();
    return NestedExceptionUtils.getMostSpecificCause(failure).getMessage();
  }

  /** The product without the demo profile, on a fresh in-memory database. */
  private static ConfigurableApplicationContext start(Map<String, Object> properties) {
    SpringApplication application = new SpringApplication(LockboxApplication.class);
    application.setAdditionalProfiles("test");
    Stream<String> args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue());
    return application.run(Stream.concat(Stream.of("--spring.main.banner-mode=off", "--server.port=0"), args).toArray(String[]::new));
  }
}
