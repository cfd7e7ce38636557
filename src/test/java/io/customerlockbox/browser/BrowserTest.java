package io.customerlockbox.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.request.Decision;
import io.customerlockbox.request.LockboxRequestService;
import io.customerlockbox.request.LockboxStatus;
import io.customerlockbox.request.NewAccessRequest;
import io.customerlockbox.security.Groups;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Date;
import java.util.concurrent.CopyOnWriteArrayList;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What approvers do, in a real Chromium (Debian's package, never a browser Playwright downloads):
 * approve in Tasklist, deny on the /lockbox page, see a hostile justification as text, and see
 * nothing of another tenant. The job executor is off, as in every test: the test drives the jobs.
 * Screenshots go to target/browser-tests/; the pictures the docs show go to
 * target/browser-tests/docs/ too, and into docs/images/ when the build is run with
 * {@code -Dlockbox.docs.images=true} (see docs/testing.md).
 */
class BrowserTest extends ChromiumTest {

  static final Path DOCS_IMAGES = Path.of("docs", "images");
  static final String HOSTILE = "Check <script>alert('script')</script> and <img src=x onerror=alert('img')> please";

  @Autowired AccessRequestService requests;
  @Autowired LockboxRequestService lockboxRequests;

  final List<String> dialogs = new CopyOnWriteArrayList<>();

  @BeforeEach
  void catchDialogs() {
    // An alert() would mean the hostile justification ran as code.
    page.onDialog(dialog -> {
      dialogs.add(dialog.message());
      dialog.dismiss();
    });
  }

  @AfterEach
  void noScriptRan() {
    assertThat(dialogs).as("script ran in the page").isEmpty();
  }

  @Test
  void anApproverOpensTheTaskInTasklistSeesTheRequestAndApprovesIt() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = pending(tenant, "SR-" + tenant.id(), HOSTILE);
    String taskId = taskService.createTaskQuery().processInstanceId(request.processInstanceId()).singleResult().getId();

    page.navigate("/camunda/app/tasklist/default/");
    logIntoTasklist(tenant.approver());
    // The link the approvers' e-mail carries.
    page.navigate("/camunda/app/tasklist/default/#/?task=" + taskId);
    Locator justification = page.getByLabel("Justification");
    justification.waitFor();
    screenshot("task-form");

    assertThat(justification.inputValue()).isEqualTo(HOSTILE);
    assertThat(page.getByLabel("Support ticket").inputValue()).isEqualTo("SR-" + tenant.id());
    assertThat(page.getByLabel("Environment").inputValue()).isEqualTo(tenant.prod());
    assertThat(page.getByLabel("Requested by").inputValue()).isEqualTo("engineer");
    assertThat(page.getByLabel("Access level").inputValue()).isEqualTo("READ");
    assertThat(page.getByLabel("Access period").inputValue()).startsWith("8 hours");
    assertThat(page.locator("img[src=x]").count()).isZero();

    // Tasklist lets the approver work on a task once they claimed it.
    Locator claim = page.getByText("Claim", new Page.GetByTextOptions().setExact(true));
    claim.click();
    claim.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.HIDDEN));
    page.getByLabel("Approve").check();
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Complete")).click();
    page.getByText("Select a task in the list.").waitFor();
    screenshot("task-completed");
    drive(request);

    assertThat(requests.get(request.id(), fixtures.as("lead")).status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    assertThat(requests.get(request.id(), fixtures.as("lead")).lockbox().decidedBy()).isEqualTo(tenant.approver());
  }

  @Test
  void anApproverDeniesOnTheLockboxPageAndTheRowTurnsToDenied() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = pending(tenant, "SR-" + tenant.id(), HOSTILE);

    signIn(tenant.approver(), Fixtures.PASSWORD);
    Locator row = page.locator("#recent tbody tr").filter(new Locator.FilterOptions().setHasText("SR-" + tenant.id()));
    assertThat(row.locator("td[data-label=Status] .status").textContent()).isEqualTo("Action needed");
    screenshot("recent-action-needed");

    row.getByRole(AriaRole.LINK).click();
    assertThat(page.locator("#justification").textContent()).isEqualTo(HOSTILE);
    assertThat(page.locator("#justification script, #justification img").count()).isZero();
    screenshot("detail");

    // Denying without a reason is refused.
    page.getByLabel("Why you deny it (required)").evaluate("textarea => textarea.removeAttribute('required')");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Deny")).click();
    assertThat(page.getByRole(AriaRole.ALERT).textContent()).contains("comment is required");

    page.getByLabel("Why you deny it (required)").fill("Not during quarter close");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Deny")).click();
    assertThat(page.getByRole(AriaRole.STATUS).textContent()).contains("You denied the request");
    drive(request);

    page.navigate("/lockbox");
    row = page.locator("#recent tbody tr").filter(new Locator.FilterOptions().setHasText("SR-" + tenant.id()));
    assertThat(row.locator("td[data-label=Status]").textContent()).isEqualTo("Denied");
    assertThat(row.locator("td[data-label='Who acted']").textContent()).startsWith(tenant.approver() + ", ");
    screenshot("recent-denied");
    assertThat(requests.get(request.id(), fixtures.as("lead")).lockbox().status()).isEqualTo(LockboxStatus.DENIED);
  }

  @Test
  void aFabrikamApproverSeesNoContosoRow() {
    AccessRequestView contoso = pending(new TestTenant("contoso", "contoso-prod", "contoso-sandbox", "contoso-approver",
        "contoso-admin"), "SR-CONTOSO-" + System.nanoTime(), "Investigate the failing nightly export job");
    String fabrikamApprover = "fabrikam-approver-" + System.nanoTime();
    fixtures.user(fabrikamApprover, "fabrikam", Groups.LOCKBOX_APPROVERS);

    signIn(fabrikamApprover, Fixtures.PASSWORD);
    screenshot("fabrikam-recent");
    assertThat(page.locator("main").textContent()).contains("fabrikam")
        .doesNotContain("contoso", contoso.supportTicketId());

    signOut();
    signIn("contoso-approver", "demo");
    assertThat(page.locator("#recent").textContent()).contains(contoso.supportTicketId());
  }

  @Test
  void thePageWorksOnANarrowScreenAndWithTheKeyboard() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    pending(tenant, "SR-" + tenant.id(), "Investigate the failing nightly export job");
    page.setViewportSize(360, 740);
    page.navigate("/lockbox/login");
    // The user name field takes the focus by itself (autofocus), once the page has loaded.
    page.waitForFunction("document.activeElement && document.activeElement.id === 'username'");
    page.keyboard().type(tenant.approver());
    page.keyboard().press("Tab");
    page.keyboard().type(Fixtures.PASSWORD);
    page.keyboard().press("Enter");
    page.locator("#recent").waitFor();
    screenshot("narrow");

    Locator row = page.locator("#recent tbody tr").filter(new Locator.FilterOptions().setHasText("SR-" + tenant.id()));
    assertThat(row.locator("td[data-label=Status]").boundingBox().width).isLessThanOrEqualTo(360);
    assertThat((Boolean) page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).isTrue();
    // Each value says what it is: the label before it, in bold.
    assertThat(row.locator("td[data-label=Status]").evaluate("td => getComputedStyle(td, '::before').content"))
        .isEqualTo("\"Status\"");
    row.getByRole(AriaRole.LINK).click();
    page.locator("dl.facts dt").first().waitFor();
    assertThat(Integer.parseInt((String) page.locator("dl.facts dt").first()
        .evaluate("dt => getComputedStyle(dt).fontWeight"))).isGreaterThanOrEqualTo(600);
    assertThat((Boolean) page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).isTrue();
    screenshot("narrow-detail");
  }

  @Test
  void theRecentTableTellsLiveReleasedEndedAndBreakGlassAccessApart() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView live = approved(tenant, "SR-LIVE-" + tenant.id());
    AccessRequestView released = approved(tenant, "SR-RELEASED-" + tenant.id());
    AccessRequestView over = approved(tenant, "SR-OVER-" + tenant.id());
    requests.release(released.id(), fixtures.as("engineer"));
    drive(released);
    ClockUtil.setCurrentTime(Date.from(requests.get(over.id(), fixtures.as("lead")).grant().expiresAt().plusSeconds(1)));
    drive(over);
    ClockUtil.reset();
    AccessRequestView emergency = breakGlass(tenant);
    AccessRequestView waiting = pending(tenant, "SR-WAITING-" + tenant.id(), "Investigate the failing nightly export job");

    signIn(tenant.approver(), Fixtures.PASSWORD);
    assertThat(statusOf("SR-LIVE-")).startsWith("Approved").contains("access until");
    assertThat(statusOf("SR-RELEASED-")).startsWith("Access ended").contains("released early by the engineer at");
    assertThat(statusOf("SR-OVER-")).startsWith("Access ended").contains("access period over at");
    assertThat(statusOf("Break-glass: incident INC-" + tenant.id())).startsWith("Emergency access").contains("until");
    // What waits for a decision comes first.
    assertThat(page.locator("#recent tbody tr").first().textContent()).contains(waiting.supportTicketId());
    assertThat(page.locator("#recent tbody tr").first().textContent()).contains("Production", "engineer", "Read only");
    screenshot("recent-access-states");
    docsImage("lockbox-recent");

    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Break-glass: incident INC-" + tenant.id())).click();
    page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Emergency access for incident INC-"
        + tenant.id())).waitFor();
    assertThat(page.locator("main").textContent())
        .contains("The provider used emergency (break-glass) access to Production without waiting for your approval")
        .doesNotContain("BREAK_GLASS", tenant.prod());
    assertThat(page.locator("#access-until").textContent()).endsWith("UTC");
    assertThat(page.url()).endsWith("/lockbox/break-glass/" + emergency.id());
    screenshot("break-glass");
    docsImage("lockbox-break-glass");
    assertThat(live.id()).isNotEqualTo(released.id());
  }

  @Test
  void theDetailSpeaksTheCustomersLanguage() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = approved(tenant, "SR-" + tenant.id());
    signIn(tenant.approver(), Fixtures.PASSWORD);
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("SR-" + tenant.id())).click();
    page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Timeline")).waitFor();

    String main = page.locator("main").textContent();
    assertThat(main).contains("The provider's internal rules allowed this request",
            "Your approvers were notified by e-mail.", "Your organization approved the request.",
            "The engineer was given access to Production until")
        .doesNotContain("AUTO_APPROVE", "Rule_", "LOCKBOX_", "READ", tenant.prod())
        .doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}");
    assertThat(page.locator("#decided").textContent()).startsWith(tenant.approver() + " (approved, ");
    assertThat(page.locator("#access-until").textContent()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC");
    assertThat(page.locator(".timeline time").allTextContents())
        .allMatch(time -> time.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC"));
    screenshot("detail-approved");
    docsImage("lockbox-approved");
    assertThat(request.id()).isNotBlank();
  }

  @Test
  void anAuditorSearchesTheTrailExportsItAndSeesItIsIntact() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    String auditor = tenant.id() + "-auditor";
    fixtures.user(auditor, tenant.id(), Groups.AUDITORS);
    AccessRequestView request = pending(tenant, "SR-" + tenant.id(), "Investigate the failing nightly export job");

    signIn(auditor, Fixtures.PASSWORD);
    assertThat(page.locator("#intro").textContent()).doesNotContain("approve or deny");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("SR-" + tenant.id())).click();
    assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Approve")).count()).isZero();
    page.locator("#request-audit").click();
    page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Audit trail of " + tenant.id())).waitFor();
    assertThat(page.locator("#events").textContent()).contains("Your approvers were notified by e-mail.")
        .doesNotContain("APPROVERS_NOTIFIED", "sent to");

    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Check the audit trail now")).click();
    assertThat(page.locator("#verification").textContent()).startsWith("The audit trail is intact");

    page.getByLabel("What happened").selectOption("APPROVERS_NOTIFIED");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search")).click();
    page.locator("#events").waitFor();
    assertThat(page.locator("#events tbody tr").allTextContents()).isNotEmpty()
        .allMatch(row -> row.contains("Your approvers were notified by e-mail."));
    screenshot("audit");
    docsImage("lockbox-audit");

    com.microsoft.playwright.Download csv = page.waitForDownload(() -> page.locator("#export-csv").click());
    String exported = Files.readString(csv.path());
    assertThat(exported).startsWith("id,chainSeq,occurredAt").contains("APPROVERS_NOTIFIED", request.id())
        .doesNotContain(",REQUEST_CREATED,");
  }

  @Test
  void theEnvironmentBoxesAreActiveOnlyForSelectedEnvironments() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    signIn(tenant.admin(), Fixtures.PASSWORD);
    page.locator("#nav-policy").click();
    Locator production = page.getByLabel("Production (managed)");
    assertThat(production.isDisabled()).isTrue();
    page.getByLabel("Only the environments selected below").check();
    assertThat(production.isEnabled()).isTrue();
    production.check();
    screenshot("policy-selected");
    page.getByLabel("All environments").check();
    assertThat(production.isDisabled()).isTrue();
    page.getByLabel("Only the environments selected below").check();
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save policy")).click();
    assertThat(page.getByRole(AriaRole.STATUS).textContent()).contains("policy is saved");
    assertThat(page.getByLabel("Production (managed)").isChecked()).isTrue();
  }

  @Test
  void rightAfterAWrongPasswordTheSignInPageSaysHowLongTheAccountIsLocked() {
    String user = "locked-" + System.nanoTime();
    fixtures.user(user, null, Groups.AUDITORS);
    page.navigate("/lockbox/login");
    page.getByLabel("User name").fill(user);
    page.getByLabel("Password").fill("wrong");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    page.getByLabel("User name").fill(user);
    page.getByLabel("Password").fill(Fixtures.PASSWORD);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page.getByRole(AriaRole.ALERT).textContent())
        .containsPattern("locked for a short time: try again in [1-3] seconds")
        .doesNotContain("password is wrong");
    screenshot("sign-in-locked");
  }

  @Test
  void theDocsPicturesAreTakenFromTheRunningProduct() {
    AccessRequestView request = requests.create(new NewAccessRequest("contoso", "contoso-prod", "SR-1001",
        "Investigate the failing nightly export job", AccessLevel.READ, true, true, null, null), fixtures.as("engineer"));
    drive(request);
    page.setViewportSize(1100, 760);
    signIn("contoso-approver", "demo");
    page.navigate("/lockbox/requests/" + requests.get(request.id(), fixtures.as("lead")).lockbox().id());
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Approve")).waitFor();
    docsImage("lockbox-detail");
  }

  private AccessRequestView pending(TestTenant tenant, String ticket, String justification) {
    AccessRequestView request = requests.create(new NewAccessRequest(tenant.id(), tenant.prod(), ticket, justification,
        AccessLevel.READ, true, true, null, null), fixtures.as("engineer"));
    drive(request);
    return request;
  }

  /** The Recent table's status cell of the row holding {@code text}. */
  private String statusOf(String text) {
    return page.locator("#recent tbody tr").filter(new Locator.FilterOptions().setHasText(text))
        .locator("td[data-label=Status]").textContent();
  }

  private AccessRequestView approved(TestTenant tenant, String ticket) {
    AccessRequestView request = pending(tenant, ticket, "Investigate the failing nightly export job");
    lockboxRequests.decide(requests.get(request.id(), fixtures.as("lead")).lockbox().id(), Decision.APPROVE, null,
        fixtures.as(tenant.approver()));
    drive(request);
    return request;
  }

  private AccessRequestView breakGlass(TestTenant tenant) {
    AccessRequestView request = requests.create(new NewAccessRequest(tenant.id(), tenant.prod(), null,
        "Production outage: database cluster down", AccessLevel.ADMIN, true, true, true, "INC-" + tenant.id()),
        fixtures.as("oncall"));
    drive(request);
    return request;
  }

  private void drive(AccessRequestView request) {
    drive(request.id());
  }

  private void logIntoTasklist(String user) {
    logIntoWebapp(user, Fixtures.PASSWORD, "Lockbox requests for my tenant");
  }

  private void signIn(String user, String password) {
    page.navigate("/lockbox/login");
    page.getByLabel("User name").fill(user);
    page.getByLabel("Password").fill(password);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Customer Lockbox requests")).waitFor();
  }

  private void signOut() {
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
    page.getByLabel("User name").waitFor();
  }

  /** A picture the README or docs/ show: refreshed in docs/images/ only when asked, so a test run leaves the tree clean. */
  private void docsImage(String name) {
    Path shot = SCREENSHOTS.resolve("docs").resolve(name + ".png");
    page.screenshot(new Page.ScreenshotOptions().setPath(shot));
    if (Boolean.getBoolean("lockbox.docs.images")) {
      try {
        Files.createDirectories(DOCS_IMAGES);
        Files.copy(shot, DOCS_IMAGES.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
