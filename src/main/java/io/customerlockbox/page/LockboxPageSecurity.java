package io.customerlockbox.page;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * The customer's /lockbox page signs people in with a form and a session (the same Camunda users
 * as everywhere), not the browser's Basic-auth prompt: a person can sign out, and the session's
 * CSRF token guards every Approve, Deny and policy change. It only matches /lockbox/**, so it is
 * placed before the other chains without changing what they do.
 */
@Configuration
class LockboxPageSecurity {

  @Bean
  @Order(0)
  SecurityFilterChain lockboxPageChain(HttpSecurity http, SignInLocks locks) throws Exception {
    http.securityMatcher("/lockbox", "/lockbox/**")
        .authorizeHttpRequests(requests -> requests
            .requestMatchers("/lockbox/login", "/lockbox/lockbox.css", "/lockbox/lockbox.js").permitAll()
            .anyRequest().authenticated())
        .formLogin(form -> form.loginPage("/lockbox/login").loginProcessingUrl("/lockbox/login")
            .defaultSuccessUrl("/lockbox", false).failureHandler(failure(locks)))
        .logout(logout -> logout.logoutUrl("/lockbox/logout").logoutSuccessUrl("/lockbox/login?signedOut"))
        // The page runs only its own script file, never inline script: anything injected stays inert.
        .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
                + "frame-ancestors 'none'; base-uri 'none'")));
    return http.build();
  }

  /**
   * A refused sign-in: when the identity service holds the user locked after a wrong password, the
   * page says for how long (the right password fails too until then), else that the name or
   * password is wrong.
   */
  private static AuthenticationFailureHandler failure(SignInLocks locks) {
    return (request, response, exception) -> {
      String target = locks.of(request.getParameter("username"))
          .map(lock -> lock.untilUnlocked() ? "/lockbox/login?locked" : "/lockbox/login?wait=" + lock.seconds())
          .orElse("/lockbox/login?error");
      response.sendRedirect(request.getContextPath() + target);
    };
  }
}
