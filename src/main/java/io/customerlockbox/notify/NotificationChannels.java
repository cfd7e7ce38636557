package io.customerlockbox.notify;

import io.customerlockbox.LockboxProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Chooses the channel by configuration: Spring Boot creates a mail sender exactly when
 * {@code spring.mail.host} is set, and then notifications go by SMTP; otherwise to the log.
 */
@Configuration
class NotificationChannels {

  private static final Logger LOG = LoggerFactory.getLogger("io.customerlockbox.notifications");

  @Bean
  NotificationChannel notificationChannel(ObjectProvider<JavaMailSender> mailSender, LockboxProperties properties) {
    JavaMailSender sender = mailSender.getIfAvailable();
    if (sender == null) {
      LOG.info("No SMTP server configured (spring.mail.host): notifications are written to this log");
      return new LogChannel();
    }
    return new SmtpChannel(sender, properties.mail().from());
  }

  static final class LogChannel implements NotificationChannel {

    @Override
    public String name() {
      return "LOG";
    }

    @Override
    public void send(Notification n) {
      LOG.info("Notification to {}: {}\n{}", n.recipient(), n.subject(), n.body());
    }
  }

  static final class SmtpChannel implements NotificationChannel {

    private final JavaMailSender sender;
    private final String from;

    SmtpChannel(JavaMailSender sender, String from) {
      this.sender = sender;
      this.from = from;
    }

    @Override
    public String name() {
      return "SMTP";
    }

    @Override
    public void send(Notification n) {
      SimpleMailMessage message = new SimpleMailMessage();
      message.setFrom(from);
      message.setTo(n.recipient());
      message.setSubject(n.subject());
      message.setText(n.body());
      sender.send(message);
    }
  }
}
