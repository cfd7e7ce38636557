package io.customerlockbox.security;

import org.camunda.bpm.engine.IdentityService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

/**
 * The API and the engine REST API take HTTP Basic credentials of Camunda users; the Camunda
 * webapps keep their own session login against the same users.
 */
@Configuration
class SecurityConfig {

  @Bean
  @Order(1)
  SecurityFilterChain apiChain(HttpSecurity http, IdentityService identityService) throws Exception {
    // Path patterns on the whole path: an MVC matcher sees only the path within the Jersey
    // servlet's mapping for /engine-rest/*, never matches, and leaves the engine API open.
    http.securityMatcher(new OrRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher("/api/**"),
            PathPatternRequestMatcher.withDefaults().matcher("/engine-rest/**")))
        .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
        .httpBasic(basic -> {})
        // Stateless Basic-auth APIs carry no cookie a forged cross-site request could ride on.
        .csrf(csrf -> csrf.disable())
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .addFilterAfter(new EngineAuthenticationFilter(identityService), BasicAuthenticationFilter.class);
    return http.build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain webappChain(HttpSecurity http) throws Exception {
    // The webapps (Tasklist, Cockpit, Admin) authenticate users themselves and bring their own CSRF filter.
    http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
        .csrf(csrf -> csrf.disable())
        .headers(headers -> headers.frameOptions(frame -> frame.sameOrigin()));
    return http.build();
  }
}
