package io.customerlockbox.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.JobDriver;
import io.customerlockbox.audit.AuditEvent;
import io.customerlockbox.audit.AuditEventType;
import io.customerlockbox.audit.AuditTrail;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.policy.PolicyUpdate;
import io.customerlockbox.process.ProcessModel;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.request.Decision;
import io.customerlockbox.request.LockboxRequestService;
import io.customerlockbox.request.LockboxStatus;
import io.customerlockbox.request.NewAccessRequest;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mail.MailSendException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * E-mail notifications against a real SMTP server (GreenMail): who gets which message, with
 * what in it, when the reminder timer fires, exactly once when a job is retried, and what an SMTP
 * outage does (the flow goes on; the mail arrives once the server is back).
 */
class SmtpNotificationTest extends ApplicationTest {

  /** A fixed port, so the server can be stopped and started again where Spring's mail sender expects it. */
  static final ServerSetup SMTP = new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
  static GreenMail smtp = new GreenMail(SMTP);

  static {
    smtp.start();
  }

  @AfterAll
  static void stopSmtp() {
    smtp.stop();
  }

  @DynamicPropertySource
  static void mailServer(DynamicPropertyRegistry registry) {
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", () -> SMTP.getPort());
    registry.add("spring.mail.properties.mail.smtp.connectiontimeout", () -> "2000");
    registry.add("lockbox.mail.from", () -> "lockbox@provider.example");
    registry.add("lockbox.public-url", () -> "https://lockbox.example");
  }

  @Autowired NotificationChannel channel;
  @Autowired NotificationService notifications;
  @Autowired AccessRequestService requests;
  @Autowired LockboxRequestService lockboxRequests;
  @Autowired IdentityService identityService;
  @Autowired AuditTrail trail;
  @Autowired PolicyService policies;

  @Test
  void smtpIsTheChannelWhenAMailHostIsConfigured() {
    assertThat(channel.name()).isEqualTo("SMTP");
  }

  @Test
  void approversGetTheNewRequestWithWhatWhoWhyUntilWhenAndLinksToTheTaskAndThePage() throws Exception {
    ClockUtil.setCurrentTime(Date.from(Instant.parse("2026-03-02T09:00:00Z")));
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = create(tenant, "Investigate the failing nightly export job");
    drive(request);

    AccessRequestView waiting = requests.get(request.id(), fixtures.as("lead"));
    assertThat(waiting.status()).isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);
    String taskId = taskService.createTaskQuery().processInstanceId(request.processInstanceId()).singleResult().getId();
    List<MimeMessage> received = mailTo(tenant, tenant.approver(), tenant.admin());
    assertThat(received).hasSize(2);
    assertThat(received).extracting(SmtpNotificationTest::recipient)
        .containsExactlyInAnyOrder(address(tenant.approver()), address(tenant.admin()));
    for (MimeMessage mail : received) {
      assertThat(mail.getFrom()[0].toString()).isEqualTo("lockbox@provider.example");
      assertThat(mail.getSubject()).isEqualTo("Lockbox request: engineer asks for READ access to " + tenant.prod());
      assertThat(html(mail))
          .contains("Investigate the failing nightly export job", request.supportTicketId(), "engineer", "READ")
          .contains("2026-03-06 09:00 UTC", "8 hours")
          .contains("https://lockbox.example/camunda/app/tasklist/default/#/?task=" + taskId)
          .contains("https://lockbox.example/lockbox/requests/" + waiting.lockbox().id());
    }
    assertThat(mailTo(tenant, "engineer")).isEmpty();
  }

  @Test
  void aNotificationNamesItsRequestAndOccasionInItsBusinessKeyAndTheEngineKeepsNoVariableForIt() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = create(tenant, "Investigate the failing nightly export job");
    jobs.executeDueJobs(request.processInstanceId());

    ProcessInstance notification = JobDriver.instancesOfRequest(runtimeService, request.id())
        .processDefinitionKey(ProcessModel.NOTIFICATION_PROCESS_KEY).singleResult();
    assertThat(notification.getBusinessKey()).isEqualTo(request.id() + "/" + Occasion.LOCKBOX_REQUEST_CREATED);
    assertThat(runtimeService.createVariableInstanceQuery().processInstanceIdIn(notification.getId()).count()).isZero();
    drive(request);

    assertThat(subjects(tenant, tenant.approver())).containsOnlyOnce(
        "Lockbox request: engineer asks for READ access to " + tenant.prod());
    assertThat(historyService.createHistoricVariableInstanceQuery().processInstanceId(notification.getId()).count())
        .isZero();
  }

  @Test
  void aNotificationStartedByThePreviousVersionTakesItsOccasionFromItsVariable() throws Exception {
    Instant start = Instant.parse("2026-03-02T09:00:00Z");
    ClockUtil.setCurrentTime(Date.from(start));
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = create(tenant, "Investigate the failing nightly export job");
    drive(request);
    // As the version before the occasion moved into the key started it: the request's id as the
    // business key, the occasion in the one variable.
    ProcessInstance earlier = runtimeService.createProcessInstanceByKey(ProcessModel.NOTIFICATION_PROCESS_KEY)
        .businessKey(request.id()).setVariable(ProcessModel.NOTIFICATION, Occasion.LOCKBOX_REQUEST_REMINDER.name())
        .execute();
    jobs.executeDueJobs(earlier.getId());

    for (String approver : List.of(tenant.approver(), tenant.admin())) {
      assertThat(subjects(tenant, approver)).containsOnlyOnce(escalation(tenant));
    }
  }

  @Test
  void theBreakGlassMailLinksToTheEmergencyAccessOnTheCustomersPage() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = requests.create(new NewAccessRequest(tenant.id(), tenant.prod(), null,
        "Production outage: database cluster down", AccessLevel.ADMIN, true, true, true, "INC-" + tenant.id()),
        fixtures.as("oncall"));
    drive(request);

    assertThat(html(mail(tenant, tenant.approver(), "Break-glass")))
        .contains("INC-" + tenant.id(), "https://lockbox.example/lockbox/break-glass/" + request.id());
  }

  @Test
  void theApproversMailsCarryWhereTheTenantsAuditTrailStoodAsTheyWereSentAndTheRequestersDoNot() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = create(tenant, "Investigate the failing nightly export job");
    drive(request);

    // The send step records that the approvers were told right after it sent: what that event
    // follows is where the chain stood as the mails went out.
    AuditEvent notified = trail.forRequest(request.id()).stream()
        .filter(e -> e.type() == AuditEventType.APPROVERS_NOTIFIED).findFirst().orElseThrow();
    String head = (notified.chainSeq() - 1) + ":" + notified.prevHash();
    assertThat(db.sql("select hash from audit_event where chain_id = ? and chain_seq = ?")
        .params(tenant.id(), notified.chainSeq() - 1).query(String.class).single()).isEqualTo(notified.prevHash());
    List<MimeMessage> received = mailTo(tenant, tenant.approver(), tenant.admin());
    assertThat(received).hasSize(2);
    for (MimeMessage mail : received) {
      assertThat(mail.getHeader(Notification.AUDIT_HEAD_HEADER)).containsExactly(head);
      assertThat(html(mail)).contains("Your audit trail stood at position <span>" + (notified.chainSeq() - 1)
          + "</span>", "--head " + head);
    }

    lockboxRequests.decide(requests.get(request.id(), fixtures.as("lead")).lockbox().id(), Decision.APPROVE,
        "OK", fixtures.as(tenant.approver()));
    drive(request);
    MimeMessage toTheEngineer = mail(tenant, "engineer", "The customer approved");
    assertThat(toTheEngineer.getHeader(Notification.AUDIT_HEAD_HEADER)).isNull();
    assertThat(html(toTheEngineer)).doesNotContain("audit trail");
    assertThat(mail(tenant, tenant.admin(), "approved by").getHeader(Notification.AUDIT_HEAD_HEADER)).hasSize(1);
  }

  @Test
  void markupInAJustificationArrivesAsText() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = create(tenant, "Debug <script>alert('x')</script> and <img src=x onerror=alert(1)>");
    drive(request);

    String html = html(mailTo(tenant, tenant.approver()).get(0));
    assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")
        .doesNotContain("<script", "<img");
  }

  @Test
  void theReminderEscalatesToTheApproversAndTheTenantsAdminsWhenItsTimerJobRuns() throws Exception {
    Instant start = Instant.parse("2026-03-02T09:00:00Z");
    ClockUtil.setCurrentTime(Date.from(start));
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = create(tenant, "Investigate the failing nightly export job");
    drive(request);
    assertThat(subjects(tenant, tenant.approver())).noneMatch(subject -> subject.startsWith("Escalation"));

    runReminder(request, start);

    for (String approver : List.of(tenant.approver(), tenant.admin())) {
      assertThat(subjects(tenant, approver)).containsOnlyOnce(escalation(tenant));
      assertThat(html(mail(tenant, approver, "Escalation"))).contains("This is an escalation")
          .doesNotContain("escalation group");
    }
    assertThat(subjects(tenant, "engineer")).noneMatch(subject -> subject.startsWith("Escalation"));
    assertThat(requests.get(request.id(), fixtures.as("lead")).lockbox().status()).isEqualTo(LockboxStatus.ACTION_NEEDED);
  }

  @Test
  void theReminderAlsoGoesToTheMembersOfTheTenantsEscalationGroupInThatTenantOnly() throws Exception {
    Instant start = Instant.parse("2026-03-02T09:00:00Z");
    ClockUtil.setCurrentTime(Date.from(start));
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    TestTenant other = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    String group = "escalation-" + tenant.id();
    identityService.saveGroup(identityService.newGroup(group));
    String manager = tenant.id() + "-manager";
    String outsider = other.id() + "-manager";
    fixtures.user(manager, tenant.id(), group);
    fixtures.user(outsider, other.id(), group);
    policies.updatePolicy(tenant.id(), new PolicyUpdate(true, PolicyScope.ALL_MANAGED, List.of(), false, group),
        tenant.admin());
    AccessRequestView request = create(tenant, "Investigate the failing nightly export job");
    drive(request);
    assertThat(mailTo(tenant, manager)).isEmpty();

    runReminder(request, start);

    for (String told : List.of(tenant.approver(), tenant.admin(), manager)) {
      assertThat(subjects(tenant, told)).containsOnlyOnce(escalation(tenant));
      assertThat(html(mail(tenant, told, "Escalation"))).contains("This is an escalation", group);
    }
    assertThat(mailTo(tenant, outsider)).isEmpty();
    assertThat(trail.forRequest(request.id())).filteredOn(e -> e.type() == AuditEventType.APPROVERS_NOTIFIED)
        .last().extracting(AuditEvent::detail).asString().startsWith("LOCKBOX_REQUEST_REMINDER")
        .contains(tenant.approver(), tenant.admin(), manager).doesNotContain(outsider);
  }

  @Test
  void aRevocationTellsTheEngineerAndTheOtherApproversWithTheCustomersReason() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    policies.updatePolicy(tenant.id(), new PolicyUpdate(true, PolicyScope.ALL_MANAGED, List.of(), true, null),
        tenant.admin());
    AccessRequestView request = create(tenant, "Investigate the failing nightly export job");
    drive(request);
    String lockboxId = requests.get(request.id(), fixtures.as("lead")).lockbox().id();
    lockboxRequests.decide(lockboxId, Decision.APPROVE, "OK for this ticket", fixtures.as(tenant.approver()));
    drive(request);

    lockboxRequests.revoke(lockboxId, "Unexpected queries on the orders table", fixtures.as(tenant.approver()));
    drive(request);

    assertThat(subjects(tenant, "engineer")).last().isEqualTo("The customer revoked your access to " + tenant.prod());
    assertThat(html(mail(tenant, "engineer", "revoked"))).contains("Unexpected queries on the orders table");
    assertThat(subjects(tenant, tenant.admin())).containsOnlyOnce(
        "Access to " + tenant.prod() + " revoked by " + tenant.approver());
    assertThat(html(mail(tenant, tenant.admin(), "revoked by"))).contains("Unexpected queries on the orders table");
    assertThat(subjects(tenant, tenant.approver())).noneMatch(subject -> subject.contains("revoked"));
  }

  @Test
  void anApprovalTellsTheRequesterAndTheOtherApproversAndTheEndOfAccessTellsTheRequester() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = create(tenant, "Investigate the failing nightly export job");
    drive(request);
    String lockboxId = requests.get(request.id(), fixtures.as("lead")).lockbox().id();

    lockboxRequests.decide(lockboxId, Decision.APPROVE, "OK for this ticket", fixtures.as(tenant.approver()));
    drive(request);

    assertThat(subjects(tenant, tenant.admin())).contains(
        "Lockbox request for " + tenant.prod() + " approved by " + tenant.approver());
    assertThat(subjects(tenant, tenant.approver())).noneMatch(subject -> subject.contains("approved by"));
    assertThat(subjects(tenant, "engineer")).hasSize(2).containsOnlyOnce(
        "The customer approved your access to " + tenant.prod())
        .anyMatch(subject -> subject.startsWith("Access to " + tenant.prod() + " granted until "));
    assertThat(html(mail(tenant, "engineer", "The customer approved"))).contains("OK for this ticket");

    requests.release(request.id(), fixtures.as("engineer"));
    drive(request);
    assertThat(subjects(tenant, "engineer")).hasSize(3).last().isEqualTo("Your access to " + tenant.prod() + " ended");
    assertThat(html(mail(tenant, "engineer", "ended"))).contains("released early");
  }

  @Test
  void aDenialAnInternalDecisionAndAnExpiryTellTheRequester() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView denied = create(tenant, "Investigate the failing nightly export job");
    drive(denied);
    lockboxRequests.decide(requests.get(denied.id(), fixtures.as("lead")).lockbox().id(), Decision.DENY,
        "Not during quarter close", fixtures.as(tenant.admin()));
    drive(denied);
    assertThat(subjects(tenant, "engineer")).containsExactly("The customer denied your access to " + tenant.prod());
    assertThat(html(mailTo(tenant, "engineer").get(0))).contains("Not during quarter close");
    assertThat(subjects(tenant, tenant.approver())).contains(
        "Lockbox request for " + tenant.prod() + " denied by " + tenant.admin());

    TestTenant other = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView write = requests.create(new NewAccessRequest(other.id(), other.prod(), "SR-2002",
        "Fix the corrupted export table", AccessLevel.WRITE, true, true, null, null), fixtures.as("engineer"));
    drive(write);
    requests.decideInternally(write.id(), true, "needed for the fix", fixtures.as("lead"));
    drive(write);
    assertThat(subjects(other, "engineer")).containsExactly("lead approved your access request for " + other.prod());
    assertThat(html(mailTo(other, "engineer").get(0))).contains("needed for the fix");

    Job overdue = managementService.createJobQuery().processInstanceId(write.processInstanceId())
        .activityId(ProcessModel.APPROVAL_OVERDUE_TIMER).singleResult();
    ClockUtil.setCurrentTime(overdue.getDuedate());
    managementService.executeJob(overdue.getId());
    drive(write);
    assertThat(requests.get(write.id(), fixtures.as("lead")).status()).isEqualTo(AccessRequestStatus.EXPIRED);
    assertThat(subjects(other, "engineer")).last().isEqualTo("Your lockbox request for " + other.prod() + " expired");
  }

  @Test
  void aRetriedSendJobSendsEachMessageExactlyOnce() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    // The approver comes first; the admin's address cannot be used, so the job fails after one mail went out.
    setEmail(tenant.admin(), "not an address");
    AccessRequestView request = create(tenant, "Investigate the failing nightly export job");
    jobs.executeDueJobs(request.processInstanceId());
    Job send = sendJob(request);

    assertThatThrownBy(() -> managementService.executeJob(send.getId())).hasStackTraceContaining("not an address");
    assertThat(sendJob(request).getRetries()).isEqualTo(2);
    assertThat(mailTo(tenant, tenant.approver())).hasSize(1);

    setEmail(tenant.admin(), address(tenant.admin()));
    managementService.executeJob(send.getId());

    assertThat(mailTo(tenant, tenant.approver())).hasSize(1);
    assertThat(mailTo(tenant, tenant.admin())).hasSize(1);
    assertThat(managementService.createJobQuery().jobId(send.getId()).count()).isZero();
  }

  @Test
  void duringAnSmtpOutageTheFlowGoesOnTheJobRetriesIntoAnIncidentAndTheMailArrivesOnceTheServerIsBack()
      throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    smtp.stop();
    AccessRequestView request;
    Job send;
    try {
      request = create(tenant, "Investigate the failing nightly export job");
      jobs.executeDueJobs(request.processInstanceId());
      AccessRequestView waiting = requests.get(request.id(), fixtures.as("lead"));
      assertThat(waiting.status()).isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);
      assertThat(waiting.lockbox().status()).isEqualTo(LockboxStatus.ACTION_NEEDED);

      send = sendJob(request);
      for (int retriesLeft = 2; retriesLeft >= 0; retriesLeft--) {
        // The mail server refused the connection: that, and nothing else, fails the job.
        assertThatThrownBy(() -> managementService.executeJob(send.getId())).isInstanceOf(MailSendException.class)
            .hasRootCauseInstanceOf(ConnectException.class);
        assertThat(sendJob(request).getRetries()).isEqualTo(retriesLeft);
      }
      // After the last retry the failure is an incident, as Cockpit shows it.
      assertThat(runtimeService.createIncidentQuery().configuration(send.getId())
          .processInstanceId(send.getProcessInstanceId()).count()).isEqualTo(1);
      // The approvers can still decide in Tasklist or on the page: the flow did not wait for the mail.
      assertThat(taskService.createTaskQuery().processInstanceId(request.processInstanceId()).count()).isEqualTo(1);
    } finally {
      smtp = new GreenMail(SMTP);
      smtp.start();
    }

    // An operator retries the incident in Cockpit.
    managementService.setJobRetries(send.getId(), 1);
    managementService.executeJob(send.getId());

    assertThat(mailTo(tenant, tenant.approver())).hasSize(1);
    assertThat(mailTo(tenant, tenant.admin())).hasSize(1);
    assertThat(runtimeService.createIncidentQuery().processInstanceId(send.getProcessInstanceId()).count()).isZero();
  }

  @Test
  void aMessageAlreadySentIsNotSentAgain() {
    Notification notification = new Notification("retry-test/Task_SendEmails/someone", "someone@example.test",
        "Lockbox request", "<p>body</p>");

    assertThat(notifications.send(notification)).isTrue();
    assertThat(notifications.send(notification)).isFalse();

    assertThat(Arrays.stream(smtp.getReceivedMessages()).filter(m -> recipient(m).equals("someone@example.test")))
        .hasSize(1);
  }

  // --- helpers

  /** Fires the reminder timer as the job executor would at its due date (3 days after {@code start}). */
  private void runReminder(AccessRequestView request, Instant start) {
    Job reminder = managementService.createJobQuery().processInstanceId(request.processInstanceId())
        .activityId("BoundaryEvent_ReminderDue").singleResult();
    assertThat(reminder.getDuedate()).isEqualTo(Date.from(start.plus(Duration.ofDays(3))));
    ClockUtil.setCurrentTime(reminder.getDuedate());
    managementService.executeJob(reminder.getId());
    drive(request);
  }

  private static String escalation(TestTenant tenant) {
    return "Escalation: nobody has answered the lockbox request for " + tenant.prod()
        + "; it expires at 2026-03-06 09:00 UTC";
  }

  private AccessRequestView create(TestTenant tenant, String justification) {
    return requests.create(new NewAccessRequest(tenant.id(), tenant.prod(), "SR-" + tenant.id(), justification,
        AccessLevel.READ, true, true, null, null), fixtures.as("engineer"));
  }

  private void drive(AccessRequestView request) {
    drive(request.id());
  }

  private Job sendJob(AccessRequestView request) {
    String notification = JobDriver.instancesOfRequest(runtimeService, request.id())
        .processDefinitionKey(ProcessModel.NOTIFICATION_PROCESS_KEY).singleResult().getId();
    return managementService.createJobQuery().processInstanceId(notification).activityId("Task_SendEmails")
        .singleResult();
  }

  private void setEmail(String userId, String email) {
    User user = identityService.createUserQuery().userId(userId).singleResult();
    user.setEmail(email);
    identityService.saveUser(user);
  }

  private static String address(String userId) {
    return userId.equals("engineer") ? "engineer@provider.example" : userId + "@example.test";
  }

  /** The messages to these people about this tenant's environments (the demo engineer gets others' too), oldest first. */
  private static List<MimeMessage> mailTo(TestTenant tenant, String... userIds) {
    List<String> wanted = Arrays.stream(userIds).map(SmtpNotificationTest::address).toList();
    return Arrays.stream(smtp.getReceivedMessages())
        .filter(message -> wanted.contains(recipient(message)))
        .filter(message -> subject(message).contains(tenant.id()))
        .toList();
  }

  private static MimeMessage mail(TestTenant tenant, String userId, String subjectPart) {
    return mailTo(tenant, userId).stream().filter(message -> subject(message).contains(subjectPart)).findFirst()
        .orElseThrow(() -> new AssertionError("No mail to " + userId + " about " + subjectPart));
  }

  private static List<String> subjects(TestTenant tenant, String userId) {
    return mailTo(tenant, userId).stream().map(SmtpNotificationTest::subject).toList();
  }

  private static String recipient(MimeMessage message) {
    try {
      return message.getAllRecipients()[0].toString();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String subject(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String html(MimeMessage message) throws MessagingException, IOException {
    assertThat(message.getContentType()).startsWith("text/html");
    return (String) message.getContent();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
