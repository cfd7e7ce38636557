package io.customerlockbox.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.JobDriver;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.request.Decision;
import io.customerlockbox.request.LockboxRequestService;
import io.customerlockbox.request.LockboxStatus;
import io.customerlockbox.policy.PolicyUpdate;
import io.customerlockbox.security.Groups;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import io.customerlockbox.request.NewAccessRequest;
import io.customerlockbox.request.LockboxRequest;
import io.customerlockbox.Times;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import io.customerlockbox.ApprovalRulesCopy;
import org.camunda.bpm.engine.RepositoryService;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The customer's /lockbox page over HTTP: sign-in, the Recent table and its access states, break-glass,
 * a decision, the auditor's trail, tenant isolation, the policy.
 */
@AutoConfigureMockMvc
class LockboxPageTest extends ApplicationTest {

  @Autowired MockMvc mvc;
  @Autowired AccessRequestService requests;
  @Autowired PolicyService policies;
  @Autowired LockboxRequestService lockboxRequests;
  @Autowired RepositoryService repositoryService;

  @Test
  void withoutSigningInThePageAsksForIt() throws Exception {
    mvc.perform(get("/lockbox")).andExpect(status().is3xxRedirection())
        .andExpect(redirectedUrl("http://localhost/lockbox/login"));
    mvc.perform(get("/lockbox/login")).andExpect(status().isOk());
    mvc.perform(formLogin("/lockbox/login").user("nobody-" + System.nanoTime()).password("wrong"))
        .andExpect(redirectedUrl("/lockbox/login?error"));
  }

  @Test
  void theRecentTableShowsTheTenantsRequestsAndADenialTurnsTheRowToDenied() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = pending(tenant, "Debug <script>alert(1)</script> <img src=x onerror=alert(2)>");
    String lockboxId = requests.get(request.id(), fixtures.as("lead")).lockbox().id();
    MockHttpSession approver = signIn(tenant.approver());

    String recent = page(approver, "/lockbox");
    assertThat(recent).contains("<th scope=\"col\">Support request ID</th>", "<th scope=\"col\">Who acted</th>")
        .contains(request.supportTicketId(), "Production", "engineer", "Read only", "Action needed", "8 hours")
        .contains("/lockbox/requests/" + lockboxId);

    String detail = page(approver, "/lockbox/requests/" + lockboxId);
    assertThat(detail).contains("Debug &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;")
        .doesNotContain("<script>", "<img").contains("<label for=\"deny-comment\">");

    // Without the session's CSRF token nothing is decided.
    mvc.perform(post("/lockbox/requests/" + lockboxId + "/deny").session(approver).param("comment", "no"))
        .andExpect(status().isForbidden());
    // Denying needs a reason.
    mvc.perform(post("/lockbox/requests/" + lockboxId + "/deny").session(approver).with(csrf()).param("comment", " "))
        .andExpect(redirectedUrl("/lockbox/requests/" + lockboxId));
    assertThat(requests.get(request.id(), fixtures.as("lead")).lockbox().status()).isEqualTo(LockboxStatus.ACTION_NEEDED);

    mvc.perform(post("/lockbox/requests/" + lockboxId + "/deny").session(approver).with(csrf())
        .param("comment", "Not during quarter close")).andExpect(redirectedUrl("/lockbox/requests/" + lockboxId));
    drive(request.id());

    assertThat(requests.get(request.id(), fixtures.as("lead")).status()).isEqualTo(AccessRequestStatus.DENIED);
    assertThat(page(approver, "/lockbox")).contains("Denied").doesNotContain("Action needed");
    String decided = page(approver, "/lockbox/requests/" + lockboxId);
    assertThat(decided).contains("Not during quarter close").doesNotContain("id=\"deny-comment\"");
    // The timeline is the request's audit trail, in order, in the customer's words, with who acted.
    assertThat(decided).containsSubsequence("A provider engineer asked for read only access to Production.",
        "Your approval was requested", "Your approvers were notified by e-mail.",
        "Your organization denied the request.", "(" + tenant.approver() + ")");
    assertThat(decided).contains("Decided by", tenant.approver() + " (denied, ")
        .doesNotContain("LOCKBOX_", "AUTO_APPROVE", "Rule_", tenant.prod()).doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T");
  }

  @Test
  void twoApproversSeeTheProgressAndTheSamePersonCountsOnce() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    try (ApprovalRulesCopy rules = ApprovalRulesCopy.deploy(repositoryService, tenant.id(), 2,
        "lockbox-approvers,tenant-admins")) {
      AccessRequestView request = pending(tenant, "Check the export job");
      String lockboxId = requests.get(request.id(), fixtures.as("lead")).lockbox().id();
      MockHttpSession approver = signIn(tenant.approver());
      assertThat(page(approver, "/lockbox")).contains("Action needed", "0 of 2 approvals");

      mvc.perform(post("/lockbox/requests/" + lockboxId + "/approve").session(approver).with(csrf()))
          .andExpect(redirectedUrl("/lockbox/requests/" + lockboxId));
      drive(request.id());
      assertThat(page(approver, "/lockbox")).contains("Action needed", "1 of 2 approvals");
      String detail = page(approver, "/lockbox/requests/" + lockboxId);
      assertThat(detail).contains("Approvals", "1 of 2 approvals: " + tenant.approver())
          .contains("One of your approvers approved the request; more approvals are needed.")
          .doesNotContain("LOCKBOX_", "Rule_", "lockbox-approvers");

      String again = mvc.perform(post("/lockbox/requests/" + lockboxId + "/approve").session(approver).with(csrf()))
          .andExpect(redirectedUrl("/lockbox/requests/" + lockboxId)).andReturn().getFlashMap().get("error").toString();
      assertThat(again).contains("approved this lockbox request already");
      assertThat(requests.get(request.id(), fixtures.as("lead")).lockbox().approvals()).hasSize(1);

      mvc.perform(post("/lockbox/requests/" + lockboxId + "/approve").session(signIn(tenant.admin())).with(csrf()))
          .andExpect(redirectedUrl("/lockbox/requests/" + lockboxId));
      drive(request.id());
      assertThat(requests.get(request.id(), fixtures.as("lead")).status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
      assertThat(page(approver, "/lockbox/requests/" + lockboxId)).contains("2 of 2 approvals: " + tenant.approver()
          + " (", tenant.admin() + " (");
    }
  }

  @Test
  void anotherTenantsApproverSeesNoneOfItsRequests() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    TestTenant other = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = pending(tenant, "Investigate the failing nightly export job");
    String lockboxId = requests.get(request.id(), fixtures.as("lead")).lockbox().id();
    MockHttpSession stranger = signIn(other.approver());

    assertThat(page(stranger, "/lockbox")).doesNotContain(tenant.prod(), lockboxId);
    mvc.perform(get("/lockbox").param("tenant", tenant.id()).session(stranger)).andExpect(status().isNotFound());
    mvc.perform(get("/lockbox/requests/" + lockboxId).session(stranger)).andExpect(status().isNotFound());
    mvc.perform(post("/lockbox/requests/" + lockboxId + "/approve").session(stranger).with(csrf()))
        .andExpect(status().isNotFound());
    assertThat(requests.get(request.id(), fixtures.as("lead")).lockbox().status()).isEqualTo(LockboxStatus.ACTION_NEEDED);
  }

  @Test
  void aTenantAdminSwitchesThePolicyAndAnApproverCannot() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    MockHttpSession admin = signIn(tenant.admin());
    assertThat(page(admin, "/lockbox")).contains("Lockbox policy", "<label for=\"enabled\">");
    assertThat(page(signIn(tenant.approver()), "/lockbox")).doesNotContain("Lockbox policy");

    mvc.perform(post("/lockbox/policy").session(admin).with(csrf()).param("tenant", tenant.id())
            .param("enabled", "true").param("scope", "SELECTED").param("environmentIds", tenant.sandbox()))
        .andExpect(redirectedUrl("/lockbox?tenant=" + tenant.id()));
    assertThat(policies.policy(tenant.id()).scope()).isEqualTo(PolicyScope.SELECTED);
    assertThat(policies.policy(tenant.id()).environmentIds()).containsExactly(tenant.sandbox());

    mvc.perform(post("/lockbox/policy").session(signIn(tenant.approver())).with(csrf()).param("tenant", tenant.id())
        .param("scope", "ALL")).andExpect(status().isForbidden());
    assertThat(policies.policy(tenant.id()).scope()).isEqualTo(PolicyScope.SELECTED);
  }

  @Test
  void thePageRunsOnlyItsOwnScriptFile() throws Exception {
    mvc.perform(get("/lockbox/login")).andExpect(header().string("Content-Security-Policy",
        containsString("default-src 'none'; script-src 'self';")));
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    String recent = page(signIn(tenant.admin()), "/lockbox");
    assertThat(recent).contains("<script src=\"/lockbox/lockbox.js\" defer></script>")
        .doesNotContainPattern("<script(?! src=\"/lockbox/lockbox.js\")").doesNotContain("onclick", "onchange");
    mvc.perform(get("/lockbox/lockbox.js")).andExpect(status().isOk());
  }

  @Test
  void releasedEarlyAndPeriodOverReadAsEndedAccessInTheTableAndTheDetail() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView released = approved(tenant, "SR-R-" + tenant.id());
    AccessRequestView overdue = approved(tenant, "SR-O-" + tenant.id());
    MockHttpSession approver = signIn(tenant.approver());
    String live = page(approver, "/lockbox");
    assertThat(row(live, "SR-R-")).contains("Approved", "access until");

    Instant grantedAt = requests.get(overdue.id(), fixtures.as("lead")).grant().grantedAt();
    requests.release(released.id(), fixtures.as("engineer"));
    drive(released.id());
    ClockUtil.setCurrentTime(Date.from(grantedAt.plus(Duration.ofHours(8)).plusSeconds(1)));
    drive(overdue.id());
    assertThat(requests.get(overdue.id(), fixtures.as("lead")).status()).isEqualTo(AccessRequestStatus.ACCESS_ENDED);

    String recent = page(approver, "/lockbox");
    assertThat(row(recent, "SR-R-")).contains("Access ended", "released early by the engineer at")
        .doesNotContain("access until");
    assertThat(row(recent, "SR-O-")).contains("Access ended", "access period over at");
    String detail = page(approver, "/lockbox/requests/" + requests.get(released.id(), fixtures.as("lead")).lockbox().id());
    assertThat(detail).contains("Access ended", "released early by the engineer at",
        "The engineer gave the access back before the access period was over.").doesNotContain("Access until");
  }

  @Test
  void anApproverRevokesActiveAccessFromTheDetailWithAReasonWhenThePolicyAllowsIt() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = approved(tenant, "SR-V-" + tenant.id());
    String lockboxId = requests.get(request.id(), fixtures.as("lead")).lockbox().id();
    MockHttpSession approver = signIn(tenant.approver());
    // Off by default: no button, and the page says approved access cannot be revoked.
    assertThat(page(approver, "/lockbox/requests/" + lockboxId)).doesNotContain("id=\"revoke-form\"");

    MockHttpSession admin = signIn(tenant.admin());
    assertThat(page(admin, "/lockbox")).contains("<label for=\"customer-may-revoke\">", "<label for=\"escalation-group\">");
    mvc.perform(post("/lockbox/policy").session(admin).with(csrf()).param("tenant", tenant.id())
            .param("enabled", "true").param("scope", "ALL_MANAGED").param("customerMayRevoke", "true"))
        .andExpect(redirectedUrl("/lockbox?tenant=" + tenant.id()));
    assertThat(policies.policy(tenant.id()).customerMayRevoke()).isTrue();

    String detail = page(approver, "/lockbox/requests/" + lockboxId);
    assertThat(detail).contains("id=\"revoke-form\"", "<label for=\"revoke-comment\">");
    // A reason is required: without one nothing ends.
    mvc.perform(post("/lockbox/requests/" + lockboxId + "/revoke").session(approver).with(csrf()).param("comment", " "))
        .andExpect(redirectedUrl("/lockbox/requests/" + lockboxId));
    assertThat(requests.get(request.id(), fixtures.as("lead")).status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);

    mvc.perform(post("/lockbox/requests/" + lockboxId + "/revoke").session(approver).with(csrf())
        .param("comment", "Unexpected queries on the orders table")).andExpect(redirectedUrl("/lockbox/requests/" + lockboxId));

    AccessRequestView revoked = requests.get(request.id(), fixtures.as("lead"));
    assertThat(revoked.status()).isEqualTo(AccessRequestStatus.ACCESS_ENDED);
    assertThat(revoked.grant().endReason()).isEqualTo("REVOKED_BY_CUSTOMER");
    String after = page(approver, "/lockbox/requests/" + lockboxId);
    assertThat(after).contains("Access ended", "revoked by your organization at",
        "Your organization revoked the access before the access period was over",
        "Unexpected queries on the orders table", "(" + tenant.approver() + ")").doesNotContain("id=\"revoke-form\"");
    assertThat(row(page(approver, "/lockbox"), "SR-V-")).contains("revoked by your organization at");
  }

  @Test
  void anExtensionIsListedAsMoreTimeAskedForDecidedOnItsPageAndTheTimelineTellsIt() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = approved(tenant, "SR-X-" + tenant.id());
    LockboxRequest extension = requests.askForExtension(request.id(), "The data fix needs two more hours",
        fixtures.as("engineer"));
    drive(request.id());
    MockHttpSession approver = signIn(tenant.approver());

    assertThat(row(page(approver, "/lockbox"), "SR-X-")).contains("Action needed", "more time asked for",
        "8 hours more (extension)", "/lockbox/requests/" + extension.id());
    String detail = page(approver, "/lockbox/requests/" + extension.id());
    assertThat(detail).contains("More time asked (1)", "The data fix needs two more hours",
        "<label for=\"deny-comment\">", "The engineer asked for more time for the access to Production.",
        "Your approval of more time for the access was requested");

    mvc.perform(post("/lockbox/requests/" + extension.id() + "/approve").session(approver).with(csrf())
        .param("comment", "Take the time")).andExpect(redirectedUrl("/lockbox/requests/" + extension.id()));
    drive(request.id());

    AccessRequestView extended = requests.get(request.id(), fixtures.as("lead"));
    assertThat(row(page(approver, "/lockbox"), "SR-X-")).contains("Approved",
        "access until " + Times.display(extended.grant().expiresAt()));
    assertThat(page(approver, "/lockbox/requests/" + extension.id())).containsSubsequence(
        "Your organization approved the request.", "Your organization approved more time for the access.",
        "The access to Production was extended until " + Times.display(extended.grant().expiresAt()))
        .doesNotContain("id=\"deny-comment\"", "EXTENSION", "ACCESS_EXTENDED");
  }

  @Test
  void breakGlassAccessIsListedWithItsIncidentAndHasItsOwnPage() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView emergency = requests.create(new NewAccessRequest(tenant.id(), tenant.prod(), null,
        "Production outage: database cluster down", AccessLevel.ADMIN, true, true, true, "INC-" + tenant.id()),
        fixtures.as("oncall"));
    drive(emergency.id());
    MockHttpSession approver = signIn(tenant.approver());

    assertThat(row(page(approver, "/lockbox"), "Break-glass: incident INC-" + tenant.id()))
        .contains("Emergency access", "until", "oncall", "Administrator", "/lockbox/break-glass/" + emergency.id());
    String detail = page(approver, "/lockbox/break-glass/" + emergency.id());
    assertThat(detail).contains("Emergency access for incident INC-" + tenant.id(),
        "The provider used emergency (break-glass) access to Production without waiting for your approval",
        "Access until").doesNotContain("id=\"deny-comment\"", "BREAK_GLASS");
    // An ordinary request has no break-glass page, and another tenant's people see none.
    AccessRequestView ordinary = pending(tenant, "Investigate the failing nightly export job");
    mvc.perform(get("/lockbox/break-glass/" + ordinary.id()).session(approver)).andExpect(status().isNotFound());
    TestTenant other = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    mvc.perform(get("/lockbox/break-glass/" + emergency.id()).session(signIn(other.approver())))
        .andExpect(status().isNotFound());
  }

  @Test
  void anAuditorReadsTheTrailSearchesExportsAndVerifiesItButIsNotAskedToDecide() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    String auditor = tenant.id() + "-auditor";
    fixtures.user(auditor, tenant.id(), Groups.AUDITORS);
    AccessRequestView request = pending(tenant, "Investigate the failing nightly export job");
    String lockboxId = requests.get(request.id(), fixtures.as("lead")).lockbox().id();
    MockHttpSession session = signIn(auditor);

    String recent = page(session, "/lockbox");
    assertThat(recent).doesNotContain("approve or deny").contains("id=\"nav-audit\"", "audit trail");
    String detail = page(session, "/lockbox/requests/" + lockboxId);
    assertThat(detail).doesNotContain("id=\"deny-comment\"")
        .contains("/lockbox/audit?tenant=" + tenant.id() + "&amp;requestId=" + request.id());

    String trail = page(session, "/lockbox/audit?tenant=" + tenant.id() + "&requestId=" + request.id());
    assertThat(trail).contains("A provider engineer asked for access to Production.",
        "Your approvers were notified by e-mail.").doesNotContain("REQUEST_CREATED sent", "AUTO_APPROVE");
    String filtered = page(session, "/lockbox/audit?tenant=" + tenant.id() + "&type=APPROVERS_NOTIFIED");
    assertThat(filtered).contains("Your approvers were notified by e-mail.")
        .doesNotContain("A provider engineer asked for");
    assertThat(page(session, "/lockbox/audit?tenant=" + tenant.id() + "&from=yesterday"))
        .contains("From: write the day as YYYY-MM-DD.");
    assertThat(page(session, "/lockbox/audit?tenant=" + tenant.id() + "&verify=true"))
        .contains("The audit trail is intact");

    String csv = exported(get("/lockbox/audit/export").session(session).param("tenant", tenant.id())
        .param("format", "CSV").param("requestId", request.id()), ".csv");
    assertThat(csv).startsWith("id,chainSeq,occurredAt").contains("REQUEST_CREATED", request.id());
    String ndjson = exported(get("/lockbox/audit/export").session(session).param("tenant", tenant.id())
        .param("format", "NDJSON"), ".ndjson");
    assertThat(ndjson.lines()).allMatch(line -> line.startsWith("{") && line.contains("\"tenantId\":\"" + tenant.id()));
    // Each read through the page is in the tenant's own trail under the auditor's name, as through the API.
    assertThat(db.sql("select distinct event_type from audit_event where tenant_id = ? and actor = ?")
        .params(tenant.id(), auditor).query(String.class).list())
        .containsExactlyInAnyOrder("AUDIT_TRAIL_SEARCHED", "AUDIT_TRAIL_VERIFIED", "AUDIT_TRAIL_EXPORTED");

    // Approvers do not read the audit trail; strangers do not learn the tenant exists.
    mvc.perform(get("/lockbox/audit").param("tenant", tenant.id()).session(signIn(tenant.approver())))
        .andExpect(status().isForbidden());
    TestTenant other = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    mvc.perform(get("/lockbox/audit/export").param("tenant", tenant.id()).param("format", "CSV")
        .session(signIn(other.admin()))).andExpect(status().isNotFound());
  }

  @Test
  void aTenantAdminFindsThePolicyFromTheTopAndTheEnvironmentBoxesCountOnlyForSelected() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    String page = page(signIn(tenant.admin()), "/lockbox");
    assertThat(page).contains("id=\"nav-policy\" href=\"/lockbox?tenant=" + tenant.id() + "#policy-heading\"")
        .contains("<fieldset id=\"selected-environments\" disabled=\"disabled\">");
    policies.updatePolicy(tenant.id(), new PolicyUpdate(true, PolicyScope.SELECTED, List.of(tenant.prod())), "fixture");
    assertThat(page(signIn(tenant.admin()), "/lockbox")).contains("<fieldset id=\"selected-environments\">");
  }

  @Test
  void rightAfterAWrongPasswordTheSignInPageSaysTheAccountIsBrieflyLocked() throws Exception {
    String user = "locked-" + System.nanoTime();
    fixtures.user(user, null, Groups.AUDITORS);
    // The identity service's lock follows the engine's clock: held still, the 3 seconds stay 3.
    ClockUtil.setCurrentTime(new Date());
    mvc.perform(formLogin("/lockbox/login").user(user).password("wrong"))
        .andExpect(redirectedUrl("/lockbox/login?wait=3"));
    // The right password is refused too while the lock lasts, and the page says why and for how long.
    mvc.perform(formLogin("/lockbox/login").user(user).password(Fixtures.PASSWORD))
        .andExpect(redirectedUrl("/lockbox/login?wait=3"));
    assertThat(mvc.perform(get("/lockbox/login?wait=3")).andReturn().getResponse().getContentAsString())
        .contains("locked for a short time: try again in 3 seconds");
    assertThat(mvc.perform(get("/lockbox/login?wait=%3Cb%3E")).andReturn().getResponse().getContentAsString())
        .contains("try again in a few seconds").doesNotContain("<b>");
    // An unknown user name gets the plain message.
    mvc.perform(formLogin("/lockbox/login").user("nobody-" + System.nanoTime()).password("wrong"))
        .andExpect(redirectedUrl("/lockbox/login?error"));
  }

  /** The body of a download (a streamed answer: MockMvc dispatches it once the stream is done). */
  private String exported(MockHttpServletRequestBuilder request, String extension) throws Exception {
    MvcResult started = mvc.perform(request).andExpect(request().asyncStarted()).andReturn();
    return mvc.perform(asyncDispatch(started)).andExpect(status().isOk())
        .andExpect(header().string("Content-Disposition", containsString(extension)))
        .andReturn().getResponse().getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The Recent table's row holding {@code text}. */
  private static String row(String page, String text) {
    int at = page.indexOf(text);
    assertThat(at).as("row with " + text).isNotNegative();
    return page.substring(page.lastIndexOf("<tr", at), page.indexOf("</tr>", at));
  }

  private AccessRequestView approved(TestTenant tenant, String ticket) throws Exception {
    AccessRequestView request = requests.create(new NewAccessRequest(tenant.id(), tenant.prod(), ticket,
        "Investigate the failing nightly export job", AccessLevel.READ, true, true, null, null), fixtures.as("engineer"));
    drive(request.id());
    lockboxRequests.decide(requests.get(request.id(), fixtures.as("lead")).lockbox().id(), Decision.APPROVE, null,
        fixtures.as(tenant.approver()));
    drive(request.id());
    return request;
  }

  private AccessRequestView pending(TestTenant tenant, String justification) {
    AccessRequestView request = requests.create(new NewAccessRequest(tenant.id(), tenant.prod(), "SR-" + tenant.id(),
        justification, AccessLevel.READ, true, true, null, null), fixtures.as("engineer"));
    drive(request.id());
    return request;
  }

  private MockHttpSession signIn(String userId) throws Exception {
    return (MockHttpSession) mvc.perform(formLogin("/lockbox/login").user(userId).password(Fixtures.PASSWORD))
        .andExpect(redirectedUrl("/lockbox")).andReturn().getRequest().getSession();
  }

  private String page(MockHttpSession session, String path) throws Exception {
    return mvc.perform(get(path).session(session)).andExpect(status().isOk()).andReturn().getResponse()
        .getContentAsString();
  }
}
