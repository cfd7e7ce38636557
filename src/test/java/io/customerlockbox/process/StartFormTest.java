package io.customerlockbox.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.JobDriver;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.security.LockboxUser;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.FormService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Filing a request with Tasklist's start form, as Tasklist does it (the engine's form service,
 * as the signed-in engineer): the request row is stored like an API request and the flow goes on.
 */
class StartFormTest extends ApplicationTest {

  @Autowired FormService formService;
  @Autowired RepositoryService repositoryService;
  @Autowired IdentityService identityService;
  @Autowired AccessRequestService requests;

  @Test
  void anEngineerFilesARequestWithTheStartFormAndItWaitsForTheCustomer() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    String definition = definitionId();
    assertThat(formService.getStartFormKey(definition)).isNull();
    assertThat(repositoryService.getProcessDefinition(definition).isStartableInTasklist()).isTrue();

    ProcessInstance instance = as("engineer", () -> formService.submitStartForm(definition, Map.of(
        "tenantId", tenant.id(), "environmentId", tenant.prod(), "supportTicketId", "SR-42",
        "accessLevel", "READ", "justification", "Investigate the failing nightly export job",
        "isolatedIdentity", true, "mfaVerified", true)));

    String requestId = instance.getBusinessKey();
    assertThat(requestId).isNotNull();
    AccessRequestView filed = requests.get(requestId, fixtures.as("lead"));
    assertThat(filed.requestedBy()).isEqualTo("engineer");
    assertThat(filed.processInstanceId()).isEqualTo(instance.getId());
    assertThat(filed.status()).isEqualTo(AccessRequestStatus.SUBMITTED);
    assertThat(filed.supportTicketId()).isEqualTo("SR-42");

    drive(requestId);
    AccessRequestView waiting = requests.get(requestId, fixtures.as("lead"));
    assertThat(waiting.status()).isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);
    assertThat(runtimeService.getVariable(instance.getId(), "supportTicket")).isEqualTo("SR-42");
  }

  @Test
  void badInputIsRefusedWithTheReasonAndStoresNothing() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    TestTenant other = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    String definition = definitionId();
    int before = count();

    assertThatThrownBy(() -> as("engineer", () -> formService.submitStartForm(definition, Map.of(
        "tenantId", tenant.id(), "environmentId", tenant.prod(), "accessLevel", "READ",
        "justification", "too short", "isolatedIdentity", true, "mfaVerified", true))))
        .isInstanceOf(FormFieldValidationException.class).hasMessageContaining("justification")
        .hasCauseInstanceOf(BadUserRequestException.class);
    assertThatThrownBy(() -> as("engineer", () -> formService.submitStartForm(definition, Map.of(
        "tenantId", tenant.id(), "environmentId", other.prod(), "accessLevel", "READ",
        "justification", "Investigate the failing nightly export job", "isolatedIdentity", true,
        "mfaVerified", true))))
        .isInstanceOf(FormFieldValidationException.class).hasMessageContaining("environmentId")
        .hasCauseInstanceOf(BadUserRequestException.class);

    assertThat(count()).isEqualTo(before);
  }

  @Test
  void onlySupportEngineersMayStartIt() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    String definition = definitionId();
    assertThatThrownBy(() -> as(tenant.approver(), () -> formService.submitStartForm(definition, Map.of(
        "tenantId", tenant.id(), "environmentId", tenant.prod(), "accessLevel", "READ",
        "justification", "Investigate the failing nightly export job", "isolatedIdentity", true,
        "mfaVerified", true))))
        .isInstanceOf(AuthorizationException.class);
  }

  private String definitionId() {
    return repositoryService.createProcessDefinitionQuery().processDefinitionKey(ProcessModel.PROCESS_KEY)
        .latestVersion().singleResult().getId();
  }

  private int count() {
    return db.sql("select count(*) from access_request").query(Integer.class).single();
  }

  private <T> T as(String userId, Supplier<T> work) {
    LockboxUser user = fixtures.as(userId);
    identityService.setAuthentication(user.id(), List.copyOf(user.groups()), List.copyOf(user.tenantIds()));
    try {
      return work.get();
    } finally {
      identityService.clearAuthentication();
    }
  }
}
