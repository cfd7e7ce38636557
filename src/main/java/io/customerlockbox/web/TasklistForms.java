package io.customerlockbox.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.customerlockbox.policy.Environment;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.security.IdentityDirectory;
import io.customerlockbox.security.LockboxUser;
import io.customerlockbox.security.RoleMatrix;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.webapp.impl.security.auth.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Two things Tasklist's own REST calls (under /camunda/api/engine) answer better with our help:
 *
 * <ul>
 *   <li>The engineer's start form offers the tenants and environments to pick from. Tasklist
 *       7.24 loads no variables for a start form (only for task forms), so a select's
 *       {@code valuesKey} stays empty there: the choices are written into the form's selects as
 *       Tasklist fetches it, for a support engineer only (customers' people may read the process
 *       definition, and must not learn the provider's other customers).
 *   <li>A refused form (a denial without a reason, an environment not in the tenant) reads as the
 *       refusal alone, not "Cannot instantiate process definition &lt;uuid&gt;: ..." ({@link
 *       UserMistakes} makes it a 400).
 * </ul>
 */
@Component
class TasklistForms extends OncePerRequestFilter {

  static final String START_FORM_ID = "AccessRequestStartForm";

  private static final Pattern ENGINE_CALL =
      Pattern.compile("/camunda/api/engine/engine/([^/]+)/(?:process-definition|task)/.+");
  private static final Pattern START_FORM = Pattern.compile(".*/process-definition/.+/deployed-start-form");
  private static final Pattern SUBMIT = Pattern.compile(".*/(?:submit-form|complete)");
  private static final Pattern REFUSAL_PREFIX =
      Pattern.compile("^(?:Cannot instantiate process definition|Cannot submit task form|Cannot complete task) \\S+: ");

  private final PolicyService policies;
  private final IdentityDirectory directory;
  private final ObjectMapper mapper;

  TasklistForms(PolicyService policies, IdentityDirectory directory, ObjectMapper mapper) {
    this.policies = policies;
    this.directory = directory;
    this.mapper = mapper;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return !ENGINE_CALL.matcher(path).matches()
        || !(START_FORM.matcher(path).matches() || SUBMIT.matcher(path).matches());
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    ContentCachingResponseWrapper answer = new ContentCachingResponseWrapper(response);
    chain.doFilter(request, answer);
    byte[] body = answer.getContentAsByteArray();
    try {
      if (answer.getStatus() == 200 && START_FORM.matcher(path).matches()) {
        body = withChoices(body, engineUser(request, path));
      } else if (answer.getStatus() == 400 && SUBMIT.matcher(path).matches()) {
        body = plainRefusal(body);
      }
    } catch (IOException notOurs) {
      // Not JSON we know: passed on unchanged.
    }
    answer.resetBuffer();
    answer.getResponse().setContentLength(body.length);
    answer.getResponse().getOutputStream().write(body);
    answer.getResponse().flushBuffer();
  }

  /** The start form with the tenants and environments as its selects' values, for an engineer. */
  private byte[] withChoices(byte[] body, LockboxUser user) throws IOException {
    JsonNode form = mapper.readTree(body);
    if (user == null || !RoleMatrix.mayFileAccessRequests(user) || !form.isObject()
        || !START_FORM_ID.equals(form.path("id").asText()) || !form.path("components").isArray()) {
      return body;
    }
    Map<String, String> tenants = policies.tenantNames();
    for (JsonNode component : form.path("components")) {
      String key = component.path("key").asText();
      if (!"select".equals(component.path("type").asText())) {
        continue;
      }
      if ("tenantId".equals(key)) {
        ArrayNode values = ((ObjectNode) component).putArray("values");
        tenants.forEach((id, name) -> values.addObject().put("label", name + " (" + id + ")").put("value", id));
      } else if ("environmentId".equals(key)) {
        ArrayNode values = ((ObjectNode) component).putArray("values");
        for (Environment environment : policies.allEnvironments()) {
          values.addObject().put("label", environment.name() + " (" + environment.id() + "), "
              + tenants.getOrDefault(environment.tenantId(), environment.tenantId())).put("value", environment.id());
        }
      }
    }
    return mapper.writeValueAsBytes(form);
  }

  /** Camunda's answer names the definition or task before the refusal; the person needs the refusal. */
  private byte[] plainRefusal(byte[] body) throws IOException {
    JsonNode error = mapper.readTree(body);
    if (!error.isObject() || !error.path("message").isTextual()) {
      return body;
    }
    Matcher prefix = REFUSAL_PREFIX.matcher(error.path("message").asText());
    if (!prefix.find()) {
      return body;
    }
    ((ObjectNode) error).put("message", error.path("message").asText().substring(prefix.end()));
    return mapper.writeValueAsBytes(error);
  }

  /** The person signed in to the webapps for the engine this call names, or null. */
  private LockboxUser engineUser(HttpServletRequest request, String path) {
    HttpSession session = request.getSession(false);
    Matcher call = ENGINE_CALL.matcher(path);
    if (session == null || !call.matches()) {
      return null;
    }
    Authentications authentications = AuthenticationUtil.getAuthsFromSession(session);
    Authentication authentication = authentications == null ? null
        : authentications.getAuthenticationForProcessEngine(call.group(1));
    return authentication == null || authentication.getIdentityId() == null ? null
        : directory.load(authentication.getIdentityId());
  }
}
