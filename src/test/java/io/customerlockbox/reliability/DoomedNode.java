package io.customerlockbox.reliability;

import io.customerlockbox.LockboxApplication;
import io.customerlockbox.notify.Notification;
import io.customerlockbox.notify.NotificationChannel;
import java.util.concurrent.CountDownLatch;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The node {@link CrashTest} kills: the real application in a JVM of its own, whose mail server
 * accepts each message and whose job thread then never comes back, as if the node died after
 * SMTP took the message and before the product recorded it as sent: the window in which a
 * crash makes a message go out twice. Its job executor is surely in the middle of jobs when the
 * kill comes. Set up by hand, not scanned, so no other test's application ever sees it.
 */
public final class DoomedNode {

  private DoomedNode() {}

  public static void main(String[] args) {
    new SpringApplicationBuilder(LockboxApplication.class)
        .initializers((GenericApplicationContext context) -> context.getBeanFactory().addBeanPostProcessor(
            new BeanPostProcessor() {
              @Override
              public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof NotificationChannel channel ? new SentThenHung(channel) : bean;
              }
            }))
        .run(args);
  }

  /** Hands every message to the real channel, then never returns. */
  static final class SentThenHung implements NotificationChannel {

    private final NotificationChannel channel;
    private final CountDownLatch never = new CountDownLatch(1);

    SentThenHung(NotificationChannel channel) {
      this.channel = channel;
    }

    @Override
    public String name() {
      return channel.name();
    }

    @Override
    public void send(Notification notification) {
      channel.send(notification);
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }
}
