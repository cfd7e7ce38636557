package io.customerlockbox.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.Times;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.request.LockboxRequestService;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What approvers see of their tasks in Tasklist, and operators of the instances in Cockpit: each
 * task tells its request apart (ticket, environment, requester) and is due when it must be decided;
 * each instance is found by its request id (business key) or by its ticket and environment.
 */
class TasklistTasksTest extends ApplicationTest {

  @Autowired AccessRequestService requests;
  @Autowired LockboxRequestService lockboxRequests;

  @Test
  void theCustomersTaskNamesTicketEnvironmentAndRequesterAndIsDueWhenTheRequestExpires() throws IOException {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("engineer"));
    drive(request.id());

    Task task = taskService.createTaskQuery().processInstanceId(request.processInstanceId())
        .taskDefinitionKey(ProcessModel.CUSTOMER_APPROVAL_TASK).singleResult();
    assertThat(task.getName()).contains(request.supportTicketId()).contains("Production (" + tenant.prod() + ")")
        .contains("engineer").startsWith("Lockbox request ");
    assertThat(task.getDescription()).contains("READ access").contains(request.justification())
        .doesNotContain("AUTO_APPROVE").doesNotContain("Rule_");
    Instant expiresAt = lockboxRequests.ofAccessRequest(request.id()).orElseThrow().expiresAt();
    assertThat(task.getDueDate().toInstant()).isEqualTo(expiresAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    assertThat(task.getDescription()).contains(Times.display(expiresAt));
    // Each field the customer's form shows has its variable; the request's id and period, which it
    // does not show, are not kept.
    assertThat(taskService.getVariables(task.getId())).containsKeys(shownOn("forms/CustomerApprovalForm.form"))
        .doesNotContainKeys("lockboxRequestId", "accessPeriod");
    // Tasklist sorts by due date: the request that expires first comes first.
    AccessRequestView later = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("engineer"));
    drive(later.id());
    Task laterTask = taskService.createTaskQuery().processInstanceId(later.processInstanceId()).singleResult();
    assertThat(laterTask.getName()).isNotEqualTo(task.getName());
    assertThat(laterTask.getDueDate()).isAfterOrEqualTo(task.getDueDate());
  }

  /** The keys of the fields {@code form} shows and the person cannot change. */
  private String[] shownOn(String form) throws IOException {
    String[] keys = mapper.readTree(Path.of(form).toFile()).findParents("key").stream()
        .filter(field -> field.path("disabled").asBoolean()).map(field -> field.path("key").asText())
        .toArray(String[]::new);
    assertThat(keys).isNotEmpty();
    return keys;
  }

  @Test
  void theInternalTaskNamesTheRequestAndIsDueADayAfterItWasCreated() {
    ClockUtil.setCurrentTime(java.util.Date.from(Instant.parse("2026-03-02T09:00:00Z")));
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.WRITE),
        fixtures.as("engineer"));
    drive(request.id());

    Task task = taskService.createTaskQuery().processInstanceId(request.processInstanceId())
        .taskDefinitionKey(ProcessModel.INTERNAL_APPROVAL_TASK).singleResult();
    assertThat(task.getName()).startsWith("Internal approval ").contains(request.supportTicketId())
        .contains(tenant.prod()).contains("engineer");
    assertThat(task.getDescription()).contains("WRITE access").contains("tenant " + tenant.id());
    assertThat(task.getCreateTime().toInstant()).isEqualTo(Instant.parse("2026-03-02T09:00:00Z"));
    assertThat(Duration.between(task.getCreateTime().toInstant(), task.getDueDate().toInstant()))
        .isEqualTo(Duration.ofDays(1));
  }

  /** Tasklist's header and the mails' greeting show the demo users' names, never "null". */
  @Test
  void demoUsersHaveNames() {
    var identity = engine.getIdentityService();
    assertThat(identity.createUserQuery().userId("contoso-approver").singleResult().getFirstName())
        .isEqualTo("Contoso Approver");
    assertThat(identity.createUserQuery().userId("engineer").singleResult().getFirstName()).isEqualTo("Support Engineer");
    for (String id : java.util.List.of("engineer", "lead", "oncall", "operator", "contoso-admin", "contoso-approver",
        "contoso-auditor", "fabrikam-admin", "dataplane")) {
      var user = identity.createUserQuery().userId(id).singleResult();
      assertThat(user.getFirstName() + " " + user.getLastName()).as(id).doesNotContain("null").isNotBlank();
    }
  }

  /** Cockpit searches instances by business key and by variable value: both name the request. */
  @Test
  void operatorsFindTheInstanceByRequestIdOrByTicketAndEnvironment() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("engineer"));
    assertThat(runtimeService.createProcessInstanceQuery().processInstanceBusinessKey(request.id()).singleResult()
        .getId()).isEqualTo(request.processInstanceId());
    assertThat(runtimeService.createProcessInstanceQuery()
        .variableValueEquals(ProcessModel.ACCESS_REQUEST_ID, request.id()).singleResult().getId())
        .isEqualTo(request.processInstanceId());
    assertThat(runtimeService.createProcessInstanceQuery()
        .variableValueEquals("supportTicket", request.supportTicketId())
        .variableValueEquals("environmentId", tenant.prod()).singleResult().getId())
        .isEqualTo(request.processInstanceId());
  }
}
