package io.customerlockbox.notify;

import io.customerlockbox.LockboxProperties;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

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
      LOG.info("Notification to {}: {}{}\n{}", n.recipient(), n.subject(),
          n.auditHead() == null ? "" : " (" + Notification.AUDIT_HEAD_HEADER + ": " + n.auditHead() + ")", n.body());
    }
  }

  static final class SmtpChannel implements NotificationChannel {

    private final JavaMailSender sender;
    private final String from;
    private final String domain;

    SmtpChannel(JavaMailSender sender, String from) {
      this.sender = sender;
      this.from = from;
      this.domain = from.contains("@") ? from.substring(from.lastIndexOf('@') + 1).replace(">", "").trim() : "localhost";
    }

    @Override
    public String name() {
      return "SMTP";
    }

    @Override
    public void send(Notification n) {
      MimeMessage message = sender.createMimeMessage();
      try {
        MimeMessageHelper mail = new MimeMessageHelper(message, false, "UTF-8");
        mail.setFrom(from);
        mail.setTo(n.recipient());
        mail.setSubject(n.subject());
        mail.setText(n.body(), true);
        // Spring's mail sender keeps a Message-ID set here, where JavaMail would make a new one.
        message.setHeader("Message-ID", n.messageId(domain));
        if (n.auditHead() != null) {
          message.setHeader(Notification.AUDIT_HEAD_HEADER, n.auditHead().toString());
        }
      } catch (MessagingException e) {
        // A malformed address or header: the job fails and retries, then shows as an incident.
        throw new MailPreparationException("Cannot prepare the mail to " + n.recipient(), e);
      }
      sender.send(message);
    }
  }
}
