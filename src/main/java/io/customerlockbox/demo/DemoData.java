package io.customerlockbox.demo;

import io.customerlockbox.policy.NewEnvironment;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.policy.PolicyUpdate;
import io.customerlockbox.security.Groups;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The demo data set: two customer tenants and one user per role, every password "demo". Created
 * once; a restart leaves what users changed (a policy switched off stays off).
 */
@Component
@Profile("demo")
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class DemoData implements ApplicationRunner {

  static final String PASSWORD = "demo";
  private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);

  record DemoUser(String id, String email, String tenant, String... groups) {}

  static final List<DemoUser> USERS = List.of(
      new DemoUser("engineer", "engineer@provider.example", null, Groups.SUPPORT_ENGINEERS),
      new DemoUser("lead", "lead@provider.example", null, Groups.SUPPORT_LEADS),
      new DemoUser("oncall", "oncall@provider.example", null, Groups.SUPPORT_ENGINEERS, Groups.BREAK_GLASS),
      new DemoUser("operator", "operator@provider.example", null, Groups.OPERATORS),
      new DemoUser("contoso-admin", "contoso-admin@contoso.example", "contoso", Groups.TENANT_ADMINS),
      new DemoUser("contoso-approver", "contoso-approver@contoso.example", "contoso", Groups.LOCKBOX_APPROVERS),
      // contoso's approval rules ask two approvers for admin access to contoso-prod.
      new DemoUser("contoso-approver2", "contoso-approver2@contoso.example", "contoso", Groups.LOCKBOX_APPROVERS),
      new DemoUser("contoso-auditor", "contoso-auditor@contoso.example", "contoso", Groups.AUDITORS),
      new DemoUser("fabrikam-admin", "fabrikam-admin@fabrikam.example", "fabrikam", Groups.TENANT_ADMINS),
      new DemoUser("dataplane", "dataplane@provider.example", null, Groups.DATA_PLANE));

  private final PolicyService policies;
  private final IdentityService identityService;

  DemoData(PolicyService policies, IdentityService identityService) {
    this.policies = policies;
    this.identityService = identityService;
  }

  @Override
  @Transactional
  public void run(ApplicationArguments args) {
    policies.createTenant("contoso", "Contoso Ltd");
    policies.createTenant("fabrikam", "Fabrikam Inc");
    environment("contoso", "contoso-prod", "Contoso production", true, "production");
    environment("contoso", "contoso-sandbox", "Contoso sandbox", false, "sandbox");
    environment("fabrikam", "fabrikam-prod", "Fabrikam production", true, "production");
    if (policies.policy("contoso").updatedAt() == null) {
      policies.updatePolicy("contoso", new PolicyUpdate(true, PolicyScope.ALL_MANAGED, List.of()), "demo");
    }
    if (policies.policy("fabrikam").updatedAt() == null) {
      policies.updatePolicy("fabrikam", new PolicyUpdate(false, PolicyScope.ALL_MANAGED, List.of()), "demo");
    }
    USERS.forEach(this::user);
  }

  @EventListener(ApplicationReadyEvent.class)
  void announce() {
    StringBuilder users = new StringBuilder();
    users.append(String.format("%n  %-18s %s", "admin", Groups.CAMUNDA_ADMIN));
    for (DemoUser user : USERS) {
      users.append(String.format("%n  %-18s %s%s", user.id(), String.join(", ", user.groups()),
          user.tenant() == null ? "" : " of tenant " + user.tenant()));
    }
    LOG.warn("""

        DEMO PROFILE: for trying the product only. Every demo user's password is "{}".
        Never run this profile where real customer data lives.
        Demo users:{}""", PASSWORD, users);
  }

  private void environment(String tenantId, String id, String name, boolean managed, String tier) {
    if (policies.environment(id).isEmpty()) {
      policies.addEnvironment(tenantId, new NewEnvironment(id, name, managed, tier), "demo");
    }
  }

  /** "contoso-approver" is "Contoso Approver"; the provider's one-word roles get a job title. */
  static String fullName(String id) {
    return switch (id) {
      case "engineer" -> "Support Engineer";
      case "lead" -> "Support Lead";
      case "oncall" -> "On-call Engineer";
      case "admin" -> "Administrator";
      case "dataplane" -> "Data Plane";
      case "contoso-approver2" -> "Contoso Second Approver";
      default -> java.util.Arrays.stream(id.split("-"))
          .map(word -> word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1))
          .collect(java.util.stream.Collectors.joining(" "));
    };
  }

  private void user(DemoUser demo) {
    if (identityService.createUserQuery().userId(demo.id()).count() > 0) {
      return;
    }
    User user = identityService.newUser(demo.id());
    // Tasklist shows "first last": a name people read, never "null".
    user.setFirstName(fullName(demo.id()));
    user.setLastName("");
    user.setEmail(demo.email());
    user.setPassword(PASSWORD);
    identityService.saveUser(user);
    for (String group : demo.groups()) {
      identityService.createMembership(demo.id(), group);
    }
    if (demo.tenant() != null) {
      identityService.createTenantUserMembership(demo.tenant(), demo.id());
    }
  }
}
