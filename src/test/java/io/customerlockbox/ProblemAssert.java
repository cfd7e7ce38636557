package io.customerlockbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.customerlockbox.ApiClient.Response;
import org.springframework.http.MediaType;

/** What every refusal of the API must look like: an RFC 9457 problem detail that gives nothing internal away. */
public final class ProblemAssert {

  private ProblemAssert() {}

  /** A refusal without a field at fault (401, 403, 404, 409, a body that is not JSON...). */
  public static void assertProblem(Response response, int status) {
    assertProblem(response, status, null);
  }

  /**
   * {@code status} as a problem detail; {@code field} names the input at fault (and the detail
   * says it), or is null when no field is (then the answer names none).
   */
  public static void assertProblem(Response response, int status, String field) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.contentType()).as(response.toString()).isNotNull();
    assertThat(response.contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .as(response.toString()).isTrue();
    JsonNode problem = response.json();
    assertThat(problem.path("status").asInt()).as(response.toString()).isEqualTo(status);
    assertThat(problem.path("title").asText()).as(response.toString()).isNotBlank();
    assertThat(problem.path("detail").asText()).as(response.toString()).isNotBlank();
    if (field == null) {
      assertThat(problem.has("field")).as(response.toString()).isFalse();
    } else {
      assertThat(problem.path("field").asText()).as(response.toString()).isEqualTo(field);
      assertThat(problem.path("detail").asText()).as(response.toString()).contains(field);
    }
    // Nothing internal leaks into a refusal.
    assertThat(response.body()).as(response.toString()).doesNotContain("Exception").doesNotContain("    at ")
        .doesNotContainIgnoringCase("sql");
  }
}
