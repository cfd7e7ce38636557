package io.customerlockbox.notify;

import static io.customerlockbox.Times.utc;

import io.customerlockbox.Times;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends notifications through the configured channel, each at least once and, unless a node dies
 * in between, exactly once. The ledger ({@code sent_notification}) holds what went out: one
 * statement reads which of a job's messages went out before, the job sends the others, and each
 * is marked sent in its own transaction right after the channel took it, so that a job failing
 * later (on its next recipient, or after its sends) is retried with only what had not gone out. A
 * node that dies after the channel took a message and before that mark commits leaves the job to
 * another node, which sends that message again: the repeat carries the same Message-ID
 * ({@link Notification#messageId}) and a webhook delivery the same {@code X-Lockbox-Delivery}, so
 * the receiving side can drop it.
 */
@Service
public class NotificationService {

  /** One message for one channel: {@code key} identifies it across retries, {@code send} hands it over. */
  record Delivery(String key, String channel, String recipient, Runnable send) {}

  private final NotificationChannel channel;
  private final JdbcClient jdbc;
  private final TransactionTemplate ownTransaction;

  NotificationService(NotificationChannel channel, JdbcClient jdbc, PlatformTransactionManager transactions) {
    this.channel = channel;
    this.jdbc = jdbc;
    this.ownTransaction = new TransactionTemplate(transactions);
    this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  /** Answers whether the message went out now (false: it had been sent before). */
  public boolean send(Notification notification) {
    return send(List.of(notification)) == 1;
  }

  /** Sends those of {@code messages} that had not gone out before, in order; answers how many went out now. */
  public int send(List<Notification> messages) {
    return deliver(messages.stream()
        .map(n -> new Delivery(n.key(), channel.name(), n.recipient(), () -> channel.send(n))).toList());
  }

  /** Runs each delivery whose key did not go out before, in order; answers how many ran. */
  int deliver(List<Delivery> deliveries) {
    if (deliveries.isEmpty()) {
      return 0;
    }
    Set<String> before = sentBefore(deliveries);
    int sent = 0;
    for (Delivery delivery : deliveries) {
      if (!before.contains(delivery.key())) {
        delivery.send().run();
        ownTransaction.executeWithoutResult(status -> jdbc.sql(
                "insert into sent_notification (notification_key, channel, recipient, sent_at) values (?, ?, ?, ?)")
            .params(delivery.key(), delivery.channel(), delivery.recipient(), utc(Times.now()))
            .update());
        sent++;
      }
    }
    return sent;
  }

  /** One statement for all of a job's messages. */
  private Set<String> sentBefore(List<Delivery> deliveries) {
    String in = String.join(", ", Collections.nCopies(deliveries.size(), "?"));
    return new HashSet<>(jdbc.sql("select notification_key from sent_notification where notification_key in ("
            + in + ")")
        .params(deliveries.stream().map(Delivery::key).toList())
        .query(String.class).list());
  }
}
