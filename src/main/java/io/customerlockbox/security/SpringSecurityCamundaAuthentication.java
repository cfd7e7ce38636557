package io.customerlockbox.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.rest.security.auth.AuthenticationProvider;
import org.camunda.bpm.engine.rest.security.auth.AuthenticationResult;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Camunda's container-based authentication for the webapps in the oidc profile: the person Spring
 * Security logged in through the OpenID Connect provider, with the groups and tenants
 * {@link OidcConfig} mapped from their claims. Camunda instantiates it by class name.
 */
public class SpringSecurityCamundaAuthentication implements AuthenticationProvider {

  static final String GROUP = "GROUP_";
  static final String TENANT = "TENANT_";

  @Override
  public AuthenticationResult extractAuthenticatedUser(HttpServletRequest request, ProcessEngine engine) {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication == null || !authentication.isAuthenticated()
        || authentication instanceof AnonymousAuthenticationToken) {
      return AuthenticationResult.unsuccessful();
    }
    provision(engine.getIdentityService(), authentication.getName());
    AuthenticationResult result = AuthenticationResult.successful(authentication.getName());
    result.setGroups(withPrefix(authentication, GROUP));
    result.setTenants(withPrefix(authentication, TENANT));
    return result;
  }

  @Override
  public void augmentResponseByAuthenticationChallenge(HttpServletResponse response, ProcessEngine engine) {
    // Spring Security sends unauthenticated users to the provider before they get here.
  }

  /**
   * The webapps only accept people their identity service knows: an SSO user gets a Camunda user
   * (without a password, so only the provider logs them in) on their first login. Their groups
   * and tenants stay the provider's, read from the token at every login.
   */
  private static void provision(IdentityService identity, String userId) {
    if (identity.createUserQuery().userId(userId).count() == 0) {
      User user = identity.newUser(userId);
      user.setFirstName(userId);
      identity.saveUser(user);
    }
  }

  private static List<String> withPrefix(Authentication authentication, String prefix) {
    return authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
        .filter(authority -> authority.startsWith(prefix)).map(authority -> authority.substring(prefix.length()))
        .toList();
  }
}
