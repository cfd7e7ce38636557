package io.customerlockbox.audit;

import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Where the person behind the current HTTP request acted from. Job executor threads (system steps)
 * have no request and answer null. Behind a proxy, set {@code server.forward-headers-strategy} so
 * the servlet container reports the client's address, not the proxy's.
 */
public final class ClientAddress {

  private ClientAddress() {}

  public static String ofCurrentRequest() {
    return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
        ? attributes.getRequest().getRemoteAddr()
        : null;
  }
}
