package io.customerlockbox.request;

import io.customerlockbox.StepRefused;
import static io.customerlockbox.Times.instant;
import static io.customerlockbox.Times.utc;

import io.customerlockbox.Times;
import io.customerlockbox.audit.AuditEventType;
import io.customerlockbox.audit.AuditTrail;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** access_request and lockbox_request rows. */
@Repository
class AccessRequestRepository {

  private static final String REQUEST_COLUMNS = "id, tenant_id, environment_id, support_ticket_id, justification, "
      + "access_level, isolated_identity, mfa_verified, break_glass, incident_id, requested_by, requested_at, status, "
      + "status_reason, process_instance_id, jit_outcome, internal_decided_by, internal_decided_at, internal_comment";
  private static final String QUALIFIED_REQUEST_COLUMNS = "r." + REQUEST_COLUMNS.replace(", ", ", r.");
  private static final String LOCKBOX_COLUMNS = "id, access_request_id, tenant_id, status, requested_at, expires_at, "
      + "access_period, decided_by, decided_at, comment, approvals_required, approver_groups, purpose, justification";
  /**
   * An access request's lockbox requests oldest first: the one that asked for the access, then its
   * extensions as they were asked (one is open at a time, so of two asked in the same instant the
   * decided one is older).
   */
  private static final String OLDEST_FIRST = "case when purpose = 'ACCESS' then 0 else 1 end, requested_at, "
      + "decided_at nulls last, id";
  private static final String NEWEST_FIRST = newestFirst("");

  private static String newestFirst(String alias) {
    return "case when " + alias + "purpose = 'ACCESS' then 0 else 1 end desc, " + alias + "requested_at desc, "
        + alias + "decided_at desc nulls first, " + alias + "id desc";
  }

  private final JdbcClient jdbc;

  AccessRequestRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** {@code breakGlassMember}: whether the person filing was in break-glass as they filed. */
  void insert(AccessRequest r, boolean breakGlassMember) {
    jdbc.sql("insert into access_request (" + REQUEST_COLUMNS + ", break_glass_member) "
            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(r.id(), r.tenantId(), r.environmentId(), r.supportTicketId(), r.justification(), r.accessLevel().name(),
            r.isolatedIdentity(), r.mfaVerified(), r.breakGlass(), r.incidentId(), r.requestedBy(), utc(r.requestedAt()),
            r.status().name(), r.statusReason(), r.processInstanceId(), r.jitOutcome(), r.internalDecidedBy(),
            utc(r.internalDecidedAt()), r.internalComment(), breakGlassMember)
        .update();
  }

  /**
   * Binds the request to the process instance that works for it, once: answers false when the
   * request is bound already (or does not exist), so a second instance cannot claim it.
   */
  boolean bindProcessInstance(String id, String processInstanceId) {
    changed(id);
    return jdbc.sql("update access_request set process_instance_id = ? where id = ? and process_instance_id is null")
        .params(processInstanceId, id).update() == 1;
  }


  /** The request as it is now; read once per transaction while this transaction holds its lock ({@link #lock}). */
  Optional<AccessRequest> find(String id) {
    LockedRequests locked = LockedRequests.ifAnyLocked();
    return locked != null && locked.holds(id) ? whileLocked(locked, id) : read(id, "");
  }

  /**
   * Locks the request's row until the transaction ends and answers the request as it is then.
   * Every step and API call that changes a request takes this lock first, so two of them (an
   * approval and the expiry timer, a release and the revoke timer, two approvers) take turns in
   * one order instead of deadlocking, and the second sees what the first did.
   */
  Optional<AccessRequest> lock(String id) {
    LockedRequests locked = LockedRequests.ofThisTransaction();
    if (locked == null) {
      return read(id, " for update");
    }
    // Locked once, the row stays locked (and as this transaction left it) until the transaction ends.
    return locked.holds(id) ? whileLocked(locked, id) : locked.lock(id, read(id, " for update"));
  }

  /** A request this transaction holds the lock of: as last read, or read again after a write of its own. */
  private Optional<AccessRequest> whileLocked(LockedRequests locked, String id) {
    return locked.read(id, () -> read(id, ""));
  }

  private Optional<AccessRequest> read(String id, String forUpdate) {
    return jdbc.sql("select " + REQUEST_COLUMNS + " from access_request where id = ?" + forUpdate)
        .param(id).query(AccessRequestRepository::mapRequest).optional();
  }

  /** After a write of request {@code id} in this transaction: the next read reads the row again. */
  private static void changed(String id) {
    LockedRequests locked = LockedRequests.ifAnyLocked();
    if (locked != null) {
      locked.forget(id);
    }
  }

  AccessRequest get(String id) {
    return find(id).orElseThrow(() -> new IllegalStateException("No access request " + id));
  }

  /** A request with its customer's deadline and its access's end: what each of its audit events carries. */
  record AuditFacts(AccessRequest request, Instant requestExpiresAt, Instant accessExpiresAt) {

    AuditTrail.Entry entry(AuditEventType type, String actor, String comment, String detail, String clientIp) {
      return new AuditTrail.Entry(type, request.tenantId(), request.environmentId(), request.id(), actor,
          request.status().name(), request.supportTicketId(), requestExpiresAt, accessExpiresAt,
          request.justification(), comment, clientIp, detail);
    }
  }

  /** Read in one statement: every step records an audit event, and the benchmark counts these reads. */
  AuditFacts auditFacts(String id) {
    // The latest lockbox request's deadline as a scalar subquery on the one row found: as a join
    // condition (l.id = (select ...)), PostgreSQL read every lockbox request of every tenant per step.
    return jdbc.sql("select " + QUALIFIED_REQUEST_COLUMNS + ", (select x.expires_at from lockbox_request x "
            + "where x.access_request_id = r.id order by " + NEWEST_FIRST + " fetch first 1 rows only), g.expires_at "
            + "from access_request r left join access_grant g on g.access_request_id = r.id where r.id = ?")
        .param(id)
        .query((rs, n) -> new AuditFacts(mapRequest(rs, n), instant(rs.getObject(20, OffsetDateTime.class)),
            instant(rs.getObject(21, OffsetDateTime.class))))
        .optional()
        .orElseThrow(() -> new IllegalStateException("No access request " + id));
  }

  /** Lists newest first; null filters match everything. */
  List<AccessRequest> list(AccessRequestStatus status, String tenantId, String requestedBy, int limit) {
    StringBuilder sql = new StringBuilder("select " + REQUEST_COLUMNS + " from access_request where 1 = 1");
    List<Object> params = new ArrayList<>();
    if (status != null) {
      sql.append(" and status = ?");
      params.add(status.name());
    }
    if (tenantId != null) {
      sql.append(" and tenant_id = ?");
      params.add(tenantId);
    }
    if (requestedBy != null) {
      sql.append(" and requested_by = ?");
      params.add(requestedBy);
    }
    sql.append(" order by requested_at desc, id fetch first ").append(limit).append(" rows only");
    return jdbc.sql(sql.toString()).params(params).query(AccessRequestRepository::mapRequest).list();
  }

  /**
   * Moves a request to {@code to}, but only from one of {@code from}; answers whether it moved, so
   * two racing steps cannot both win.
   */
  boolean transition(String id, AccessRequestStatus to, String reason, AccessRequestStatus... from) {
    changed(id);
    StringBuilder sql = new StringBuilder("update access_request set status = ?, status_reason = coalesce(?, status_reason) where id = ? and status in (");
    List<Object> params = new ArrayList<>(List.of(to.name()));
    params.add(reason);
    params.add(id);
    for (int i = 0; i < from.length; i++) {
      sql.append(i == 0 ? "?" : ", ?");
      params.add(from[i].name());
    }
    sql.append(")");
    return jdbc.sql(sql.toString()).params(params).update() == 1;
  }

  void recordJitOutcome(String id, String outcome) {
    changed(id);
    jdbc.sql("update access_request set jit_outcome = ? where id = ?").params(outcome, id).update();
  }

  void recordInternalDecision(String id, Decision decision, String decidedBy, String decidedAs, String comment) {
    changed(id);
    jdbc.sql("update access_request set internal_decision = ?, internal_decided_by = ?, internal_decided_as = ?, "
            + "internal_decided_at = ?, internal_comment = ? where id = ?")
        .params(decision.name(), decidedBy, decidedAs, utc(Times.now()), comment, id).update();
  }

  /** The lockbox gate's answer, as the domain took it from the policy at gate time. */
  void recordLockboxGate(String id, boolean required, String reason) {
    changed(id);
    jdbc.sql("update access_request set lockbox_gate = ?, lockbox_gate_reason = ?, lockbox_gate_at = ? where id = ?")
        .params(required ? Evidence.GATE_REQUIRED : Evidence.GATE_NOT_REQUIRED, reason, utc(Times.now()), id).update();
  }

  /**
   * What the domain recorded about a request that a grant may rest on (its lockbox request is the
   * one that asked for the access; extensions are read with {@link #lockboxesOf}), read in one
   * statement, and that lockbox request's approvals in a second (see {@link GrantBases}).
   */
  record Evidence(boolean breakGlassMember, String internalDecision, String internalDecidedBy,
      String internalDecidedAs, Instant internalDecidedAt, String lockboxGate, String lockboxGateReason,
      Instant lockboxGateAt, LockboxRequest lockbox, List<LockboxApproval> approvals) {
    static final String GATE_REQUIRED = "REQUIRED";
    static final String GATE_NOT_REQUIRED = "NOT_REQUIRED";
  }

  Evidence evidence(String id) {
    Evidence recorded = jdbc.sql("select r.break_glass_member, r.internal_decision, r.internal_decided_by, r.internal_decided_as, "
            + "r.internal_decided_at, r.lockbox_gate, r.lockbox_gate_reason, r.lockbox_gate_at, "
            + "l." + LOCKBOX_COLUMNS.replace(", ", ", l.") + " from access_request r "
            + "left join lockbox_request l on l.access_request_id = r.id and l.purpose = 'ACCESS' where r.id = ?")
        .param(id)
        .query((rs, n) -> new Evidence(rs.getBoolean(1), rs.getString(2), rs.getString(3), rs.getString(4),
            instant(rs.getObject(5, OffsetDateTime.class)), rs.getString(6), rs.getString(7),
            instant(rs.getObject(8, OffsetDateTime.class)),
            rs.getString(9) == null ? null : lockboxAt(rs, 9), List.of()))
        .optional()
        .orElseThrow(() -> new StepRefused("No access request " + id));
    if (recorded.lockbox() == null) {
      return recorded;
    }
    return new Evidence(recorded.breakGlassMember(), recorded.internalDecision(), recorded.internalDecidedBy(),
        recorded.internalDecidedAs(), recorded.internalDecidedAt(), recorded.lockboxGate(),
        recorded.lockboxGateReason(), recorded.lockboxGateAt(), recorded.lockbox(),
        approvals(recorded.lockbox().id()));
  }

  /** The support lead's decision as recorded (null before one): what the model's gateway asks, and no more. */
  String internalDecision(String id) {
    return jdbc.sql("select internal_decision from access_request where id = ?").param(id).query(String.class)
        .optional().orElse(null);
  }

  /** The lockbox request that asked for the access (not an extension), without its approvals. */
  Optional<LockboxRequest> accessLockboxOf(String accessRequestId) {
    return jdbc.sql("select " + LOCKBOX_COLUMNS + " from lockbox_request where access_request_id = ? "
            + "and purpose = 'ACCESS'")
        .param(accessRequestId).query(AccessRequestRepository::mapLockbox).optional();
  }

  void insertRevocation(CustomerRevocation r) {
    jdbc.sql("insert into customer_revocation (access_request_id, revoked_by, revoked_as, revoked_at, comment) "
            + "values (?, ?, ?, ?, ?)")
        .params(r.accessRequestId(), r.revokedBy(), r.revokedAs(), utc(r.revokedAt()), r.comment())
        .update();
  }

  Optional<CustomerRevocation> revocation(String accessRequestId) {
    return jdbc.sql("select revoked_by, revoked_as, revoked_at, comment from customer_revocation "
            + "where access_request_id = ?")
        .param(accessRequestId)
        .query((rs, n) -> new CustomerRevocation(accessRequestId, rs.getString(1), rs.getString(2),
            instant(rs.getObject(3, OffsetDateTime.class)), rs.getString(4)))
        .optional();
  }

  void insertLockbox(LockboxRequest l) {
    jdbc.sql("insert into lockbox_request (" + LOCKBOX_COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(l.id(), l.accessRequestId(), l.tenantId(), l.status().name(), utc(l.requestedAt()), utc(l.expiresAt()),
            l.accessPeriod(), l.decidedBy(), utc(l.decidedAt()), l.comment(), l.approvalsRequired(),
            l.rule().groupsText(), l.purpose().name(), l.justification())
        .update();
  }

  /**
   * Records on lockbox request {@code lockboxId}, still open, what the approval rules decided for
   * it (an extension is asked for through the API before the model evaluates the rules for it).
   */
  boolean recordRule(String lockboxId, ApprovalRule rule) {
    return jdbc.sql("update lockbox_request set approvals_required = ?, approver_groups = ? where id = ? and status = ?")
        .params(rule.approvalsRequired(), rule.groupsText(), lockboxId, LockboxStatus.ACTION_NEEDED.name())
        .update() == 1;
  }

  /** The approvals of lockbox request {@code lockboxId}, oldest first: one per person. */
  List<LockboxApproval> approvals(String lockboxId) {
    return jdbc.sql("select approver, approved_at, comment, decided_as from lockbox_approval "
            + "where lockbox_request_id = ? order by approved_at, approver")
        .param(lockboxId)
        .query((rs, n) -> new LockboxApproval(rs.getString(1), instant(rs.getObject(2, OffsetDateTime.class)),
            rs.getString(3), rs.getString(4)))
        .list();
  }

  /** Records {@code approver}'s approval; the caller checked that they have not approved it yet. */
  void addApproval(String lockboxId, String approver, String decidedAs, String comment) {
    jdbc.sql("insert into lockbox_approval (lockbox_request_id, approver, decided_as, approved_at, comment) "
            + "values (?, ?, ?, ?, ?)")
        .params(lockboxId, approver, decidedAs, utc(Times.now()), comment)
        .update();
  }

  Optional<LockboxRequest> findLockbox(String id) {
    return jdbc.sql("select " + LOCKBOX_COLUMNS + " from lockbox_request where id = ?")
        .param(id).query(AccessRequestRepository::mapLockbox).optional();
  }

  /** The request's latest lockbox request: the open one, if one is open (one is open at a time). */
  Optional<LockboxRequest> lockboxOf(String accessRequestId) {
    return jdbc.sql("select " + LOCKBOX_COLUMNS + " from lockbox_request where access_request_id = ? order by "
            + NEWEST_FIRST + " fetch first 1 rows only")
        .param(accessRequestId).query(AccessRequestRepository::mapLockbox).optional();
  }

  /** Read in one statement: every notification shows all three. */
  Optional<AccessRequestWithLockbox> withLatestLockbox(String accessRequestId) {
    return jdbc.sql("select " + QUALIFIED_REQUEST_COLUMNS + ", l." + LOCKBOX_COLUMNS.replace(", ", ", l.")
            + ", (select count(*) from lockbox_approval a where a.lockbox_request_id = l.id) from access_request r "
            + "left join lockbox_request l on l.access_request_id = r.id where r.id = ? order by " + newestFirst("l.")
            + " fetch first 1 rows only")
        .param(accessRequestId)
        .query((rs, n) -> new AccessRequestWithLockbox(mapRequest(rs, n),
            rs.getString(20) == null ? null : lockboxAt(rs, 20), rs.getInt(34)))
        .optional();
  }

  /** All of the request's lockbox requests, oldest first. */
  List<LockboxRequest> lockboxesOf(String accessRequestId) {
    return jdbc.sql("select " + LOCKBOX_COLUMNS + " from lockbox_request where access_request_id = ? order by "
            + OLDEST_FIRST)
        .param(accessRequestId).query(AccessRequestRepository::mapLockbox).list();
  }

  /** When the approved extension {@code lockboxId} moved the grant's end there: once, so it moves the end once. */
  boolean markExtensionGranted(String lockboxId, Instant grantedUntil) {
    return jdbc.sql("update lockbox_request set granted_until = ? where id = ? and purpose = 'EXTENSION' "
            + "and status = 'APPROVED' and granted_until is null")
        .params(utc(grantedUntil), lockboxId).update() == 1;
  }

  /** Where an approved extension moved the grant's end, null when it has not (yet). */
  Instant extensionGrantedUntil(String lockboxId) {
    return jdbc.sql("select granted_until from lockbox_request where id = ?").param(lockboxId)
        .query((rs, n) -> instant(rs.getObject(1, OffsetDateTime.class))).optional().orElse(null);
  }

  /** Closes a pending lockbox request; answers whether it was still pending. */
  boolean closeLockbox(String accessRequestId, LockboxStatus status, String decidedBy, String decidedAs,
      String comment) {
    return jdbc.sql("update lockbox_request set status = ?, decided_by = ?, decided_as = ?, decided_at = ?, comment = ? "
            + "where access_request_id = ? and status = ?")
        .params(status.name(), decidedBy, decidedAs, utc(Times.now()), comment, accessRequestId,
            LockboxStatus.ACTION_NEEDED.name())
        .update() == 1;
  }

  List<RecentLockboxRequest> recent(String tenantId, Instant since) {
    return jdbc.sql("select l.id, l.access_request_id, r.support_ticket_id, r.environment_id, l.status, l.requested_at, "
            + "l.expires_at, l.access_period, g.expires_at, l.decided_by, l.purpose from lockbox_request l "
            + "join access_request r on r.id = l.access_request_id "
            + "left join access_grant g on g.access_request_id = l.access_request_id "
            + "where l.tenant_id = ? and l.requested_at >= ? order by l.requested_at desc, l.id")
        .params(tenantId, utc(since))
        .query((rs, n) -> new RecentLockboxRequest(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            LockboxStatus.valueOf(rs.getString(5)), instant(rs.getObject(6, OffsetDateTime.class)),
            instant(rs.getObject(7, OffsetDateTime.class)), rs.getString(8),
            instant(rs.getObject(9, OffsetDateTime.class)), rs.getString(10), LockboxPurpose.valueOf(rs.getString(11))))
        .list();
  }

  private static AccessRequest mapRequest(ResultSet rs, int row) throws SQLException {
    return new AccessRequest(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        AccessLevel.valueOf(rs.getString(6)), rs.getBoolean(7), rs.getBoolean(8), rs.getBoolean(9), rs.getString(10),
        rs.getString(11), instant(rs.getObject(12, OffsetDateTime.class)), AccessRequestStatus.valueOf(rs.getString(13)),
        rs.getString(14), rs.getString(15), rs.getString(16), rs.getString(17),
        instant(rs.getObject(18, OffsetDateTime.class)), rs.getString(19));
  }

  private static LockboxRequest mapLockbox(ResultSet rs, int row) throws SQLException {
    return lockboxAt(rs, 1);
  }

  /** The lockbox columns starting at column {@code first}. */
  private static LockboxRequest lockboxAt(ResultSet rs, int first) throws SQLException {
    int c = first;
    ApprovalRule rule = ApprovalRule.stored(rs.getObject(c + 10, Integer.class), rs.getString(c + 11));
    return new LockboxRequest(rs.getString(c), rs.getString(c + 1), rs.getString(c + 2),
        LockboxStatus.valueOf(rs.getString(c + 3)), instant(rs.getObject(c + 4, OffsetDateTime.class)),
        instant(rs.getObject(c + 5, OffsetDateTime.class)), rs.getString(c + 6), rs.getString(c + 7),
        instant(rs.getObject(c + 8, OffsetDateTime.class)), rs.getString(c + 9), rule.approvalsRequired(),
        rule.approverGroups(), LockboxPurpose.valueOf(rs.getString(c + 12)), rs.getString(c + 13));
  }
}
