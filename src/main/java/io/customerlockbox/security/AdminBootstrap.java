package io.customerlockbox.security;

import static org.camunda.bpm.engine.authorization.Authorization.ANY;
import static org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.PasswordPolicyResult;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Outside the demo profile nobody can log in until an administrator is configured: the first one
 * comes from {@code LOCKBOX_ADMIN_USER} / {@code LOCKBOX_ADMIN_PASSWORD}, and the product refuses to
 * start while there is none, or when the password given is weak. Created once, like Camunda's own
 * admin user: later changes of the variables do nothing (rotate in the Admin webapp, see docs/security.md, "Credentials").
 */
@Component
class AdminBootstrap extends AbstractProcessEnginePlugin {

  private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
  static final int MIN_LENGTH = 12;
  /** Passwords every guessing tool tries first, compared without case, digits and symbols. */
  private static final List<String> DENY_LIST = List.of("password", "passwort", "changeme", "admin",
      "administrator", "camunda", "lockbox", "demo", "welcome", "letmein", "qwerty", "qwertyuiop", "secret",
      "default", "test", "root", "iloveyou", "abc");

  @ConfigurationProperties("lockbox.admin")
  record AdminProperties(String user, String password) {}

  private final AdminProperties admin;
  private final Environment environment;
  private ProcessEngineConfigurationImpl configuration;

  AdminBootstrap(AdminProperties admin, Environment environment) {
    this.admin = admin;
    this.environment = environment;
  }

  @Override
  public void postInit(ProcessEngineConfigurationImpl configuration) {
    this.configuration = configuration;
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    if (environment.matchesProfiles("demo")) {
      return; // the demo profile's admin/demo comes from camunda.bpm.admin-user
    }
    IdentityService identity = engine.getIdentityService();
    String userId = admin.user() == null || admin.user().isBlank() ? "admin" : admin.user().trim();
    boolean hasAdmin = identity.createUserQuery().memberOfGroup(Groups.CAMUNDA_ADMIN).count() > 0;
    String password = admin.password();
    if (password != null && !password.isEmpty()) {
      String weakness = weakness(userId, password, identity);
      if (weakness != null) {
        throw new AdminBootstrapException("LOCKBOX_ADMIN_PASSWORD is too weak: " + weakness + ".");
      }
    } else if (!hasAdmin) {
      throw new AdminBootstrapException("No administrator exists yet and LOCKBOX_ADMIN_PASSWORD is not set. "
          + "Set LOCKBOX_ADMIN_USER (default admin) and LOCKBOX_ADMIN_PASSWORD (at least " + MIN_LENGTH
          + " characters) for the first start, or run with the demo profile to try the product.");
    }
    if (hasAdmin || identity.createUserQuery().userId(userId).count() > 0) {
      return;
    }
    createAdmin(identity, engine.getAuthorizationService(), userId, password);
    LOG.info("Created the first administrator {} (group {}).", userId, Groups.CAMUNDA_ADMIN);
  }

  /** Null when the password is acceptable, else why not, in words a deployer can act on. */
  String weakness(String userId, String password, IdentityService identity) {
    if (password.length() < MIN_LENGTH) {
      return "it has " + password.length() + " characters, at least " + MIN_LENGTH + " are required";
    }
    String core = password.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
    if (core.isEmpty() || DENY_LIST.contains(core) || password.chars().distinct().count() < 5) {
      return "it is a well-known or repetitive password";
    }
    if (password.toLowerCase(Locale.ROOT).contains(userId.toLowerCase(Locale.ROOT))) {
      return "it contains the user name";
    }
    if (configuration != null && configuration.isEnablePasswordPolicy()) {
      PasswordPolicyResult result = identity.checkPasswordAgainstPolicy(password);
      if (!result.isValid()) {
        return "it breaks the engine's password policy (" + result.getViolatedRules().stream()
            .map(rule -> rule.getPlaceholder() + " " + rule.getParameters())
            .collect(Collectors.joining(", ")) + ")";
      }
    }
    return null;
  }

  /** As Camunda's own admin-user bootstrap does: the admin group holds every permission. */
  private static void createAdmin(IdentityService identity, AuthorizationService authorizations, String userId,
      String password) {
    User user = identity.newUser(userId);
    user.setFirstName("Lockbox");
    user.setLastName("Administrator");
    user.setPassword(password);
    identity.saveUser(user);
    if (identity.createGroupQuery().groupId(Groups.CAMUNDA_ADMIN).count() == 0) {
      Group group = identity.newGroup(Groups.CAMUNDA_ADMIN);
      group.setName("Camunda administrators");
      group.setType("SYSTEM");
      identity.saveGroup(group);
    }
    for (Resources resource : Resources.values()) {
      boolean granted = authorizations.createAuthorizationQuery().groupIdIn(Groups.CAMUNDA_ADMIN)
          .resourceType(resource).resourceId(ANY).count() > 0;
      if (!granted) {
        Authorization all = authorizations.createNewAuthorization(AUTH_TYPE_GRANT);
        all.setGroupId(Groups.CAMUNDA_ADMIN);
        all.setResource(resource);
        all.setResourceId(ANY);
        all.addPermission(Permissions.ALL);
        authorizations.saveAuthorization(all);
      }
    }
    identity.createMembership(userId, Groups.CAMUNDA_ADMIN);
  }

  /** Startup refused for want of a usable first administrator. */
  static class AdminBootstrapException extends IllegalStateException {
    AdminBootstrapException(String message) {
      super(message);
    }
  }
}
