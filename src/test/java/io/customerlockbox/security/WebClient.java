package io.customerlockbox.security;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Real HTTP calls as one person: HTTP Basic for the APIs, or a webapp session with its CSRF token. */
final class WebClient {

  private final String base;
  private final CookieManager cookies = new CookieManager();
  private final HttpClient http;
  private String csrfToken;

  WebClient(int port) {
    this.base = "http://localhost:" + port;
    this.http = HttpClient.newBuilder().cookieHandler(cookies).build();
  }

  HttpResponse<String> basic(String method, String path, String user, String password, String json) {
    HttpRequest.Builder request = request(method, path, json);
    if (user != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return send(request);
  }

  /** Logs into Tasklist the way its login page does: form post with the CSRF token from the cookie. */
  HttpResponse<String> loginToTasklist(String user, String password) {
    send(request("GET", "/camunda/app/tasklist/", null));
    String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
        + URLEncoder.encode(password, StandardCharsets.UTF_8);
    HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(base
            + "/camunda/api/admin/auth/user/default/login/tasklist"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-XSRF-TOKEN", csrfToken == null ? "" : csrfToken)
        .POST(HttpRequest.BodyPublishers.ofString(form)));
    // The session (and so the token) is renewed at login; a read hands out the new token.
    send(request("GET", "/camunda/api/admin/auth/user/default", null));
    return login;
  }

  /** A call of Tasklist's own engine REST API, with the session and its CSRF token. */
  HttpResponse<String> webapp(String method, String path, String json, boolean withCsrfToken) {
    HttpRequest.Builder request = request(method, path, json);
    if (withCsrfToken && csrfToken != null) {
      request.header("X-XSRF-TOKEN", csrfToken);
    }
    return send(request);
  }

  /** As a browser asks for a page. */
  HttpResponse<String> page(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/html,*/*;q=0.8").GET());
  }

  HttpResponse<String> get(String path) {
    return send(request("GET", path, null));
  }

  private HttpRequest.Builder request(String method, String path, String json) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
        .header("Accept", "application/json");
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    return request;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      response.headers().firstValue("X-XSRF-TOKEN").ifPresent(token -> csrfToken = token);
      for (HttpCookie cookie : cookies.getCookieStore().getCookies()) {
        if (cookie.getName().equals("XSRF-TOKEN")) {
          csrfToken = cookie.getValue();
        }
      }
      return response;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
