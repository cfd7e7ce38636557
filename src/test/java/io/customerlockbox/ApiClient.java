package io.customerlockbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.StreamUtils;
import org.springframework.web.client.RestClient;

/**
 * Real HTTP calls against the running application (random port), with HTTP Basic credentials.
 * Never throws on 4xx/5xx: tests assert status, headers and body themselves.
 */
public final class ApiClient {

  private final RestClient client;
  private final ObjectMapper mapper;
  private final String authorization;

  public ApiClient(int port, ObjectMapper mapper) {
    this(RestClient.builder().baseUrl("http://localhost:" + port)
        .requestFactory(new JdkClientHttpRequestFactory()).build(), mapper, null);
  }

  private ApiClient(RestClient client, ObjectMapper mapper, String authorization) {
    this.client = client;
    this.mapper = mapper;
    this.authorization = authorization;
  }

  /** The same client, calling as {@code user}. */
  public ApiClient as(String user, String password) {
    String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return new ApiClient(client, mapper, "Basic " + token);
  }

  /** The same client, without credentials. */
  public ApiClient anonymous() {
    return new ApiClient(client, mapper, null);
  }

  public Response get(String path) {
    return send(HttpMethod.GET, path, null, null);
  }

  /**
   * GETs {@code path} and hands the status and the body, unread, to {@code reader}: for answers too
   * big to hold as one string (exports of a million events).
   */
  public <T> T stream(String path, BodyReader<T> reader) {
    RestClient.RequestHeadersSpec<?> spec = client.get().uri(path);
    if (authorization != null) {
      spec.header(HttpHeaders.AUTHORIZATION, authorization);
    }
    return spec.exchange((request, response) -> reader.read(response.getStatusCode().value(), response.getBody()));
  }

  @FunctionalInterface
  public interface BodyReader<T> {
    T read(int status, InputStream body) throws IOException;
  }

  /** POSTs {@code body} as JSON: a String is sent as is, anything else is serialized. */
  public Response post(String path, Object body) {
    return send(HttpMethod.POST, path, MediaType.APPLICATION_JSON, body);
  }

  public Response put(String path, Object body) {
    return send(HttpMethod.PUT, path, MediaType.APPLICATION_JSON, body);
  }

  /** Sends {@code body} (String as is, else JSON) with {@code contentType}; null body sends none. */
  public Response send(HttpMethod method, String path, MediaType contentType, Object body) {
    RestClient.RequestBodySpec spec = client.method(method).uri(path);
    if (authorization != null) {
      spec.header(HttpHeaders.AUTHORIZATION, authorization);
    }
    if (contentType != null) {
      spec.contentType(contentType);
    }
    if (body != null) {
      spec.body(body instanceof String text ? text : json(body));
    }
    return spec.exchange((request, response) -> {
      String text = StreamUtils.copyToString(response.getBody(), StandardCharsets.UTF_8);
      return new Response(response.getStatusCode().value(), response.getHeaders(), text, mapper);
    });
  }

  private String json(Object body) {
    try {
      return mapper.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** What came back: status, headers and the body as text and, when it is JSON, as a tree. */
  public record Response(int status, HttpHeaders headers, String body, ObjectMapper mapper) {

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
