package io.customerlockbox.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.LoadState;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.JobDriver;
import io.customerlockbox.Prerequisite;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.request.LockboxStatus;
import io.customerlockbox.request.NewAccessRequest;
import io.customerlockbox.security.Groups;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * What approvers do, in a real Chromium (Debian's package, never a browser Playwright downloads):
 * approve in Tasklist, deny on the /lockbox page, see a hostile justification as text, and see
 * nothing of another tenant. The job executor is off, as in every test: the test drives the jobs.
 * Screenshots go to target/browser-tests/; the pictures the docs show go to
 * target/browser-tests/docs/ too, and into docs/images/ when the build is run with
 * {@code -Dlockbox.docs.images=true} (see docs/testing.md).
 */
// Its own application context: in the one the API tests share, Tasklist refused the login.
@TestPropertySource(properties = "lockbox.public-url=http://localhost")
class BrowserTest extends ApplicationTest {

  static final Path SCREENSHOTS = Path.of("target", "browser-tests");
  static final Path DOCS_IMAGES = Path.of("docs", "images");
  static final String HOSTILE = "Check <script>alert('script')</script> and <img src=x onerror=alert('img')> please";

  static Playwright playwright;
  static Browser browser;

  @Autowired AccessRequestService requests;

  BrowserContext context;
  Page page;
  String testName;
  final List<String> dialogs = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void launchChromium() {
    Path chromium = Prerequisite.chromium();
    playwright = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium)
        .setHeadless(true).setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync")));
  }

  @AfterAll
  static void closeChromium() {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
  }

  @BeforeEach
  void openPage(TestInfo info) {
    testName = info.getTestMethod().orElseThrow().getName();
    context = browser.newContext(new Browser.NewContextOptions().setBaseURL("http://localhost:" + port));
    page = context.newPage();
    page.setDefaultTimeout(20_000);
    // An alert() would mean the hostile justification ran as code.
    page.onDialog(dialog -> {
      dialogs.add(dialog.message());
      dialog.dismiss();
    });
  }

  @AfterEach
  void closePage() {
    screenshot("last");
    context.close();
    assertThat(dialogs).as("script ran in the page").isEmpty();
  }

  @Test
  void anApproverOpensTheTaskInTasklistSeesTheRequestAndApprovesIt() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = pending(tenant, "SR-" + tenant.id(), HOSTILE);
    String taskId = taskService.createTaskQuery().processInstanceId(request.processInstanceId()).singleResult().getId();

    page.navigate("/camunda/app/tasklist/default/");
    // Tasklist is an Angular app: typed before it finished loading, the fields are cleared again.
    page.waitForLoadState(LoadState.NETWORKIDLE);
    if (!logIntoTasklist(tenant.approver())) {
      // Seen once in a full build, never alone: record it, then try once more.
      screenshot("tasklist-login-refused");
      assertThat(logIntoTasklist(tenant.approver())).as("Tasklist login as " + tenant.approver()).isTrue();
    }
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
    assertThat(row.locator("td[data-label=Status]").textContent()).isEqualTo("Action needed");
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
    assertThat(row.locator("td[data-label='Who acted']").textContent()).isEqualTo(tenant.approver());
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

  private void drive(AccessRequestView request) {
    drive(request.id());
  }

  /** Logs into Tasklist's own login form; answers false when Tasklist says the login failed. */
  private boolean logIntoTasklist(String user) {
    Locator userName = page.getByPlaceholder("Username");
    Locator password = page.getByPlaceholder("Password");
    userName.fill(user);
    password.fill(Fixtures.PASSWORD);
    assertThat(userName.inputValue()).isEqualTo(user);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
    Locator loggedIn = page.getByText("Lockbox requests for my tenant").first();
    Locator refused = page.getByText("Login Failed").first();
    loggedIn.or(refused).first().waitFor();
    return loggedIn.isVisible();
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

  private void screenshot(String name) {
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(testName + "-" + name + ".png"))
        .setFullPage(true));
  }
}
