package io.customerlockbox.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A message's Message-ID: the same for every send of it, different for every other message. */
class NotificationTest {

  @Test
  void theMessageIdFollowsTheKeyAloneSoARepeatCarriesTheSameOne() {
    Notification first = new Notification("pi-1/Task_SendEmails/alice", "alice@example.test", "Subject", "<p>1</p>");
    Notification resent = new Notification("pi-1/Task_SendEmails/alice", "alice@example.test", "Subject", "<p>1</p>");
    Notification toBob = new Notification("pi-1/Task_SendEmails/bob", "bob@example.test", "Subject", "<p>1</p>");

    assertThat(first.messageId("provider.example")).isEqualTo(resent.messageId("provider.example"))
        .matches("<[0-9a-f]{40}\\.lockbox@provider\\.example>")
        .isNotEqualTo(toBob.messageId("provider.example"));
    // Nothing of the request but its key's hash: no tenant, person or environment in a header.
    assertThat(first.messageId("provider.example")).doesNotContain("alice", "pi-1");
  }
}
