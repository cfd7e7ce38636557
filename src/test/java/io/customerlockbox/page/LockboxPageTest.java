package io.customerlockbox.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
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
import io.customerlockbox.request.LockboxStatus;
import io.customerlockbox.request.NewAccessRequest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/** The customer's /lockbox page over HTTP: sign-in, the Recent table, a decision, tenant isolation, the policy. */
@AutoConfigureMockMvc
class LockboxPageTest extends ApplicationTest {

  @Autowired MockMvc mvc;
  @Autowired AccessRequestService requests;
  @Autowired PolicyService policies;

  @Test
  void withoutSigningInThePageAsksForIt() throws Exception {
    mvc.perform(get("/lockbox")).andExpect(status().is3xxRedirection())
        .andExpect(redirectedUrl("http://localhost/lockbox/login"));
    mvc.perform(get("/lockbox/login")).andExpect(status().isOk());
    mvc.perform(formLogin("/lockbox/login").user("contoso-approver").password("wrong"))
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
        .contains(request.supportTicketId(), tenant.prod(), "Action needed", "8 hours")
        .contains("/lockbox/requests/" + lockboxId);

    String detail = page(approver, "/lockbox/requests/" + lockboxId);
    assertThat(detail).contains("Debug &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;")
        .doesNotContain("<script", "<img").contains("<label for=\"deny-comment\">");

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
    // The timeline is the request's audit trail, in order, with who acted.
    assertThat(decided).containsSubsequence("Access requested", "Lockbox request opened", "Approvers notified",
        "Denied", "by " + tenant.approver());
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
  void thePageRunsNoScript() throws Exception {
    mvc.perform(get("/lockbox/login")).andExpect(header().string("Content-Security-Policy",
        containsString("default-src 'none'")));
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
