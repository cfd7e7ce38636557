package io.customerlockbox.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.webapp.impl.security.auth.ContainerBasedAuthenticationFilter;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

/**
 * The {@code oidc} profile: the API and the engine REST API take bearer tokens (JWTs) of an
 * OpenID Connect provider instead of HTTP Basic. The token's user, group and tenant claims
 * become the same {@link LockboxUser} a Camunda login yields, so {@link RoleMatrix} and the
 * engine's authorizations and tenant checks apply unchanged.
 */
@Configuration
@Profile("oidc")
class OidcConfig {

  /** Claim names of the provider's tokens (Keycloak, Entra ID, Okta name them differently). */
  @ConfigurationProperties("lockbox.oidc")
  record OidcClaims(String userClaim, String groupsClaim, String tenantsClaim) {}

  @Bean
  @Order(1)
  SecurityFilterChain oidcApiChain(HttpSecurity http, IdentityService identityService, OidcClaims claims)
      throws Exception {
    SecurityConfig.apiBasics(http)
        .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.jwtAuthenticationConverter(
            new ToLockboxUser(claims))))
        .addFilterAfter(new EngineAuthenticationFilter(identityService), BearerTokenAuthenticationFilter.class);
    return http.build();
  }

  /**
   * The webapps: Spring Security logs the user in at the provider (authorization code flow), and
   * Camunda's container-based authentication takes them from there, with the groups and tenants
   * of their ID token. Camunda's CSRF filter keeps guarding the webapps' own API.
   */
  @Bean
  @Order(2)
  SecurityFilterChain oidcWebappChain(HttpSecurity http, OidcClaims claims) throws Exception {
    PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
    http.securityMatcher(new OrRequestMatcher(paths.matcher("/camunda/**"), paths.matcher("/oauth2/**"),
            paths.matcher("/login/**")))
        .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
        .oauth2Login(login -> login.defaultSuccessUrl("/camunda/app/tasklist/", false)
            .userInfoEndpoint(info -> info.userAuthoritiesMapper(authorities -> withRoles(authorities, claims))))
        .csrf(csrf -> csrf.disable());
    SecurityConfig.pageHeaders(http);
    return http.build();
  }

  /** The ID token's groups and tenants as authorities {@link SpringSecurityCamundaAuthentication} reads. */
  private static Collection<GrantedAuthority> withRoles(Collection<? extends GrantedAuthority> authorities,
      OidcClaims claims) {
    Set<GrantedAuthority> mapped = new LinkedHashSet<>(authorities);
    for (GrantedAuthority authority : authorities) {
      if (authority instanceof OidcUserAuthority oidc) {
        Map<String, Object> token = oidc.getIdToken().getClaims();
        ToLockboxUser.strings(token, claims.groupsClaim()).forEach(group ->
            mapped.add(new SimpleGrantedAuthority(SpringSecurityCamundaAuthentication.GROUP + group)));
        ToLockboxUser.strings(token, claims.tenantsClaim()).forEach(tenant ->
            mapped.add(new SimpleGrantedAuthority(SpringSecurityCamundaAuthentication.TENANT + tenant)));
      }
    }
    return mapped;
  }

  @Bean
  FilterRegistrationBean<ContainerBasedAuthenticationFilter> camundaContainerAuthentication() {
    FilterRegistrationBean<ContainerBasedAuthenticationFilter> registration =
        new FilterRegistrationBean<>(new ContainerBasedAuthenticationFilter());
    registration.setInitParameters(
        Map.of("authentication-provider", SpringSecurityCamundaAuthentication.class.getName()));
    registration.addUrlPatterns("/camunda/app/*", "/camunda/api/*");
    // After Spring Security's filter chain (order -100), which has the user by then.
    registration.setOrder(101);
    return registration;
  }

  /** A validated JWT as the person it names, with the groups and customer tenants it claims. */
  static final class ToLockboxUser implements Converter<Jwt, AbstractAuthenticationToken> {

    private final OidcClaims claims;

    ToLockboxUser(OidcClaims claims) {
      this.claims = claims;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
      String userId = jwt.getClaimAsString(claims.userClaim());
      if (userId == null || userId.isBlank()) {
        userId = jwt.getSubject();
      }
      LockboxUser user = new LockboxUser(userId, strings(jwt.getClaims(), claims.groupsClaim()),
          strings(jwt.getClaims(), claims.tenantsClaim()));
      List<SimpleGrantedAuthority> authorities = user.groups().stream()
          .map(group -> new SimpleGrantedAuthority("GROUP_" + group)).toList();
      return new JwtUser(user, jwt, authorities);
    }

    static Set<String> strings(Map<String, Object> token, String claim) {
      Object value = token.get(claim);
      Set<String> values = new LinkedHashSet<>();
      if (value instanceof Collection<?> many) {
        many.forEach(item -> values.add(String.valueOf(item)));
      } else if (value instanceof String one && !one.isBlank()) {
        values.add(one);
      }
      // Keycloak-style group paths ("/lockbox-approvers") name the same group.
      return Set.copyOf(values.stream().map(v -> v.startsWith("/") ? v.substring(1) : v).toList());
    }
  }

  static final class JwtUser extends AbstractAuthenticationToken {

    private final LockboxUser user;
    private final Jwt jwt;

    JwtUser(LockboxUser user, Jwt jwt, Collection<SimpleGrantedAuthority> authorities) {
      super(authorities);
      this.user = user;
      this.jwt = jwt;
      setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
      return jwt;
    }

    @Override
    public Object getPrincipal() {
      return user;
    }

    @Override
    public String getName() {
      return user.id();
    }
  }
}
