package io.customerlockbox.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.regex.Pattern;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The webapps' copy of the engine REST API runs a job by hand for Camunda administrators only, as
 * {@code /engine-rest} does ({@link SecurityConfig#ENGINE_JOB_RUNNERS}): the engine charges a failed
 * retry to a job even when it refuses the caller, so a refusal must come before the engine.
 */
class WebappJobRunners extends OncePerRequestFilter {

  private static final Pattern EXECUTE_JOB = Pattern.compile("/camunda/api/engine/engine/([^/]+)/job/[^/]+/execute");

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"POST".equals(request.getMethod())
        || !EXECUTE_JOB.matcher(request.getRequestURI().substring(request.getContextPath().length())).matches();
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    var engine = EXECUTE_JOB.matcher(request.getRequestURI().substring(request.getContextPath().length()));
    HttpSession session = request.getSession(false);
    Authentications signedIn = session == null || !engine.matches() ? null : AuthenticationUtil.getAuthsFromSession(session);
    if (signedIn != null && signedIn.getAuthenticationForProcessEngine(engine.group(1)) instanceof UserAuthentication user
        && user.getGroupIds() != null && user.getGroupIds().contains(Groups.CAMUNDA_ADMIN)) {
      chain.doFilter(request, response);
      return;
    }
    response.setStatus(HttpServletResponse.SC_FORBIDDEN);
    response.setContentType("application/json");
    response.getWriter().write("{\"type\": \"AuthorizationException\", "
        + "\"message\": \"Only Camunda administrators run a job by hand; operators retry failed jobs.\"}");
  }
}
