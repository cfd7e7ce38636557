package io.customerlockbox.reliability;

import io.customerlockbox.LockboxApplication;
import io.customerlockbox.notify.Notification;
import io.customerlockbox.notify.NotificationChannel;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The node {@link CrashTest} kills: the real application in a JVM of its own, whose mail server
 * hangs, so its job executor is surely in the middle of jobs when the kill comes. Registered
 * by hand, not scanned, so no other test's application ever sees this channel.
 */
public final class DoomedNode {

  private DoomedNode() {}

  public static void main(String[] args) {
    new SpringApplicationBuilder(LockboxApplication.class)
        .initializers((GenericApplicationContext context) -> context.registerBean("hungMailServer",
            NotificationChannel.class, HungMailServer::new, definition -> definition.setPrimary(true)))
        .run(args);
  }

  /** Takes every message and never returns, like an SMTP server that stopped answering. */
  static final class HungMailServer implements NotificationChannel {

    private final CountDownLatch never = new CountDownLatch(1);

    @Override
    public String name() {
      return "HUNG";
    }

    @Override
    public void send(Notification notification) {
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }
}
