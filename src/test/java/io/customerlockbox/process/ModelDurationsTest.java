package io.customerlockbox.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;

import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.request.Decision;
import io.customerlockbox.request.LockboxRequestService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The durations live in the model, and the Java code reads them from the model the instance runs
 * on: a process owner deploys a copy with 2 days to answer (reminder after 1) and 4 hours of
 * access, and the lockbox request's expiry, the reminder's timer, the grant's end and its timer
 * all follow, with no line of Java changed.
 */
class ModelDurationsTest extends ApplicationTest {

  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final String MODEL = "processes/LockboxAccessRequestProcess.bpmn";

  @Autowired RepositoryService repositoryService;
  @Autowired AccessRequestService requests;
  @Autowired LockboxRequestService lockboxRequests;

  private Deployment edited;

  @BeforeEach
  void deployTheModelWithOtherDurations() throws IOException {
    String xml;
    try (InputStream model = getClass().getClassLoader().getResourceAsStream(MODEL)) {
      xml = new String(model.readAllBytes(), StandardCharsets.UTF_8);
    }
    // The access period is the access timer's property: the timer itself fires at the grant's end.
    String changed = xml.replace(">P4D<", ">P2D<").replace(">P3D<", ">P1D<")
        .replace("name=\"accessPeriod\" value=\"PT8H\"", "name=\"accessPeriod\" value=\"PT4H\"");
    assertThat(changed).as("the model names its durations P4D, P3D and PT8H").isNotEqualTo(xml)
        .contains(">P2D<", ">P1D<", "value=\"PT4H\"").doesNotContain(">P4D<", ">P3D<", "PT8H");
    // Deployed as the application deploys its models: the rules and forms the model binds to
    // "this deployment" come along.
    edited = repositoryService.createDeployment().name("durations edited in Modeler")
        .addString("LockboxAccessRequestProcess.bpmn", changed)
        .addClasspathResource("processes/JitAccessRules.dmn")
        .addClasspathResource("processes/LockboxApprovalRules.dmn")
        .addClasspathResource("forms/CustomerApprovalForm.form")
        .addClasspathResource("forms/InternalApprovalForm.form")
        .addClasspathResource("forms/AccessRequestStartForm.form").deploy();
    ClockUtil.setCurrentTime(Date.from(START));
  }

  @AfterEach
  void removeIt() {
    // Back to the shipped model for every other test of this context.
    repositoryService.deleteDeployment(edited.getId(), true);
  }

  @Test
  void theLockboxRequestsExpiryTheReminderAndTheGrantsEndFollowTheDeployedModel() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView created = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("engineer"));
    ProcessInstance instance = runtimeService.createProcessInstanceQuery()
        .processInstanceId(created.processInstanceId()).singleResult();
    assertThat(repositoryService.getProcessDefinition(instance.getProcessDefinitionId()).getDeploymentId())
        .isEqualTo(edited.getId());
    drive(created.id());

    AccessRequestView waiting = requests.get(created.id(), fixtures.as("lead"));
    assertThat(waiting.lockbox().expiresAt()).isEqualTo(START.plus(Duration.ofDays(2)));
    assertThat(waiting.lockbox().accessPeriod()).isEqualTo("PT4H");
    assertThat(job("BoundaryEvent_ApprovalOverdue", instance)).hasDueDate(Date.from(START.plus(Duration.ofDays(2))));
    assertThat(job("BoundaryEvent_ReminderDue", instance)).hasDueDate(Date.from(START.plus(Duration.ofDays(1))));

    Instant approvedAt = START.plus(Duration.ofHours(1));
    ClockUtil.setCurrentTime(Date.from(approvedAt));
    lockboxRequests.decide(waiting.lockbox().id(), Decision.APPROVE, "go ahead", fixtures.as(tenant.approver()));
    drive(created.id());

    AccessRequestView granted = requests.get(created.id(), fixtures.as("lead"));
    assertThat(granted.grant().grantedAt()).isEqualTo(approvedAt);
    assertThat(granted.grant().expiresAt()).isEqualTo(approvedAt.plus(Duration.ofHours(4)));
    assertThat(job("Event_AccessPeriodOver", instance)).hasDueDate(Date.from(approvedAt.plus(Duration.ofHours(4))));
  }
}
