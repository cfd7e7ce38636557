package io.customerlockbox.process;

import io.customerlockbox.audit.AuditPurge;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Removes audit events past their tenant's retention; the model's timer says when. */
@Component("auditPurgeDelegate")
class AuditPurgeDelegate implements JavaDelegate {

  private final AuditPurge purge;

  AuditPurgeDelegate(AuditPurge purge) {
    this.purge = purge;
  }

  @Override
  public void execute(DelegateExecution execution) {
    long removed = purge.purge(Steps.key(execution)).stream().mapToLong(AuditPurge.Purged::events).sum();
    execution.setVariable(ProcessModel.PURGED_EVENTS, removed);
  }
}
