package io.customerlockbox.process;

import io.customerlockbox.notify.Occasion;
import io.customerlockbox.notify.WebhookService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** The notification process's webhook step: POSTs the notification to the tenant's webhooks, each once. */
@Component("callWebhooksDelegate")
class CallWebhooksDelegate implements JavaDelegate {

  private final WebhookService webhooks;

  CallWebhooksDelegate(WebhookService webhooks) {
    this.webhooks = webhooks;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Occasion occasion = Steps.occasion(execution);
    webhooks.deliver(occasion, Steps.requestId(execution), Steps.key(execution));
  }
}
