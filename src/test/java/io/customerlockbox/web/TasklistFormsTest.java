package io.customerlockbox.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.customerlockbox.ApiClient;
import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.process.ProcessModel;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.AccessRequestView;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

/**
 * Tasklist's own REST calls, as Tasklist makes them (session, CSRF token): the engineer's start
 * form offers the tenants and environments, and a refused form answers 400 with the refusal alone.
 */
class TasklistFormsTest extends ApplicationTest {

  private static final String ENGINE = "/camunda/api/engine/engine/default";

  @Autowired RepositoryService repositoryService;
  @Autowired AccessRequestService requests;

  @Test
  void theStartFormOffersEngineersEveryTenantAndEnvironmentAndCustomersNone() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    JsonNode form = startForm(tasklist("engineer", "demo"));
    assertThat(form.path("id").asText()).isEqualTo(TasklistForms.START_FORM_ID);
    assertThat(values(form, "tenantId")).contains("contoso", "fabrikam", tenant.id());
    assertThat(values(form, "environmentId")).contains("contoso-prod", "contoso-sandbox", tenant.prod());
    assertThat(labels(form, "environmentId")).contains("Production (" + tenant.prod() + "), Tenant " + tenant.id());

    // Approvers may read the process definition (their task's form), never the provider's customers.
    JsonNode asApprover = startForm(tasklist("contoso-approver", "demo"));
    assertThat(values(asApprover, "tenantId")).isEmpty();
    assertThat(values(asApprover, "environmentId")).isEmpty();
  }

  @Test
  void aStartFormNamingAnotherTenantsEnvironmentIsRefusedPlainly() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    ApiClient engineer = tasklist("engineer", "demo");
    String definition = definitionId();
    ApiClient.Response refused = engineer.webapp(HttpMethod.POST, ENGINE + "/process-definition/" + definition
        + "/submit-form", """
        {"variables": {"tenantId": {"value": "%s"}, "environmentId": {"value": "contoso-prodd"},
          "supportTicketId": {"value": "SR-TYPO"}, "accessLevel": {"value": "READ"},
          "justification": {"value": "Investigate the failing nightly export job"},
          "isolatedIdentity": {"value": true}, "mfaVerified": {"value": true}}}""".formatted(tenant.id()), true);
    assertThat(refused.status()).isEqualTo(400);
    String message = refused.json().path("message").asText();
    assertThat(message).startsWith("environmentId: ").contains("contoso-prodd")
        .doesNotContain(definition).doesNotContain("Cannot instantiate").doesNotContain("ENGINE-");
  }

  @Test
  void aDenialWithoutAReasonIsRefusedAs400AndTheTaskStaysOpen() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("engineer"));
    drive(request.id());
    String task = taskService.createTaskQuery().processInstanceId(request.processInstanceId()).singleResult().getId();

    ApiClient approver = tasklist(tenant.approver(), Fixtures.PASSWORD);
    ApiClient.Response refused = approver.webapp(HttpMethod.POST, ENGINE + "/task/" + task + "/submit-form",
        "{\"variables\": {\"" + ProcessModel.LOCKBOX_DECISION + "\": {\"value\": \"DENY\"}}}", true);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().path("message").asText()).isEqualTo("lockboxComment: say why you deny the request");
    assertThat(taskService.createTaskQuery().taskId(task).count()).isEqualTo(1);
    assertThat(requests.get(request.id(), fixtures.as("lead")).status())
        .isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);

    ApiClient.Response denied = approver.webapp(HttpMethod.POST, ENGINE + "/task/" + task + "/submit-form",
        "{\"variables\": {\"" + ProcessModel.LOCKBOX_DECISION + "\": {\"value\": \"DENY\"}, \""
            + ProcessModel.LOCKBOX_COMMENT + "\": {\"value\": \"Not during quarter close\"}}}", true);
    assertThat(denied.status()).isEqualTo(204);
    assertThat(requests.get(request.id(), fixtures.as("lead")).status()).isEqualTo(AccessRequestStatus.DENIED);
  }

  private ApiClient tasklist(String user, String password) {
    ApiClient session = api.session();
    assertThat(session.loginToTasklist(user, password).status()).isEqualTo(200);
    return session;
  }

  private JsonNode startForm(ApiClient session) {
    ApiClient.Response form = session.webapp(HttpMethod.GET,
        ENGINE + "/process-definition/" + definitionId() + "/deployed-start-form", null, false);
    assertThat(form.status()).isEqualTo(200);
    return form.json();
  }

  private String definitionId() {
    return repositoryService.createProcessDefinitionQuery().processDefinitionKey(ProcessModel.PROCESS_KEY)
        .latestVersion().singleResult().getId();
  }

  private static List<String> values(JsonNode form, String key) {
    return field(form, key, "value");
  }

  private static List<String> labels(JsonNode form, String key) {
    return field(form, key, "label");
  }

  private static List<String> field(JsonNode form, String key, String part) {
    List<String> found = new ArrayList<>();
    for (JsonNode component : form.path("components")) {
      if (key.equals(component.path("key").asText())) {
        component.path("values").forEach(value -> found.add(value.path(part).asText()));
      }
    }
    return found;
  }
}
