package io.customerlockbox.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.request.NewAccessRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Tasklist and the entry points in a real Chromium, as {@link BrowserTest} drives the lockbox page:
 * a denial without a reason stays in the form with its message, the engineer files a request by
 * picking tenant and environment and finds it under "My requests", and the root and /api/ answer.
 * Screenshots go to target/browser-tests/.
 */
class TasklistBrowserTest extends ChromiumTest {

  @Autowired AccessRequestService requests;

  final List<String> serverErrors = new CopyOnWriteArrayList<>();

  @BeforeEach
  void catchServerErrors() {
    // No call of the page may fail on the server's side.
    page.onResponse(response -> {
      if (response.status() >= 500) {
        serverErrors.add(response.status() + " " + response.url());
      }
    });
  }

  @AfterEach
  void noServerErrors() {
    assertThat(serverErrors).as("answers of 500 and above").isEmpty();
  }

  @Test
  void aDenialWithoutAReasonStaysInTheFormWithItsMessage() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = requests.create(new NewAccessRequest(tenant.id(), tenant.prod(), "SR-" + tenant.id(),
        "Investigate the failing nightly export job", AccessLevel.READ, true, true, null, null), fixtures.as("engineer"));
    drive(request.id());
    String taskId = taskService.createTaskQuery().processInstanceId(request.processInstanceId()).singleResult().getId();

    page.navigate("/camunda/app/tasklist/default/");
    logIntoWebapp(tenant.approver(), Fixtures.PASSWORD, "Lockbox requests for my tenant");
    // The task list tells the request apart: ticket, environment, requester.
    Locator listed = page.getByText("Lockbox request SR-" + tenant.id()).first();
    listed.waitFor();
    assertThat(listed.textContent()).contains("Production (" + tenant.prod() + ")").contains("from engineer");
    // Camunda's "time to migrate" banner is not for a customer's approver.
    assertThat(page.locator(".ce-eol-banner").isVisible()).isFalse();
    page.navigate("/camunda/app/tasklist/default/#/?task=" + taskId);
    Locator claim = page.getByText("Claim", new Page.GetByTextOptions().setExact(true));
    claim.click();
    claim.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.HIDDEN));

    Locator reason = page.getByLabel("Why you deny it");
    assertThat(reason.count()).as("the reason field before Deny is chosen").isZero();
    page.getByLabel("Deny").check();
    reason.waitFor();
    Locator complete = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Complete"));
    if (complete.isEnabled()) {
      complete.click();
    }
    page.getByText("Field is required.").first().waitFor();
    screenshot("deny-without-reason");
    assertThat(taskService.createTaskQuery().taskId(taskId).count()).isEqualTo(1);
    assertThat(page.locator("body").textContent()).doesNotContain("ENGINE-").doesNotContain("Exception");

    // Tasklist's own notice that the form was not submitted covers the button: close it.
    Locator notice = page.locator(".notifications .alert");
    notice.locator("button.close:visible").first().click();
    notice.first().waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
    reason.fill("Not during quarter close");
    complete.click();
    page.getByText("Select a task in the list.").waitFor();
    drive(request.id());
    AccessRequestView denied = requests.get(request.id(), fixtures.as("lead"));
    assertThat(denied.status()).isEqualTo(AccessRequestStatus.DENIED);
    assertThat(denied.lockbox().comment()).isEqualTo("Not during quarter close");
  }

  @Test
  void anEngineerPicksTenantAndEnvironmentAndFindsTheRequestUnderMyRequests() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    String ticket = "SR-" + tenant.id();
    page.navigate("/camunda/app/tasklist/default/");
    logIntoWebapp("engineer", "demo", "Start process");
    page.getByText("Start process").first().click();
    page.getByText("Lockbox access request").first().click();

    pick("Customer tenant", "Tenant " + tenant.id() + " (" + tenant.id() + ")");
    pick("Environment", "Production (" + tenant.prod() + "), Tenant " + tenant.id());
    page.getByLabel("Support ticket").fill(ticket);
    page.getByLabel("Justification").fill("Investigate the failing nightly export job");
    page.getByLabel("I use an isolated identity for this access").check();
    page.getByLabel("My sign-in is verified with MFA").check();
    screenshot("start-form");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start").setExact(true)).click();
    page.getByText("The process has been started.").waitFor();

    AccessRequestView filed = requests.list(null, tenant.id(), fixtures.as("lead")).get(0);
    assertThat(filed.supportTicketId()).isEqualTo(ticket);
    assertThat(filed.environmentId()).isEqualTo(tenant.prod());
    assertThat(filed.requestedBy()).isEqualTo("engineer");

    // "My requests": sign in as on the lockbox page, and come back to the list.
    page.navigate("/requests");
    page.getByLabel("User name").fill("engineer");
    page.getByLabel("Password").fill("demo");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("My requests")).waitFor();
    Locator first = page.locator("table.my-requests tbody tr").first();
    assertThat(first.textContent()).contains(ticket).contains(tenant.prod()).contains(filed.id());
    screenshot("my-requests");
  }

  @Test
  void theRootListsThePagesAndApiAnswersWithItsDescription() {
    page.navigate("/");
    screenshot("index");
    assertThat(page.title()).isEqualTo("Customer Lockbox");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Lockbox page")).click();
    page.getByLabel("User name").waitFor();
    assertThat(page.url()).endsWith("/lockbox/login");

    BrowserContext signedIn = browser.newContext(new Browser.NewContextOptions().setBaseURL("http://localhost:" + port)
        .setHttpCredentials("engineer", "demo"));
    try {
      Response description = signedIn.newPage().navigate("/api/");
      assertThat(description.status()).isEqualTo(200);
      assertThat(description.text()).contains("\"openapi\":\"3.").contains("/api/access-requests");
    } finally {
      signedIn.close();
    }
  }

  /** A Camunda Forms select: open it, choose the option by its label. */
  private void pick(String label, String option) {
    Locator select = page.getByLabel(label).first();
    select.click();
    select.fill(option);
    page.locator(".fjs-dropdownlist-item").filter(new Locator.FilterOptions().setHasText(option)).first().click();
  }
}
