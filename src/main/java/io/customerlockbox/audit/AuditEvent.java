package io.customerlockbox.audit;

import java.time.Instant;

/**
 * One step of the trail. {@code actor} is null for what the system did on its own; {@code clientIp}
 * is where a person acted from. {@code chainSeq}, {@code prevHash} and {@code hash} place the event
 * in its tenant's hash chain (see {@link AuditHash}).
 */
public record AuditEvent(
    String id, long chainSeq, Instant occurredAt, String tenantId, String environmentId, String requestId,
    AuditEventType type, String actor, ActorKind actorKind, String requestStatus, String supportTicketId,
    Instant requestExpiresAt, Instant accessExpiresAt, String justification, String comment, String clientIp,
    String detail, String prevHash, String hash) {

  public enum ActorKind { USER, SYSTEM }

  /** Events without a tenant form their own chain; "#" is never part of a Camunda tenant id. */
  public static final String SYSTEM_CHAIN = "#system";

  public String chainId() {
    return chainOf(tenantId);
  }

  public static String chainOf(String tenantId) {
    return tenantId == null ? SYSTEM_CHAIN : tenantId;
  }

  AuditEvent withHash(String newHash) {
    return new AuditEvent(id, chainSeq, occurredAt, tenantId, environmentId, requestId, type, actor, actorKind,
        requestStatus, supportTicketId, requestExpiresAt, accessExpiresAt, justification, comment, clientIp, detail,
        prevHash, newHash);
  }
}
