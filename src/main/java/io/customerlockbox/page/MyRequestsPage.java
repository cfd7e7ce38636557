package io.customerlockbox.page;

import io.customerlockbox.Times;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.security.CurrentUser;
import io.customerlockbox.security.LockboxUser;
import java.util.List;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * "My requests": the engineer's own access requests, newest first, with where each stands. The
 * start form in Tasklist links here, so a request filed there is confirmed where its engineer
 * looks (Tasklist shows tasks, and an engineer has none for their own request). Others see what
 * the API's list shows them (a lead every request; a customer's people their tenant's).
 * People sign in with the lockbox page's form and session.
 */
@Controller
class MyRequestsPage {

  static final String PATH = "/requests";

  private final AccessRequestService requests;

  MyRequestsPage(AccessRequestService requests) {
    this.requests = requests;
  }

  /** One row: what was asked, and where it stands, in words. */
  record Row(String id, String filed, String ticket, String tenant, String environment, String level,
      String status, String reason, String accessUntil) {

    static Row of(AccessRequestView request) {
      return new Row(request.id(), Times.display(request.requestedAt()),
          request.supportTicketId() == null ? "provider initiated" : request.supportTicketId(), request.tenantId(),
          request.environmentId(), request.accessLevel().name(),
          request.status().name().toLowerCase(Locale.ROOT).replace('_', ' '), request.statusReason(),
          request.grant() == null || request.grant().endedAt() != null ? null : Times.display(request.grant().expiresAt()));
    }
  }

  @GetMapping(PATH)
  String mine(Model model) {
    LockboxUser user = CurrentUser.get();
    List<Row> rows = requests.list(null, null, user).stream().map(Row::of).toList();
    model.addAttribute("user", user);
    model.addAttribute("rows", rows);
    return "requests";
  }

  @Configuration
  static class Security {

    /** Signed in like the lockbox page (its form and session); no script, like it. */
    @Bean
    @Order(0)
    SecurityFilterChain myRequestsChain(HttpSecurity http) throws Exception {
      http.securityMatcher(PATH, PATH + "/**")
          .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
          .exceptionHandling(errors -> errors.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint(
              "/lockbox/login")))
          .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
              "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                  + "base-uri 'none'")));
      return http.build();
    }
  }
}
