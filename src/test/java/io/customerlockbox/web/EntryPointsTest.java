package io.customerlockbox.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.customerlockbox.ApiClient;
import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.security.Groups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The doors a newcomer tries: {@code /} lists the product's pages, {@code /api/} describes the API
 * (OpenAPI 3) and describes all of it, and the start-up banner names every door.
 */
class EntryPointsTest extends ApplicationTest {

  @Autowired @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings;
  @Autowired AccessRequestService requests;

  @Test
  void theRootListsTheProductsPages() {
    ApiClient.Response index = api.page("/");
    assertThat(index.status()).isEqualTo(200);
    assertThat(index.headers().getFirst("Content-Type")).startsWith("text/html");
    for (EntryPoints.EntryPoint door : EntryPoints.ALL) {
      assertThat(index.body()).contains("href=\"" + door.path() + "\"").contains(door.name());
    }
    assertThat(index.body()).contains("href=\"/lockbox\"");
    assertThat(index.headers().getFirst("Content-Security-Policy")).contains("default-src 'self'");
  }

  @Test
  void theApiDescriptionIsForSignedInUsers() {
    assertThat(api.get("/api/").status()).isEqualTo(401);
    assertThat(api.get("/api/openapi").status()).isEqualTo(401);
    assertThat(api.as("contoso-approver", "wrong-password").get("/api/").status()).isEqualTo(401);
    ApiClient.Response yaml = api.as("contoso-auditor", "demo").get("/api/openapi.yaml");
    assertThat(yaml.status()).isEqualTo(200);
    assertThat(yaml.body()).startsWith("openapi: 3.");
    for (String path : new String[] {"/api/", "/api", "/api/openapi"}) {
      ApiClient.Response answer = api.as("contoso-auditor", "demo").get(path);
      assertThat(answer.status()).as(path).isEqualTo(200);
      JsonNode description = answer.json();
      assertThat(description.path("openapi").asText()).as(path).startsWith("3.");
      assertThat(description.path("info").path("title").asText()).isEqualTo("Customer Lockbox API");
      assertThat(description.path("components").path("securitySchemes").path("basic").path("scheme").asText())
          .isEqualTo("basic");
    }
  }

  /** Every /api endpoint the application answers (each asks the role matrix) is in the description. */
  @Test
  void theDescriptionHasEveryEndpointTheApplicationServes() {
    JsonNode paths = api.as("engineer", "demo").get("/api/").json().path("paths");
    Set<String> served = new LinkedHashSet<>();
    mappings.getHandlerMethods().forEach((info, method) -> {
      if (method.getBeanType().getPackageName().startsWith("io.customerlockbox")) {
        for (String path : info.getPatternValues()) {
          if (path.startsWith("/api/") && !path.equals("/api/")) {
            info.getMethodsCondition().getMethods()
                .forEach(verb -> served.add(verb.name() + " " + path));
          }
        }
      }
    });
    assertThat(served).as("the API's endpoints").hasSizeGreaterThan(10)
        .contains("POST /api/access-requests", "GET /api/audit-events/verify");
    for (String endpoint : served) {
      String[] verbAndPath = endpoint.split(" ", 2);
      assertThat(paths.path(verbAndPath[1]).has(verbAndPath[0].toLowerCase(Locale.ROOT)))
          .as(endpoint + " in the OpenAPI description").isTrue();
    }
  }

  /**
   * docs/security.md's role matrix names no /api endpoint the description lacks. A row names one
   * or more, as {@code `VERB /api/...`} followed by shorthands ({@code `/timeline`}, {@code `/deny`})
   * that continue the last full path, either as a child or as a sibling.
   */
  @Test
  void theDescriptionHasEveryEndpointOfTheRoleMatrix() throws IOException {
    JsonNode paths = api.as("engineer", "demo").get("/api/").json().path("paths");
    Pattern cell = Pattern.compile("`((?:GET|POST|PUT|DELETE)(?:`, `(?:GET|POST|PUT|DELETE))* )?(/[^` ?]*)[^`]*`");
    Set<String> checked = new LinkedHashSet<>();
    for (String line : Files.readAllLines(Path.of("docs/security.md"))) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String verbs = null;
      String last = null;
      Matcher m = cell.matcher(line.split("\\|")[1]);
      while (m.find()) {
        verbs = m.group(1) != null ? m.group(1).replace("`", "").trim() : verbs;
        String path = m.group(2);
        List<String> readings = path.startsWith("/api/") ? List.of(path) : last == null ? List.of()
            : List.of(last + path, last.substring(0, last.lastIndexOf('/')) + path);
        last = path.startsWith("/api/") ? path : last;
        for (String verb : verbs.split(", ")) {
          // The description does not describe itself.
          if (readings.isEmpty() || readings.get(0).equals("/api/") || readings.get(0).startsWith(ApiDescription.PATH)) {
            continue;
          }
          String method = verb.toLowerCase(Locale.ROOT);
          boolean described = readings.stream().map(reading -> reading.replace("{T}", "{tenantId}"))
              .anyMatch(reading -> paths.path(reading).has(method));
          assertThat(described).as(verb + " " + readings + " (docs/security.md) in the OpenAPI description").isTrue();
          checked.add(verb + " " + readings.get(0));
        }
      }
    }
    assertThat(checked).contains("POST /api/access-requests", "GET /api/access-grants/check",
        "POST /api/lockbox-requests/{id}/approve", "GET /api/audit-events");
  }

  /** "My requests": signed in with the lockbox page's form; each person sees what the API shows them. */
  @Test
  void myRequestsAsksForSignInAndListsTheEngineersOwnRequests() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    fixtures.user("my-requests-other", null, Groups.SUPPORT_ENGINEERS);
    AccessRequestView mine = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("engineer"));
    AccessRequestView theirs = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("my-requests-other"));

    ApiClient.Response anonymous = api.session().page("/requests");
    assertThat(anonymous.status()).isEqualTo(302);
    assertThat(anonymous.headers().getFirst("Location")).endsWith("/lockbox/login");
    assertThat(api.as("engineer", "demo").page("/requests").status()).as("Basic credentials are no sign-in here")
        .isEqualTo(302);

    ApiClient engineer = api.session();
    assertThat(engineer.signInToLockboxPage("engineer", "demo").status()).isEqualTo(302);
    ApiClient.Response page = engineer.page("/requests");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("My requests").contains(mine.id()).contains(mine.supportTicketId())
        .doesNotContain(theirs.id());
    assertThat(page.headers().getFirst("Content-Security-Policy")).startsWith("default-src 'none'");

    ApiClient approver = api.session();
    approver.signInToLockboxPage(tenant.approver(), Fixtures.PASSWORD);
    assertThat(approver.page("/requests").body()).contains(mine.id()).contains(theirs.id());
  }

  @Test
  void theBannerNamesTheProductAndEveryDoor() {
    String banner = StartupBanner.text("http://localhost:8080");
    assertThat(banner).contains("Customer Lockbox is ready").contains("http://localhost:8080/ lists these pages");
    for (EntryPoints.EntryPoint door : EntryPoints.ALL) {
      assertThat(banner).contains(door.name()).contains("http://localhost:8080" + door.path() + " ");
    }
    assertThat(banner).contains("http://localhost:8080/lockbox ").contains("http://localhost:8080/api/ ");
  }
}
