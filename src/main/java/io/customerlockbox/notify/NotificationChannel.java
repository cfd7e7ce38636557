package io.customerlockbox.notify;

/** Where notifications go: SMTP when a mail server is configured, else the log. */
public interface NotificationChannel {

  String name();

  void send(Notification notification);
}
