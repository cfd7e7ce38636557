package io.customerlockbox.notify;

import static io.customerlockbox.Times.utc;

import io.customerlockbox.Times;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends notifications through the configured channel, each at least once and, unless a node dies
 * in between, exactly once: a message is marked sent in its own transaction right after the
 * channel took it, so a job retried after a later failure skips what already went out. A node
 * that dies after the mail server accepted a message and before that mark commits leaves the
 * job to another node, which sends the message again: the repeat carries the same Message-ID
 * ({@link Notification#messageId}) and a webhook delivery the same {@code X-Lockbox-Delivery}, so
 * the receiving side can drop it.
 */
@Service
public class NotificationService {

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
    return sendOnce(notification.key(), channel.name(), notification.recipient(), () -> channel.send(notification));
  }

  /** Runs {@code delivery} unless a delivery with {@code key} went out before; answers whether it ran. */
  boolean sendOnce(String key, String channelName, String recipient, Runnable delivery) {
    if (alreadySent(key)) {
      return false;
    }
    delivery.run();
    ownTransaction.executeWithoutResult(status -> jdbc.sql(
            "insert into sent_notification (notification_key, channel, recipient, sent_at) values (?, ?, ?, ?)")
        .params(key, channelName, recipient, utc(Times.now()))
        .update());
    return true;
  }

  private boolean alreadySent(String key) {
    return jdbc.sql("select count(*) from sent_notification where notification_key = ?")
        .param(key).query(Integer.class).single() > 0;
  }
}
