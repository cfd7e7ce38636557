package io.customerlockbox;

import io.customerlockbox.policy.NewEnvironment;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.policy.PolicyUpdate;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.NewAccessRequest;
import io.customerlockbox.security.Groups;
import io.customerlockbox.security.IdentityDirectory;
import io.customerlockbox.security.LockboxUser;
import java.util.List;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.boot.test.context.TestComponent;

/**
 * Test data made through the product's own services: a fresh customer tenant per test, so
 * tests never see each other's policies or requests. Demo users (engineer, lead, oncall) act
 * on the provider side.
 */
@TestComponent
public class Fixtures {

  public static final String PASSWORD = "test-password";

  private final PolicyService policies;
  private final IdentityService identityService;
  private final IdentityDirectory directory;

  public Fixtures(PolicyService policies, IdentityService identityService, IdentityDirectory directory) {
    this.policies = policies;
    this.identityService = identityService;
    this.directory = directory;
  }

  /** A tenant with a managed "-prod" and an unmanaged "-sandbox" environment, an approver and an admin. */
  public record TestTenant(String id, String prod, String sandbox, String approver, String admin) {}

  public TestTenant tenant(boolean enabled, PolicyScope scope, String... selectedSuffixes) {
    return tenant("t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10), enabled, scope,
        selectedSuffixes);
  }

  /** As {@link #tenant(boolean, PolicyScope, String...)}, with the tenant id given (the benchmark's tenants). */
  public TestTenant tenant(String id, boolean enabled, PolicyScope scope, String... selectedSuffixes) {
    policies.createTenant(id, "Tenant " + id);
    policies.addEnvironment(id, new NewEnvironment(id + "-prod", "Production", true, "production"), "fixture");
    policies.addEnvironment(id, new NewEnvironment(id + "-sandbox", "Sandbox", false, null), "fixture");
    List<String> selected = java.util.Arrays.stream(selectedSuffixes).map(suffix -> id + suffix).toList();
    policies.updatePolicy(id, new PolicyUpdate(enabled, scope, selected), "fixture");
    TestTenant tenant = new TestTenant(id, id + "-prod", id + "-sandbox", id + "-approver", id + "-admin");
    user(tenant.approver(), id, Groups.LOCKBOX_APPROVERS);
    user(tenant.admin(), id, Groups.TENANT_ADMINS);
    return tenant;
  }

  /** A tenant that never saved a policy: unprotected by default. */
  public TestTenant tenantWithoutPolicy() {
    String id = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    policies.createTenant(id, "Tenant " + id);
    policies.addEnvironment(id, new NewEnvironment(id + "-prod", "Production", true, "production"), "fixture");
    policies.addEnvironment(id, new NewEnvironment(id + "-sandbox", "Sandbox", false, null), "fixture");
    TestTenant tenant = new TestTenant(id, id + "-prod", id + "-sandbox", id + "-approver", id + "-admin");
    user(tenant.approver(), id, Groups.LOCKBOX_APPROVERS);
    return tenant;
  }

  /** Creates a user in {@code groups}, member of {@code tenantId} when not null. */
  public void user(String id, String tenantId, String... groups) {
    if (identityService.createUserQuery().userId(id).count() == 0) {
      User user = identityService.newUser(id);
      user.setEmail(id + "@example.test");
      user.setPassword(PASSWORD);
      identityService.saveUser(user);
    }
    for (String group : groups) {
      identityService.createMembership(id, group);
    }
    if (tenantId != null) {
      identityService.createTenantUserMembership(tenantId, id);
    }
  }

  public LockboxUser as(String userId) {
    return directory.load(userId);
  }

  public static NewAccessRequest request(String tenantId, String environmentId, AccessLevel level) {
    return new NewAccessRequest(tenantId, environmentId, "SR-" + UUID.randomUUID().toString().substring(0, 6),
        "Investigate the failing nightly export job", level, true, true, null, null);
  }
}
