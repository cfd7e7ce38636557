package io.customerlockbox.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;

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
        .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.jwtAuthenticationConverter(new ToLockboxUser(claims))))
        .addFilterAfter(new EngineAuthenticationFilter(identityService), BearerTokenAuthenticationFilter.class);
    return http.build();
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
      LockboxUser user = new LockboxUser(userId, strings(jwt, claims.groupsClaim()), strings(jwt, claims.tenantsClaim()));
      List<SimpleGrantedAuthority> authorities = user.groups().stream()
          .map(group -> new SimpleGrantedAuthority("GROUP_" + group)).toList();
      return new JwtUser(user, jwt, authorities);
    }

    private static Set<String> strings(Jwt jwt, String claim) {
      Object value = jwt.getClaims().get(claim);
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
