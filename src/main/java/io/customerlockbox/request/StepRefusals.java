package io.customerlockbox.request;

import io.customerlockbox.audit.AuditEventType;
import io.customerlockbox.audit.AuditTrail;
import io.customerlockbox.request.RequestStateMachine.Step;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The security event a refused step leaves behind. The step itself rolls back (its job fails into
 * an incident, or its caller gets the refusal); this event is written in a transaction of its own,
 * so it survives that rollback: an audit event naming the request and who tried (GRANT_REFUSED for
 * a grant, STEP_REFUSED for any other step), a metric and an error log line.
 */
@Component
class StepRefusals {

  private static final Logger LOG = LoggerFactory.getLogger(StepRefusals.class);
  static final String METRIC = "lockbox.steps.refused";

  private final AccessRequestRepository repository;
  private final AuditTrail audit;
  private final MeterRegistry meters;

  StepRefusals(AccessRequestRepository repository, AuditTrail audit, MeterRegistry meters) {
    this.repository = repository;
    this.audit = audit;
    this.meters = meters;
  }

  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void record(StepContext step, Step refused, String reason) {
    String who = step.actor() == null ? "the engine's job executor" : step.actor();
    LOG.error("SECURITY: step {} of access request {} refused (instance {}, tried by {}): {}", refused,
        step.requestId(), step.processInstanceId(), who, reason);
    meters.counter(METRIC, "step", refused.name()).increment();
    AuditEventType type = refused == Step.GRANT ? AuditEventType.GRANT_REFUSED : AuditEventType.STEP_REFUSED;
    String detail = abbreviate(refused + " refused: " + reason + " (instance " + step.processInstanceId()
        + ", tried by " + who + ")");
    AuditTrail.Entry entry = repository.find(step.requestId())
        .map(request -> repository.auditFacts(request.id()).entry(type, step.actor(), null, detail, null))
        .orElseGet(() -> AuditTrail.Entry.of(type, null, null, step.actor(), detail));
    audit.record(entry, null);
  }

  private static String abbreviate(String text) {
    return text.length() <= 2000 ? text : text.substring(0, 1997) + "...";
  }
}
