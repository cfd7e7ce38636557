package io.customerlockbox.process;

import io.customerlockbox.notify.WebhookService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * What the notification model's gateway "Tenant registered a webhook?" asks, as the notification starts (in
 * the transaction of the lockbox step that causes it): whether the webhooks path is taken at all.
 * A tenant without webhooks gets no webhook job, and an occasion the customer's webhooks do not
 * hear of (a support lead's decision) neither.
 */
@Component(ProcessModel.NOTIFICATION_GATEWAYS)
public class NotificationGateways {

  private final WebhookService webhooks;

  NotificationGateways(WebhookService webhooks) {
    this.webhooks = webhooks;
  }

  public boolean webhooksRegistered(DelegateExecution execution) {
    return webhooks.wanted(Steps.occasion(execution), Steps.requestId(execution));
  }
}
