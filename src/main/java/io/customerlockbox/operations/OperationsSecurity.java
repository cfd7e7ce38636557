package io.customerlockbox.operations;

import io.customerlockbox.security.Groups;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The actuator's own chain, ahead of the API's: load balancers and orchestrators probe health
 * without credentials (and see no details), operators read details and metrics with HTTP Basic.
 */
@Configuration
class OperationsSecurity {

  static final String OPERATORS = "GROUP_" + Groups.OPERATORS;
  static final String ADMINS = "GROUP_" + Groups.CAMUNDA_ADMIN;

  @Bean
  @Order(0)
  SecurityFilterChain actuatorChain(HttpSecurity http) throws Exception {
    http.securityMatcher(EndpointRequest.toAnyEndpoint())
        .authorizeHttpRequests(requests -> requests
            .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
            .anyRequest().hasAnyAuthority(OPERATORS, ADMINS))
        .httpBasic(basic -> {})
        .csrf(csrf -> csrf.disable())
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
    return http.build();
  }
}
