package io.customerlockbox.audit;

import java.time.Instant;

/** One step of the trail. {@code actor} is null for what the system did on its own. */
public record AuditEvent(
    String id, Instant occurredAt, String tenantId, String environmentId, String requestId,
    AuditEventType type, String actor, ActorKind actorKind, String requestStatus, String detail) {

  public enum ActorKind { USER, SYSTEM }
}
