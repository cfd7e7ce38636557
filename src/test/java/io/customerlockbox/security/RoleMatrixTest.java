package io.customerlockbox.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.customerlockbox.Refusal;
import io.customerlockbox.request.Deciders;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The README's role matrix as a plain rule, no Spring: for each role, what it sees and may do in
 * tenant A. {@code SecurityMatrixTest} asks the same over HTTP; this one names the rule that answers.
 */
class RoleMatrixTest {

  static final String A = "tenant-a";
  static final String B = "tenant-b";

  static final LockboxUser NOBODY = user("nobody");
  static final LockboxUser ENGINEER = user("engineer", Groups.SUPPORT_ENGINEERS);
  static final LockboxUser ONCALL = user("oncall", Groups.SUPPORT_ENGINEERS, Groups.BREAK_GLASS);
  static final LockboxUser LEAD = user("lead", Groups.SUPPORT_LEADS);
  static final LockboxUser OPERATOR = user("operator", Groups.OPERATORS);
  static final LockboxUser ADMIN = user("admin", Groups.CAMUNDA_ADMIN);
  static final LockboxUser DATA_PLANE = user("dataplane", Groups.DATA_PLANE);
  static final LockboxUser A_APPROVER = member("a-approver", A, Groups.LOCKBOX_APPROVERS);
  static final LockboxUser A_ADMIN = member("a-admin", A, Groups.TENANT_ADMINS);
  static final LockboxUser A_AUDITOR = member("a-auditor", A, Groups.AUDITORS);
  static final LockboxUser B_ADMIN = member("b-admin", B, Groups.TENANT_ADMINS);
  /** An approver group member without the tenant: approves nothing anywhere. */
  static final LockboxUser APPROVER_WITHOUT_TENANT = user("floating", Groups.LOCKBOX_APPROVERS, Groups.TENANT_ADMINS);

  static final Map<String, LockboxUser> ROLES = Map.ofEntries(Map.entry("nobody", NOBODY),
      Map.entry("engineer", ENGINEER), Map.entry("oncall", ONCALL), Map.entry("lead", LEAD),
      Map.entry("operator", OPERATOR), Map.entry("admin", ADMIN), Map.entry("dataplane", DATA_PLANE),
      Map.entry("a-approver", A_APPROVER), Map.entry("a-admin", A_ADMIN), Map.entry("a-auditor", A_AUDITOR),
      Map.entry("b-admin", B_ADMIN), Map.entry("floating", APPROVER_WITHOUT_TENANT));

  @Test
  void tenantASettingsAndLockboxRequestsAreReadByProviderStaffAndTenantAsOwnPeopleOnly() {
    assertOnly(user -> RoleMatrix.canReadTenant(user, A), "engineer", "oncall", "lead", "operator", "admin",
        "a-approver", "a-admin", "a-auditor");
    assertThatThrownBy(() -> RoleMatrix.requireReadTenant(B_ADMIN, A)).isInstanceOfSatisfying(Refusal.class,
        e -> assertThat(e.kind()).isEqualTo(Refusal.Kind.NOT_FOUND));
  }

  @Test
  void anAccessRequestIsSeenByItsRequesterOverseersAndTheTenantsPeople() {
    assertOnly(user -> RoleMatrix.canReadAccessRequest(user, A, "engineer"), "engineer", "lead", "operator", "admin",
        "a-approver", "a-admin", "a-auditor");
  }

  @Test
  void onlyTheTenantsApproversAndAdminsDecideItsLockboxRequests() {
    assertOnly(user -> Deciders.mayDecide(Deciders.Kind.CUSTOMER, user, A, "someone-else"), "a-approver", "a-admin");
  }

  @Test
  void onlySupportLeadsDecideInternally() {
    assertOnly(user -> Deciders.mayDecide(Deciders.Kind.INTERNAL, user, A, "someone-else"), "lead");
  }

  @Test
  void theRequesterDecidesNeitherWhateverGroupsTheyHold() {
    for (String user : List.of("lead", "a-approver", "a-admin")) {
      for (Deciders.Kind kind : Deciders.Kind.values()) {
        assertThat(Deciders.mayDecide(kind, ROLES.get(user), A, user)).as(kind + " " + user).isFalse();
      }
    }
  }

  @Test
  void onlyTheTenantsAdminsManageItsSettingsStrangersDoNotLearnItExists() {
    assertRefused(user -> RoleMatrix.requireManageTenant(user, A), Refusal.Kind.NOT_ALLOWED, Set.of("a-admin"),
        Set.of("nobody", "dataplane", "b-admin", "floating"));
  }

  @Test
  void theAuditTrailIsTheCustomersAuditorsAndAdminsAndCamundaAdministrators() {
    assertOnly(user -> RoleMatrix.canReadAudit(user, A), "admin", "a-admin", "a-auditor");
    RoleMatrix.requireReadAudit(ADMIN, null);
    assertThatThrownBy(() -> RoleMatrix.requireReadAudit(A_AUDITOR, null)).isInstanceOfSatisfying(
        Refusal.class, e -> assertThat(e.field()).isEqualTo("tenantId"));
  }

  @Test
  void engineersAskBreakGlassMembersUseBreakGlassTheDataPlaneChecks() {
    assertRefused(user -> RoleMatrix.requireCreateAccessRequest(user, false), Refusal.Kind.NOT_ALLOWED,
        "engineer", "oncall");
    assertRefused(user -> RoleMatrix.requireCreateAccessRequest(user, true), Refusal.Kind.NOT_ALLOWED, "oncall");
    assertRefused(RoleMatrix::requireDataPlane, Refusal.Kind.NOT_ALLOWED, "dataplane");
    assertRefused(user -> RoleMatrix.requireRelease(user, "engineer"), Refusal.Kind.NOT_ALLOWED, "engineer");
    assertRefused(user -> RoleMatrix.requireReadAudit(user, A), Refusal.Kind.NOT_ALLOWED,
        Set.of("admin", "a-admin", "a-auditor"), Set.of("nobody", "dataplane", "b-admin", "floating"));
  }

  @Test
  void aListShowsEachRoleWhatIsTheirs() {
    assertThat(RoleMatrix.accessRequestList(LEAD, null)).isEqualTo(new RoleMatrix.ListScope(null, null));
    assertThat(RoleMatrix.accessRequestList(ENGINEER, null)).isEqualTo(new RoleMatrix.ListScope(null, "engineer"));
    assertThat(RoleMatrix.accessRequestList(ENGINEER, A)).isEqualTo(new RoleMatrix.ListScope(A, "engineer"));
    assertThat(RoleMatrix.accessRequestList(A_AUDITOR, null)).isEqualTo(new RoleMatrix.ListScope(A, null));
    assertThatThrownBy(() -> RoleMatrix.accessRequestList(DATA_PLANE, null)).isInstanceOfSatisfying(
        Refusal.class, e -> assertThat(e.kind()).isEqualTo(Refusal.Kind.NOT_ALLOWED));
    assertThatThrownBy(() -> RoleMatrix.accessRequestList(B_ADMIN, A)).isInstanceOfSatisfying(
        Refusal.class, e -> assertThat(e.kind()).isEqualTo(Refusal.Kind.NOT_FOUND));
    LockboxUser twoTenants = new LockboxUser("both", Set.of(Groups.AUDITORS), Set.of(A, B));
    assertThatThrownBy(() -> RoleMatrix.accessRequestList(twoTenants, null)).isInstanceOfSatisfying(
        Refusal.class, e -> assertThat(e.field()).isEqualTo("tenantId"));
  }

  /** {@code rule} holds for exactly the roles named. */
  private static void assertOnly(Predicate<LockboxUser> rule, String... allowed) {
    Set<String> yes = Set.of(allowed);
    ROLES.forEach((name, user) -> assertThat(rule.test(user)).as(name).isEqualTo(yes.contains(name)));
  }

  /** {@code requirement} passes for the {@code allowed} roles and refuses every other with 403. */
  private static void assertRefused(Consumer<LockboxUser> requirement, Refusal.Kind refusal, String... allowed) {
    assertRefused(requirement, refusal, Set.of(allowed), Set.of());
  }

  /**
   * {@code requirement} passes for the {@code allowed} roles, refuses the {@code strangers} with 404
   * (they must not learn that the thing exists) and every other role with {@code refusal}.
   */
  private static void assertRefused(Consumer<LockboxUser> requirement, Refusal.Kind refusal, Set<String> allowed,
      Set<String> strangers) {
    ROLES.forEach((name, user) -> {
      if (allowed.contains(name)) {
        requirement.accept(user);
      } else {
        Refusal.Kind expected = strangers.contains(name) ? Refusal.Kind.NOT_FOUND : refusal;
        assertThatThrownBy(() -> requirement.accept(user)).as(name).isInstanceOfSatisfying(Refusal.class,
            e -> assertThat(e.kind()).as(name).isEqualTo(expected));
      }
    });
  }

  private static LockboxUser user(String id, String... groups) {
    return new LockboxUser(id, Set.of(groups), Set.of());
  }

  private static LockboxUser member(String id, String tenant, String... groups) {
    return new LockboxUser(id, Set.of(groups), Set.of(tenant));
  }
}
