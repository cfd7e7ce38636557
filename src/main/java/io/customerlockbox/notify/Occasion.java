package io.customerlockbox.notify;

import java.util.List;

/**
 * Why people are told something, whom, and with which template. A template named {@code x} is
 * {@code mail/x.html} on the class path, or {@code x.html} in the directory {@code lockbox.mail.templates}.
 */
public enum Occasion {
  LOCKBOX_REQUEST_CREATED(true, new Message(Audience.APPROVERS, "lockbox-request-created")),
  /** Nobody answered by the reminder: an escalation, to the approvers and to the escalation audience. */
  LOCKBOX_REQUEST_REMINDER(true, new Message(Audience.APPROVERS, "lockbox-request-reminder"),
      new Message(Audience.ESCALATION, "lockbox-request-reminder")),
  BREAK_GLASS_USED(true, new Message(Audience.APPROVERS, "break-glass-used")),
  CUSTOMER_DECIDED(false, new Message(Audience.OTHER_APPROVERS, "customer-decided-approvers"),
      new Message(Audience.REQUESTER, "customer-decided-requester")),
  INTERNAL_DECIDED(false, new Message(Audience.REQUESTER, "internal-decided")),
  LOCKBOX_REQUEST_EXPIRED(false, new Message(Audience.REQUESTER, "lockbox-request-expired")),
  ACCESS_GRANTED(false, new Message(Audience.REQUESTER, "access-granted")),
  ACCESS_ENDED(false, new Message(Audience.REQUESTER, "access-ended")),
  /** The customer ended active access at once: the engineer, and the approvers but the one who revoked. */
  ACCESS_REVOKED_BY_CUSTOMER(false, new Message(Audience.REQUESTER, "access-revoked-requester"),
      new Message(Audience.OTHER_APPROVERS, "access-revoked-approvers")),
  /** The engineer asks for more time: the approvers decide as on the access itself. */
  EXTENSION_REQUESTED(true, new Message(Audience.APPROVERS, "extension-requested")),
  ACCESS_EXTENDED(false, new Message(Audience.REQUESTER, "access-extended"));

  /**
   * The tenant's approvers; the other approvers (not the one who decided, or who revoked the
   * access); the engineer who asked; the tenant's admins and the members of its escalation group
   * who are not approvers already.
   */
  public enum Audience { APPROVERS, OTHER_APPROVERS, REQUESTER, ESCALATION }

  public record Message(Audience audience, String template) {}

  private final boolean approversAsked;
  private final List<Message> messages;

  Occasion(boolean approversAsked, Message... messages) {
    this.approversAsked = approversAsked;
    this.messages = List.of(messages);
  }

  /** Whether the customer's approvers are asked or told something the audit trail must show they heard. */
  public boolean approversAsked() {
    return approversAsked;
  }

  /** Whether the customer's webhooks hear of it: everything but the provider's own internal decision. */
  public boolean tellsTheCustomer() {
    return this != INTERNAL_DECIDED;
  }

  /** Whether its mails link the approvers' open task in Tasklist (a task query, so made only for these). */
  public boolean linksToReviewTask() {
    return this == LOCKBOX_REQUEST_CREATED || this == LOCKBOX_REQUEST_REMINDER || this == EXTENSION_REQUESTED;
  }

  public List<Message> messages() {
    return messages;
  }
}
