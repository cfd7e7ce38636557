package io.customerlockbox.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.JobDriver;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.AccessRequestView;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import org.camunda.bpm.engine.ManagementService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With {@code spring.mail.host} set, notifications go by SMTP: here to a real SMTP server. */
@SpringBootTest
@ActiveProfiles({"demo", "test"})
@Import(Fixtures.class)
class SmtpNotificationTest {

  /** Started before Spring reads the mail settings, and running for the whole class. */
  static final GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());

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
    registry.add("spring.mail.port", () -> smtp.getSmtp().getPort());
    registry.add("lockbox.mail.from", () -> "lockbox@provider.example");
  }

  @Autowired NotificationChannel channel;
  @Autowired NotificationService notifications;
  @Autowired AccessRequestService requests;
  @Autowired ManagementService managementService;
  @Autowired Fixtures fixtures;

  @Test
  void smtpIsTheChannelWhenAMailHostIsConfigured() {
    assertThat(channel.name()).isEqualTo("SMTP");
  }

  @Test
  void approversOfTheTenantGetTheLockboxRequestByEmail() throws Exception {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    AccessRequestView request = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("engineer"));

    new JobDriver(managementService).executeDueJobs(request.processInstanceId());

    assertThat(requests.get(request.id(), fixtures.as("lead")).status())
        .isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);
    List<MimeMessage> received = to(tenant.approver() + "@example.test", tenant.admin() + "@example.test");
    assertThat(received).hasSize(2);
    assertThat(received).extracting(message -> message.getAllRecipients()[0].toString())
        .containsExactlyInAnyOrder(tenant.approver() + "@example.test", tenant.admin() + "@example.test");
    assertThat(received.get(0).getFrom()[0].toString()).isEqualTo("lockbox@provider.example");
    assertThat(received.get(0).getSubject()).contains("engineer").contains(tenant.prod());
    assertThat(GreenMailUtil.getBody(received.get(0))).contains("Investigate the failing nightly export job")
        .contains(request.supportTicketId());
  }

  @Test
  void aMessageAlreadySentIsNotSentAgainWhenItsStepIsRetried() {
    Notification notification = new Notification("retry-test/Task_NotifyApprovers/someone", "someone@example.test",
        "Lockbox request", "body");

    assertThat(notifications.send(notification)).isTrue();
    assertThat(notifications.send(notification)).isFalse();

    assertThat(to("someone@example.test")).hasSize(1);
  }

  private static List<MimeMessage> to(String... addresses) {
    List<String> wanted = List.of(addresses);
    return java.util.Arrays.stream(smtp.getReceivedMessages()).filter(message -> {
      try {
        return wanted.contains(message.getAllRecipients()[0].toString());
      } catch (jakarta.mail.MessagingException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

}
