package io.customerlockbox.security;

import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

/** HTTP Basic credentials checked against Camunda's identity service (salted password hashes). */
@Component
class IdentityServiceAuthenticationProvider implements AuthenticationProvider {

  private final IdentityDirectory directory;

  IdentityServiceAuthenticationProvider(IdentityDirectory directory) {
    this.directory = directory;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String userId = authentication.getName();
    Object credentials = authentication.getCredentials();
    if (userId == null || credentials == null || !directory.checkPassword(userId, credentials.toString())) {
      throw new BadCredentialsException("Bad credentials");
    }
    LockboxUser user = directory.load(userId);
    List<SimpleGrantedAuthority> authorities = user.groups().stream()
        .map(group -> new SimpleGrantedAuthority("GROUP_" + group)).toList();
    return UsernamePasswordAuthenticationToken.authenticated(user, null, authorities);
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
