package io.customerlockbox.notify;

/**
 * One message to one person; {@code body} is HTML. {@code key} identifies it across retries, so it
 * is sent once.
 */
public record Notification(String key, String recipient, String subject, String body) {}
