package io.customerlockbox.security;

import org.camunda.bpm.engine.IdentityService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

/**
 * The API and the engine REST API take HTTP Basic credentials of Camunda users; the Camunda
 * webapps keep their own session login against the same users. Who may do what is decided by
 * {@link RoleMatrix} (our API) and Camunda's authorizations (engine REST API, webapps).
 */
@Configuration
class SecurityConfig {

  /** JSON only: nothing on an API answer may run, load or be framed. */
  static final String API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  /** Pages of ours outside the webapps (the error page); the webapps send Camunda's own CSP. */
  static final String PAGE_CSP = "default-src 'self'; object-src 'none'; frame-ancestors 'self'; base-uri 'self'; "
      + "form-action 'self'";

  /**
   * Only administrators run a job by hand (it needs UPDATE on the instance, which would also let
   * them move it); operators retry failed jobs, which the job executor then runs.
   */
  static final String[] ENGINE_JOB_RUNNERS = {"GROUP_" + Groups.CAMUNDA_ADMIN};

  @Bean
  @Order(1)
  @Profile("!oidc")
  SecurityFilterChain apiChain(HttpSecurity http, IdentityService identityService) throws Exception {
    apiBasics(http)
        .httpBasic(basic -> {})
        .addFilterAfter(new EngineAuthenticationFilter(identityService), BasicAuthenticationFilter.class);
    return http.build();
  }

  /** What the API chain is with any kind of credentials: stateless, authenticated, locked-down headers. */
  static HttpSecurity apiBasics(HttpSecurity http) throws Exception {
    // Explicit path matchers: string patterns would become Spring MVC matchers, which never match
    // the engine REST API's own Jersey servlet, and its calls would fall through to the webapp chain.
    PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
    return http.securityMatcher(new OrRequestMatcher(paths.matcher("/api/**"), paths.matcher("/engine-rest/**")))
        .authorizeHttpRequests(requests -> requests
            // The engine charges a failed retry to a job even when it refuses the caller, so anyone
            // could run a timer's retries down to an incident: only those allowed to run jobs get there.
            .requestMatchers(paths.matcher(HttpMethod.POST, "/engine-rest/job/*/execute"))
            .hasAnyAuthority(ENGINE_JOB_RUNNERS)
            .anyRequest().authenticated())
        // Stateless token/Basic APIs carry no cookie a forged cross-site request could ride on.
        .csrf(csrf -> csrf.disable())
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .headers(headers -> headers
            .contentSecurityPolicy(csp -> csp.policyDirectives(API_CSP))
            .frameOptions(frame -> frame.deny()));
  }

  /** Everything else; in the oidc profile the webapps have their own chain before this one. */
  @Bean
  @Order(3)
  SecurityFilterChain webappChain(HttpSecurity http) throws Exception {
    // The webapps (Tasklist, Cockpit, Admin) authenticate users themselves and bring their own CSRF filter.
    http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
        .csrf(csrf -> csrf.disable())
        .addFilterBefore(new WebappJobRunners(), AuthorizationFilter.class);
    pageHeaders(http);
    return http.build();
  }

  /**
   * Frame options and content-type sniffing everywhere; a CSP on our own pages. The webapps under
   * /camunda get theirs from Camunda's header-security filter (camunda.bpm.webapp.header-security.*),
   * which knows what Tasklist and Cockpit need; two policies would both be enforced.
   */
  static void pageHeaders(HttpSecurity http) throws Exception {
    http.headers(headers -> headers
        .frameOptions(frame -> frame.sameOrigin())
        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
            new NegatedRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher("/camunda/**")),
            new StaticHeadersWriter("Content-Security-Policy", PAGE_CSP))));
  }
}
