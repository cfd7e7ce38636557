package io.customerlockbox.policy;

import static io.customerlockbox.Times.instant;
import static io.customerlockbox.Times.utc;

import io.customerlockbox.ThisTransaction;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;

@Repository
class PolicyRepository {

  private final JdbcClient jdbc;

  PolicyRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  boolean tenantExists(String tenantId) {
    return jdbc.sql("select count(*) from tenant where id = ?").param(tenantId).query(Integer.class).single() > 0;
  }

  void insertTenant(String id, String name) {
    jdbc.sql("insert into tenant (id, name) values (?, ?)").params(id, name).update();
  }

  /**
   * An environment, read once per transaction: environments are added and never changed or
   * removed, and the steps of one transaction (the approval rules' six inputs, the lockbox gate,
   * the task's headline) each ask for it. One not found is looked for again.
   */
  Optional<Environment> environment(String id) {
    EnvironmentsRead read = ThisTransaction.keeps(EnvironmentsRead.class, any -> true, EnvironmentsRead::new);
    Environment found = read == null ? null : read.environments.get(id);
    if (found != null) {
      return Optional.of(found);
    }
    Optional<Environment> environment = jdbc.sql(
            "select id, tenant_id, name, managed, tier from environment where id = ?")
        .param(id)
        .query((rs, n) -> new Environment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getString(5)))
        .optional();
    if (read != null) {
      environment.ifPresent(e -> read.environments.put(id, e));
    }
    return environment;
  }

  /** The environments this transaction read. */
  private static final class EnvironmentsRead implements TransactionSynchronization {
    private final Map<String, Environment> environments = new HashMap<>();
  }

  List<Environment> environments(String tenantId) {
    return jdbc.sql("select id, tenant_id, name, managed, tier from environment where tenant_id = ? order by id")
        .param(tenantId)
        .query((rs, n) -> new Environment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getString(5)))
        .list();
  }

  /** Every tenant's id and name, by name. */
  Map<String, String> tenantNames() {
    Map<String, String> names = new LinkedHashMap<>();
    jdbc.sql("select id, name from tenant order by name, id")
        .query(rs -> {
          names.put(rs.getString(1), rs.getString(2));
        });
    return names;
  }

  List<Environment> allEnvironments() {
    return jdbc.sql("select id, tenant_id, name, managed, tier from environment order by tenant_id, name, id")
        .query((rs, n) -> new Environment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getString(5)))
        .list();
  }

  void insertEnvironment(Environment environment) {
    jdbc.sql("insert into environment (id, tenant_id, name, managed, tier) values (?, ?, ?, ?, ?)")
        .params(environment.id(), environment.tenantId(), environment.name(), environment.managed(), environment.tier())
        .update();
  }

  Optional<LockboxPolicy> policy(String tenantId) {
    List<String> selected = jdbc.sql(
            "select environment_id from lockbox_policy_environment where tenant_id = ? order by environment_id")
        .param(tenantId)
        .query(String.class)
        .list();
    return jdbc.sql("select enabled, scope, updated_at, updated_by, customer_may_revoke, escalation_group, "
            + "max_extensions from lockbox_policy where tenant_id = ?")
        .param(tenantId)
        .query((rs, n) -> new LockboxPolicy(tenantId, rs.getBoolean(1), PolicyScope.valueOf(rs.getString(2)),
            selected, instant(rs.getObject(3, OffsetDateTime.class)), rs.getString(4), rs.getBoolean(5),
            rs.getString(6), rs.getInt(7)))
        .optional();
  }

  void savePolicy(String tenantId, boolean enabled, PolicyScope scope, List<String> environmentIds,
      int maxExtensions, Instant now, String by) {
    int updated = jdbc.sql("update lockbox_policy set enabled = ?, scope = ?, updated_at = ?, updated_by = ?, "
            + "max_extensions = ? where tenant_id = ?")
        .params(enabled, scope.name(), utc(now), by, maxExtensions, tenantId)
        .update();
    if (updated == 0) {
      jdbc.sql("insert into lockbox_policy (tenant_id, enabled, scope, updated_at, updated_by, max_extensions) "
              + "values (?, ?, ?, ?, ?, ?)")
          .params(tenantId, enabled, scope.name(), utc(now), by, maxExtensions)
          .update();
    }
    jdbc.sql("delete from lockbox_policy_environment where tenant_id = ?").param(tenantId).update();
    for (String environmentId : environmentIds) {
      jdbc.sql("insert into lockbox_policy_environment (tenant_id, environment_id) values (?, ?)")
          .params(tenantId, environmentId)
          .update();
    }
  }

  /** The customer's revoke switch and escalation group, beside the policy {@link #savePolicy} saved. */
  void saveRevokeAndEscalation(String tenantId, boolean customerMayRevoke, String escalationGroup) {
    jdbc.sql("update lockbox_policy set customer_may_revoke = ?, escalation_group = ? where tenant_id = ?")
        .params(customerMayRevoke, escalationGroup, tenantId)
        .update();
  }

  /** The tenant's own retention, null when it keeps the deployment's default. */
  Integer auditRetentionDays(String tenantId) {
    return jdbc.sql("select audit_retention_days from tenant where id = ?")
        .param(tenantId)
        .query((rs, n) -> (Integer) rs.getObject(1, Integer.class))
        .optional()
        .orElse(null);
  }

  void saveAuditRetentionDays(String tenantId, int days) {
    jdbc.sql("update tenant set audit_retention_days = ? where id = ?").params(days, tenantId).update();
  }
}
