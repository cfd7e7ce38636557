package io.customerlockbox.policy;

import io.customerlockbox.LockboxProperties;
import io.customerlockbox.Refusal;
import io.customerlockbox.Times;
import io.customerlockbox.audit.AuditEventType;
import io.customerlockbox.audit.AuditTrail;
import io.customerlockbox.audit.RetentionDays;
import io.customerlockbox.security.Groups;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Tenant;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Tenants, their environments and their lockbox policy. */
@Service
public class PolicyService implements RetentionDays {

  private final PolicyRepository repository;
  private final IdentityService identityService;
  private final AuditTrail audit;

  private final LockboxProperties properties;

  PolicyService(PolicyRepository repository, IdentityService identityService, AuditTrail audit,
      LockboxProperties properties) {
    this.repository = repository;
    this.identityService = identityService;
    this.audit = audit;
    this.properties = properties;
  }

  /** A customer tenant is both a row of ours and a Camunda tenant, so Tasklist isolates it too. */
  @Transactional
  public void createTenant(String id, String name) {
    if (!repository.tenantExists(id)) {
      repository.insertTenant(id, name);
    }
    if (identityService.createTenantQuery().tenantId(id).count() == 0) {
      Tenant tenant = identityService.newTenant(id);
      tenant.setName(name);
      identityService.saveTenant(tenant);
    }
  }

  public boolean tenantExists(String tenantId) {
    return repository.tenantExists(tenantId);
  }

  public Optional<Environment> environment(String environmentId) {
    return repository.environment(environmentId);
  }

  /** Every tenant (id to name, by name) and every environment: what provider staff pick from. */
  public Map<String, String> tenantNames() {
    return repository.tenantNames();
  }

  public List<Environment> allEnvironments() {
    return repository.allEnvironments();
  }

  public List<Environment> environments(String tenantId) {
    requireTenant(tenantId);
    return repository.environments(tenantId);
  }

  /** A tenant without a saved policy is unprotected until its admins enable one. */
  public LockboxPolicy policy(String tenantId) {
    // A saved policy's row references its tenant: only without one is the tenant looked up.
    return repository.policy(tenantId).orElseGet(() -> {
      requireTenant(tenantId);
      return new LockboxPolicy(tenantId, false, PolicyScope.ALL_MANAGED, List.of(), null, null);
    });
  }

  @Transactional
  public LockboxPolicy updatePolicy(String tenantId, PolicyUpdate update, String by) {
    LockboxPolicy before = policy(tenantId);
    List<String> selected = update.environmentIds() == null ? List.of()
        : update.environmentIds().stream().distinct().sorted().toList();
    if (update.scope() == PolicyScope.SELECTED && selected.isEmpty()) {
      throw Refusal.invalid("environmentIds", "environmentIds: list at least one environment for scope SELECTED");
    }
    if (update.scope() != PolicyScope.SELECTED && !selected.isEmpty()) {
      throw Refusal.invalid("environmentIds", "environmentIds: only scope SELECTED takes a list of environments");
    }
    for (String environmentId : selected) {
      boolean ours = repository.environment(environmentId).map(e -> e.tenantId().equals(tenantId)).orElse(false);
      if (!ours) {
        throw Refusal.invalid("environmentIds",
            "environmentIds: no environment " + environmentId + " in tenant " + tenantId);
      }
    }
    String escalationGroup = escalationGroup(update.escalationGroup());
    int maxExtensions = update.maxExtensions() == null ? before.maxExtensions() : update.maxExtensions();
    repository.savePolicy(tenantId, update.enabled(), update.scope(), selected, maxExtensions, Times.now(), by);
    repository.saveRevokeAndEscalation(tenantId, update.mayRevoke(), escalationGroup);
    LockboxPolicy after = policy(tenantId);
    audit.record(AuditTrail.Entry.of(AuditEventType.POLICY_CHANGED, tenantId, null, by,
        "before: " + describe(before) + "; after: " + describe(after)), null);
    return after;
  }

  @Transactional
  public Environment addEnvironment(String tenantId, NewEnvironment environment, String by) {
    requireTenant(tenantId);
    if (repository.environment(environment.id()).isPresent()) {
      throw Refusal.conflict("Environment " + environment.id() + " already exists");
    }
    Environment created = new Environment(environment.id(), tenantId, environment.name(), environment.managed(),
        environment.tier());
    repository.insertEnvironment(created);
    audit.record(AuditTrail.Entry.of(AuditEventType.ENVIRONMENT_CHANGED, tenantId, created.id(), by,
        "added " + (created.managed() ? "managed" : "unmanaged") + " environment " + created.name()
            + (created.tier() == null ? "" : " (tier " + created.tier() + ")")), null);
    return created;
  }

  /** How long the tenant's audit events are kept: its own setting, or the deployment's default. */
  public AuditRetention auditRetention(String tenantId) {
    requireTenant(tenantId);
    Integer own = repository.auditRetentionDays(tenantId);
    int byDefault = properties.audit().defaultRetentionDays();
    return new AuditRetention(tenantId, own == null ? byDefault : own, own == null, byDefault,
        AuditRetention.MAX_DAYS);
  }

  @Override
  public int retentionDays(String tenantId) {
    return auditRetention(tenantId).days();
  }

  /**
   * Tenants extend their retention (as Microsoft's Customer Lockbox offers, as an add-on), never shorten it below the
   * deployment's default: a shorter one would let an admin purge the evidence of their own changes.
   */
  @Transactional
  public AuditRetention updateAuditRetention(String tenantId, int days, String by) {
    AuditRetention before = auditRetention(tenantId);
    if (days < before.defaultDays() || days > AuditRetention.MAX_DAYS) {
      throw Refusal.invalid("days", "days: must be between " + before.defaultDays() + " and "
          + AuditRetention.MAX_DAYS);
    }
    repository.saveAuditRetentionDays(tenantId, days);
    audit.record(AuditTrail.Entry.of(AuditEventType.AUDIT_RETENTION_CHANGED, tenantId, null, by,
        "audit events kept before: " + before.days() + " days; after: " + days + " days"), null);
    return auditRetention(tenantId);
  }

  /**
   * A group the tenant names for escalations: one that exists, and none of the provider's own (its
   * members would read the customer's requests). Only its members in the tenant are told.
   */
  private String escalationGroup(String groupId) {
    if (groupId == null) {
      return null;
    }
    if (Groups.PROVIDER_SIDE.contains(groupId)) {
      throw Refusal.invalid("escalationGroup", "escalationGroup: " + groupId
          + " is a group of the provider; name a group of your organization");
    }
    if (identityService.createGroupQuery().groupId(groupId).count() == 0) {
      throw Refusal.invalid("escalationGroup", "escalationGroup: no group " + groupId);
    }
    return groupId;
  }

  /** Whether the tenant lets its approvers and admins end active access at once. */
  public boolean customerMayRevoke(String tenantId) {
    return policy(tenantId).customerMayRevoke();
  }

  /** Whether a request for this environment needs the customer's approval, and why. */
  public LockboxGate lockboxGate(String tenantId, String environmentId) {
    Environment environment = repository.environment(environmentId)
        .filter(e -> Objects.equals(e.tenantId(), tenantId))
        .orElseThrow(() -> new IllegalStateException("No environment " + environmentId + " in tenant " + tenantId));
    LockboxPolicy policy = policy(tenantId);
    return new LockboxGate(policy.protects(environment), policy.explain(environment));
  }

  public record LockboxGate(boolean required, String reason) {}

  private void requireTenant(String tenantId) {
    if (!repository.tenantExists(tenantId)) {
      throw Refusal.notFound("No tenant " + tenantId);
    }
  }

  private static String describe(LockboxPolicy policy) {
    return (policy.enabled() ? "enabled" : "disabled") + " " + policy.scope()
        + (policy.environmentIds().isEmpty() ? "" : " " + policy.environmentIds())
        + (policy.customerMayRevoke() ? ", approvers may revoke access" : "")
        + (policy.escalationGroup() == null ? "" : ", escalations also to " + policy.escalationGroup())
        + ", at most " + policy.maxExtensions() + " extension(s) of an access";
  }
}
