package io.customerlockbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * The tests' one HTTP client: real calls against a running application, as one person. HTTP Basic
 * for the APIs ({@link #as}), or a browser-like session with cookies and the webapps' CSRF token
 * ({@link #session}, {@link #loginToTasklist}). Never throws on 4xx/5xx: tests assert status,
 * headers and body themselves.
 */
public final class ApiClient {

  private final String base;
  private final HttpClient http;
  private final ObjectMapper mapper;
  private final String authorization;
  /** The webapps' CSRF token, when this client keeps a session; shared by its copies. */
  private final String[] csrfToken;
  private final CookieManager cookies;

  public ApiClient(int port, ObjectMapper mapper) {
    this("http://127.0.0.1:" + port, mapper, null, HttpClient.Redirect.NEVER);
  }

  private ApiClient(String base, ObjectMapper mapper, CookieManager cookies, HttpClient.Redirect redirects) {
    this(base, client(cookies, redirects), mapper, null, cookies == null ? null : new String[1], cookies);
  }

  private ApiClient(String base, HttpClient http, ObjectMapper mapper, String authorization, String[] csrfToken,
      CookieManager cookies) {
    this.base = base;
    this.http = http;
    this.mapper = mapper;
    this.authorization = authorization;
    this.csrfToken = csrfToken;
    this.cookies = cookies;
  }

  private static HttpClient client(CookieManager cookies, HttpClient.Redirect redirects) {
    HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).followRedirects(redirects);
    if (cookies != null) {
      builder.cookieHandler(cookies);
    }
    return builder.build();
  }

  /** The same client, calling as {@code user} with HTTP Basic. */
  public ApiClient as(String user, String password) {
    String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return new ApiClient(base, http, mapper, "Basic " + token, csrfToken, cookies);
  }

  /** The same client, with an OAuth 2 bearer token (the oidc profile). */
  public ApiClient bearer(String token) {
    return new ApiClient(base, http, mapper, "Bearer " + token, csrfToken, cookies);
  }

  /** The same client, without credentials. */
  public ApiClient anonymous() {
    return new ApiClient(base, http, mapper, null, csrfToken, cookies);
  }

  /** A new client with a cookie jar of its own, as one browser: no credentials until it logs in. */
  public ApiClient session() {
    return new ApiClient(base, mapper, new CookieManager(), HttpClient.Redirect.NEVER);
  }

  /** As {@link #session}, following redirects as a browser does (single sign-on's round trip). */
  public ApiClient browser() {
    return new ApiClient(base, mapper, new CookieManager(), HttpClient.Redirect.NORMAL);
  }

  public Response get(String path) {
    return send(HttpMethod.GET, path, null, null);
  }

  /** As a browser asks for a page: {@code Accept: text/html}. */
  public Response page(String path) {
    return exchange(request(path).header("Accept", "text/html,*/*;q=0.8").GET());
  }

  /** POSTs {@code body} as JSON: a String is sent as is, anything else is serialized; null sends none. */
  public Response post(String path, Object body) {
    return send(HttpMethod.POST, path, MediaType.APPLICATION_JSON, body);
  }

  public Response put(String path, Object body) {
    return send(HttpMethod.PUT, path, MediaType.APPLICATION_JSON, body);
  }

  public Response delete(String path) {
    return send(HttpMethod.DELETE, path, null, null);
  }

  /** Sends {@code body} (String as is, else JSON) with {@code contentType}; null body sends none. */
  public Response send(HttpMethod method, String path, MediaType contentType, Object body) {
    return send(method, path, contentType, body, Map.of());
  }

  /** As {@link #send(HttpMethod, String, MediaType, Object)}, with extra request headers. */
  public Response send(HttpMethod method, String path, MediaType contentType, Object body,
      Map<String, String> headers) {
    HttpRequest.Builder request = request(path).method(method.name(), body == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body instanceof String text ? text : json(body), StandardCharsets.UTF_8));
    if (contentType != null) {
      request.header("Content-Type", contentType.toString());
    }
    headers.forEach(request::header);
    return exchange(request);
  }

  /**
   * GETs {@code path} and hands the status and the body, unread, to {@code reader}: for answers too
   * big to hold as one string (exports of a million events).
   */
  public <T> T stream(String path, BodyReader<T> reader) {
    try {
      HttpResponse<InputStream> response = http.send(request(path).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        return reader.read(response.statusCode(), body);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("GET " + path + " interrupted", e);
    }
  }

  @FunctionalInterface
  public interface BodyReader<T> {
    T read(int status, InputStream body) throws IOException;
  }

  // --- the Camunda webapps, as a browser uses them

  /**
   * Logs this session into Tasklist the way its login page does: a form post carrying the CSRF
   * token from the cookie. Answers the login's response; the session then holds the new token.
   */
  public Response loginToTasklist(String user, String password) {
    return loginToWebapp("tasklist", user, password);
  }

  /** As {@link #loginToTasklist}, into webapp {@code app} (tasklist, cockpit, admin). */
  public Response loginToWebapp(String app, String user, String password) {
    requireSession();
    get("/camunda/app/" + app + "/");
    String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
        + URLEncoder.encode(password, StandardCharsets.UTF_8);
    Response login = exchange(request("/camunda/api/admin/auth/user/default/login/" + app)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-XSRF-TOKEN", csrfToken[0] == null ? "" : csrfToken[0])
        .POST(HttpRequest.BodyPublishers.ofString(form)));
    // The session (and so the token) is renewed at login; a read hands out the new token.
    get("/camunda/api/admin/auth/user/default");
    return login;
  }

  /** A call of the webapps' own REST API with this session, and its CSRF token when asked. */
  public Response webapp(HttpMethod method, String path, String json, boolean withCsrfToken) {
    requireSession();
    return send(method, path, MediaType.APPLICATION_JSON, json, withCsrfToken && csrfToken[0] != null
        ? Map.of("X-XSRF-TOKEN", csrfToken[0]) : Map.of());
  }

  // --- the customer's /lockbox page, as a browser uses it

  /** Signs this session in with the /lockbox page's own form; answers the form post's response. */
  public Response signInToLockboxPage(String user, String password) {
    requireSession();
    return pagePost("/lockbox/login", Map.of("username", user, "password", password));
  }

  /**
   * POSTs a form of the /lockbox page as the page does: form-encoded, with the session's CSRF
   * token (read from the sign-in page, which every session may load).
   */
  public Response pagePost(String path, Map<String, String> form) {
    requireSession();
    Matcher token = CSRF_FIELD.matcher(get("/lockbox/login").body());
    StringBuilder body = new StringBuilder(token.find() ? "_csrf=" + URLEncoder.encode(token.group(1),
        StandardCharsets.UTF_8) : "");
    form.forEach((name, value) -> body.append(body.isEmpty() ? "" : "&").append(URLEncoder.encode(name,
        StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return exchange(request(path).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  private static final Pattern CSRF_FIELD =
      Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

  private void requireSession() {
    if (cookies == null) {
      throw new IllegalStateException("a webapp call needs a session(): HTTP Basic keeps none");
    }
  }

  // --- plumbing

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofMinutes(5));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request;
  }

  /** {@code path} (and query) as given, with what a URI may not hold percent-encoded, as a browser sends it. */
  private URI uri(String path) {
    int query = path.indexOf('?');
    try {
      URI base = URI.create(this.base);
      return URI.create(new URI(base.getScheme(), base.getRawAuthority(), query < 0 ? path : path.substring(0, query),
          query < 0 ? null : path.substring(query + 1), null).toASCIIString());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(path, e);
    }
  }

  private Response exchange(HttpRequest.Builder request) {
    HttpRequest built = request.build();
    try {
      HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      HttpHeaders headers = new HttpHeaders();
      response.headers().map().forEach(headers::addAll);
      rememberCsrfToken(headers);
      return new Response(response.statusCode(), headers, response.body(), mapper, response.uri());
    } catch (IOException e) {
      throw new UncheckedIOException(built.method() + " " + built.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(built.method() + " " + built.uri() + " interrupted", e);
    }
  }

  private void rememberCsrfToken(HttpHeaders headers) {
    if (cookies == null) {
      return;
    }
    String fromHeader = headers.getFirst("X-XSRF-TOKEN");
    if (fromHeader != null) {
      csrfToken[0] = fromHeader;
    }
    for (HttpCookie cookie : cookies.getCookieStore().getCookies()) {
      if (cookie.getName().equals("XSRF-TOKEN")) {
        csrfToken[0] = cookie.getValue();
      }
    }
  }

  private String json(Object body) {
    try {
      return mapper.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * What came back: status, headers and the body as text and, when it is JSON, as a tree; {@code uri}
   * is where it came from (after redirects, for a {@link #browser}).
   */
  public record Response(int status, HttpHeaders headers, String body, ObjectMapper mapper, URI uri) {

    public JsonNode json() {
      try {
        return mapper.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("Not JSON (status " + status + "): " + body, e);
      }
    }

    public MediaType contentType() {
      return headers.getContentType();
    }

    @Override
    public String toString() {
      return status + " " + headers.getContentType() + " " + body;
    }
  }
}
