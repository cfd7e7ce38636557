package io.customerlockbox.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Prerequisite;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * The base of the browser tests: the running application and a real Chromium (Debian's package,
 * never a browser Playwright downloads), one per test class. Each test gets a fresh browser
 * context and page, and leaves its last screenshot under target/browser-tests/.
 */
abstract class ChromiumTest extends ApplicationTest {

  static final Path SCREENSHOTS = Path.of("target", "browser-tests");

  static Playwright playwright;
  static Browser browser;

  BrowserContext context;
  Page page;
  String testName;

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
    page.setDefaultTimeout(30_000);
  }

  @AfterEach
  void closePage() {
    screenshot("last");
    context.close();
  }

  void screenshot(String name) {
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(testName + "-" + name + ".png"))
        .setFullPage(true));
  }

  /**
   * Logs into a Camunda webapp's login form. The AngularJS form reads its fields only once it has
   * bound them, and it moves the focus to the user name field, at times again while the password
   * is being typed: typed text then lands in the wrong field (a screenshot of a refused login
   * showed "<user>test-password" in the user name field). So the test waits until Angular has
   * bound both fields (ng-untouched), sets each field's value with the input event a browser sends
   * for typing, which does not depend on where the focus is, sees that Angular's model took the
   * text (ng-not-empty), logs in with the form's own button and waits for {@code shownAfterLogin}.
   */
  void logIntoWebapp(String user, String password, String shownAfterLogin) {
    Locator userName = page.locator("input[placeholder=Username]");
    Locator passwordField = page.locator("input[placeholder=Password]");
    page.locator("input[placeholder=Username].ng-untouched").waitFor();
    page.locator("input[placeholder=Password].ng-untouched").waitFor();
    type(userName, user);
    type(passwordField, password);
    page.locator("input[placeholder=Username].ng-not-empty").waitFor();
    page.locator("input[placeholder=Password].ng-not-empty").waitFor();
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
    page.getByText(shownAfterLogin).first().waitFor();
  }

  private static void type(Locator field, String text) {
    field.evaluate("(field, text) => { field.value = text; "
        + "field.dispatchEvent(new Event('input', { bubbles: true })); }", text);
  }

}
