package io.customerlockbox.reliability;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.TreeMap;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the database says happened, counted: the reliability tests wait only until the nodes
 * have nothing left to do, never until the outcome they expect, then count here what is missing
 * and what happened twice, so a loss shows as a number instead of a timeout. Duplicates are
 * counted where the schema does not forbid them: the engine's activity history and job log, and
 * the audit trail's and grants' rows per request.
 */
final class Ledger {

  private final JdbcTemplate jdbc;

  Ledger(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Waits until no job runs and none is due on the engine's clock: what is left waits for a
   * timer, or for a retry's back-off, or is out of retries. It requires nothing about outcomes.
   */
  void awaitIdle(Duration patience) {
    await().atMost(patience).until(() -> busyJobs() == 0);
  }

  /** Jobs locked by a node now, or due and left to try. */
  int busyJobs() {
    Date now = ClockUtil.getCurrentTime();
    return count("select count(*) from act_ru_job where lock_exp_time_ > ? or (retries_ > 0 "
        + "and suspension_state_ = 1 and (duedate_ is null or duedate_ <= ?))", now, now);
  }

  /** How many of {@code ids} are not (yet) in {@code status}: what is missing. */
  int shortOf(Collection<String> ids, String status) {
    return (int) ids.stream().filter(id -> !status.equals(status(id))).count();
  }

  String status(String requestId) {
    return jdbc.queryForObject("select status from access_request where id = ?", String.class, requestId);
  }

  /** Requests of {@code ids} by status. */
  Map<String, Integer> statuses(Collection<String> ids) {
    Map<String, Integer> byStatus = new TreeMap<>();
    ids.forEach(id -> byStatus.merge(status(id), 1, Integer::sum));
    return byStatus;
  }

  /** How often activity {@code activityId} ran (ended) for requests {@code ids}, by the engine's history. */
  int ran(Collection<String> ids, String activityId) {
    return ids.stream().mapToInt(id -> ran(id, activityId)).sum();
  }

  /** Runs beyond the first of each of {@code activityIds} per request of the tenant, by the engine's history. */
  int repeatedActivities(String tenantId, String... activityIds) {
    String in = String.join(", ", java.util.Collections.nCopies(activityIds.length, "?"));
    Object[] args = new Object[activityIds.length + 1];
    args[0] = tenantId;
    System.arraycopy(activityIds, 0, args, 1, activityIds.length);
    return count("select coalesce(sum(n - 1), 0) from (select count(*) n from act_hi_actinst a join access_request r "
        + "on r.process_instance_id = a.proc_inst_id_ where r.tenant_id = ? and a.end_time_ is not null and a.act_id_ in ("
        + in + ") group by a.proc_inst_id_, a.act_id_ having count(*) > 1) d", args);
  }

  /**
   * Successful executions beyond the first of one job, by the engine's job log, for the tenant's
   * requests and the notifications they started (business key: the request id).
   */
  int repeatedJobRuns(String tenantId) {
    return count("select coalesce(sum(n - 1), 0) from (select count(*) n from act_hi_job_log l "
        + "join act_hi_procinst p on p.proc_inst_id_ = l.process_instance_id_ join access_request r "
        + "on r.id = p.business_key_ where r.tenant_id = ? and l.job_state_ = 2 group by l.job_id_ "
        + "having count(*) > 1) d", tenantId);
  }

  /** Jobs of the tenant's requests that lost a race and were tried again, by the engine's job log. */
  int collisions(String tenantId) {
    return count("select count(*) from act_hi_job_log l join act_hi_procinst p on p.proc_inst_id_ = "
        + "l.process_instance_id_ join access_request r on r.id = p.business_key_ where r.tenant_id = ? "
        + "and l.job_state_ = 1 and (l.job_exception_msg_ like '%ENGINE-03005%' or lower(l.job_exception_msg_) like '%deadlock%')",
        tenantId);
  }

  /** Audit events beyond the first of each step of a request: in these flows no step repeats. */
  int repeatedAuditEvents(String tenantId) {
    return count("select coalesce(sum(n - 1), 0) from (select count(*) n from audit_event where tenant_id = ? "
        + "and request_id is not null group by request_id, event_type, detail having count(*) > 1) d", tenantId);
  }

  /** Grants beyond the first per request. */
  int repeatedGrants(String tenantId) {
    return count("select coalesce(sum(n - 1), 0) from (select count(*) n from access_grant where tenant_id = ? "
        + "group by access_request_id having count(*) > 1) d", tenantId);
  }

  /** What was missing and what was extra against an expected number per request: neither cancels the other. */
  record Tally(int missing, int extra) {

    Tally plus(Tally other) {
      return new Tally(missing + other.missing, extra + other.extra);
    }
  }

  /** Each of {@code ids} should count {@code expected} by {@code counted}: the shortfalls and the excesses, apart. */
  static Tally expectEach(Collection<String> ids, int expected, java.util.function.ToIntFunction<String> counted) {
    int missing = 0;
    int extra = 0;
    for (String id : ids) {
      int n = counted.applyAsInt(id);
      missing += Math.max(0, expected - n);
      extra += Math.max(0, n - expected);
    }
    return new Tally(missing, extra);
  }

  /** Runs of {@code activityId} for request {@code id}, by the engine's history. */
  int ran(String id, String activityId) {
    return count("select count(*) from act_hi_actinst a join access_request r on r.process_instance_id = "
        + "a.proc_inst_id_ where r.id = ? and a.act_id_ = ? and a.end_time_ is not null", id, activityId);
  }

  int auditEvents(String id, String type) {
    return count("select count(*) from audit_event where request_id = ? and event_type = ?", id, type);
  }

  int grants(String id) {
    return count("select count(*) from access_grant where access_request_id = ?", id);
  }

  /** 1 when request {@code id} is in {@code status}, else 0. */
  int inStatus(String id, String status) {
    return status.equals(status(id)) ? 1 : 0;
  }

  int count(String sql, Object... args) {
    return jdbc.queryForObject(sql, Integer.class, args);
  }
}
