package io.customerlockbox.page;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

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
  SecurityFilterChain lockboxPageChain(HttpSecurity http) throws Exception {
    http.securityMatcher("/lockbox", "/lockbox/**")
        .authorizeHttpRequests(requests -> requests
            .requestMatchers("/lockbox/login", "/lockbox/lockbox.css").permitAll()
            .anyRequest().authenticated())
        .formLogin(form -> form.loginPage("/lockbox/login").loginProcessingUrl("/lockbox/login")
            .defaultSuccessUrl("/lockbox", false).failureUrl("/lockbox/login?error"))
        .logout(logout -> logout.logoutUrl("/lockbox/logout").logoutSuccessUrl("/lockbox/login?signedOut"))
        // The page runs no script at all: anything injected into it stays inert.
        .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                + "base-uri 'none'")));
    return http.build();
  }
}
