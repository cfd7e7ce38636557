package io.customerlockbox.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The user of the HTTP request being served. */
public final class CurrentUser {

  private CurrentUser() {}

  public static LockboxUser get() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication == null || !(authentication.getPrincipal() instanceof LockboxUser user)) {
      throw new IllegalStateException("No authenticated lockbox user on this request");
    }
    return user;
  }
}
