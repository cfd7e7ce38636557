package io.customerlockbox.benchmark;

import io.customerlockbox.Fixtures;
import io.customerlockbox.Node;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.security.Groups;
import io.customerlockbox.security.IdentityDirectory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * A node on a database that holds a year of {@link History}: made with bulk SQL the first time,
 * found again (by the row in bench_history) when a kept database already holds that many requests.
 *
 * <p>The node makes the schema (Flyway) and the demo tenants and users; the benchmark's other
 * tenants are set up through the product's services like the tests' ones. Then requests, lockbox
 * requests, grants and audit events go in as {@code insert ... select} over a range of numbers, a
 * batch at a time, straight into the tables the product reads.
 *
 * <p>The hashes are synthetic: each event's hash is its seq as 64 digits and its prev_hash the hash
 * of the event before it in its chain, so the chains link up, but verify would report them forged.
 * The benchmark never verifies them.
 */
final class HistoricalData implements AutoCloseable {

  private static final int BATCH = 50_000;
  private static final List<String> FILLED = List.of("access_request", "lockbox_request", "access_grant", "audit_event");
  private static final DateTimeFormatter SQL_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'+00'").withZone(ZoneOffset.UTC);

  private final Node node;
  private final History history;
  private final Duration made;
  private final boolean madeNow;

  private HistoricalData(Node node, History history, Duration made, boolean madeNow) {
    this.node = node;
    this.history = history;
    this.made = made;
    this.madeNow = madeNow;
  }

  /** The full scale's history is kept for the next run; a small one is quicker made than kept. */
  static BenchDatabase database(BenchDatabase.Kind kind, Scale scale) {
    return scale.name().equals("full") ? BenchDatabase.kept(kind, "history")
        : BenchDatabase.fresh(kind, "history_" + scale.name());
  }

  /**
   * Starts node {@code nodeName} on {@code db} holding {@code requests} requests of history. The
   * node lives on the history's clock (until {@link Benchmark} resets it after the scenario): at the
   * tenants' set-up while they and the history are made, then stopped where the history ends. So "the
   * last 28 days" are the same days however long ago the history was made, and the nightly purge,
   * which falls due once, finds nothing older than the retention.
   */
  static HistoricalData start(BenchDatabase db, String nodeName, int requests) throws Exception {
    Kept kept = findKept(db, requests);
    History history = kept != null ? kept.history() : new History(requests, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    ClockUtil.setCurrentTime(Date.from(kept != null ? history.asOf() : history.setUpAt()));
    Node node = db.start(nodeName);
    try {
      Duration made = kept != null ? kept.made() : make(db, node, history);
      ClockUtil.setCurrentTime(Date.from(history.asOf()));
      return new HistoricalData(node, history, made, kept == null);
    } catch (Exception | Error e) {
      node.close();
      throw e;
    }
  }

  private static Duration make(BenchDatabase db, Node node, History history) throws SQLException {
    long started = System.nanoTime();
    setUpTenants(node, history);
    fill(db, history);
    Duration made = Duration.ofNanos(System.nanoTime() - started);
    try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
      statement.execute("create table bench_history (requests integer not null, as_of timestamp with time zone "
          + "not null, made_ms bigint not null)");
      statement.execute("insert into bench_history values (" + history.requests() + ", timestamp with time zone '"
          + SQL_TIMESTAMP.format(history.asOf()) + "', " + made.toMillis() + ")");
    }
    return made;
  }

  Node node() {
    return node;
  }

  History history() {
    return history;
  }

  /** How the history came to be, for the table. */
  List<Result> results(BenchDatabase.Kind kind, String scenario) {
    String made = Format.number(this.made.toMillis() / 1000.0) + " s";
    return List.of(Result.info(kind.label(), scenario, String.format(Locale.ROOT,
            "history: %,d requests, %,d audit events, %d tenants", history.requests(), history.events(),
            history.tenants()),
        madeNow ? "made in " + made : "kept (made in " + made + ")"));
  }

  @Override
  public void close() {
    node.close();
  }

  /** A history a previous run left, and how long it took to make. */
  private record Kept(History history, Duration made) {}

  /**
   * The history a previous run left in {@code db}, if it holds {@code requests} requests and its
   * oldest and newest events are still there (a node on the real clock may have purged a year-old
   * history). A database that holds anything else (another size, a run that died half way) is
   * emptied for a new one.
   */
  private static Kept findKept(BenchDatabase db, int requests) throws SQLException {
    Dialect dialect = Dialect.of(db.kind());
    try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
      try (ResultSet rs = connection.getMetaData().getTables(null, dialect.schema(), "%", new String[] {"TABLE"})) {
        if (!rs.next()) {
          return null;
        }
      }
      Kept kept = null;
      try (ResultSet rs = statement.executeQuery("select requests, as_of, made_ms from bench_history")) {
        if (rs.next() && rs.getInt(1) == requests) {
          kept = new Kept(new History(requests, rs.getObject(2, OffsetDateTime.class).toInstant()),
              Duration.ofMillis(rs.getLong(3)));
        }
      } catch (SQLException noHistory) {
        // No bench_history table: not ours, or a run that died before it finished.
      }
      if (kept != null) {
        History history = kept.history();
        try (ResultSet rs = statement.executeQuery("select count(*) from audit_event where id in ('"
            + history.eventId(0, 0) + "', '" + history.eventId(requests - 1, History.STEPS - 1) + "')")) {
          rs.next();
          if (rs.getInt(1) == 2) {
            Benchmark.log("history of %,d requests up to %s found in the database", requests, history.asOf());
            return kept;
          }
        }
      }
      Benchmark.log("emptying the database for a history of %,d requests", requests);
      for (String sql : dialect.emptyDatabase()) {
        statement.execute(sql);
      }
      return null;
    }
  }

  private static void setUpTenants(Node node, History history) {
    Fixtures fixtures = new Fixtures(node.bean(PolicyService.class), node.bean(IdentityService.class),
        node.bean(IdentityDirectory.class));
    // Tenant 0, contoso, comes with the demo profile, its admin and auditor included.
    for (int tenant = 1; tenant < history.tenants(); tenant++) {
      String id = history.tenantId(tenant);
      fixtures.tenant(id, true, PolicyScope.ALL_MANAGED);
      fixtures.user(history.auditor(tenant), id, Groups.AUDITORS);
    }
  }

  private static void fill(BenchDatabase db, History history) throws SQLException {
    Dialect dialect = Dialect.of(db.kind());
    try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
      // As bulk loads go: the plain indexes are dropped and made again afterwards, each in one sort.
      List<String> indexes = dialect.plainIndexes(statement, FILLED);
      for (String index : indexes) {
        statement.execute(dialect.dropIndex(index));
      }
      connection.setAutoCommit(false);
      long seqBase = createHelperTables(connection, history);
      Generator sql = new Generator(history, dialect, seqBase);
      long started = System.nanoTime();
      for (long from = 0; from < history.requests(); from += BATCH) {
        long to = Math.min(history.requests(), from + BATCH);
        for (String insert : sql.inserts(from, to)) {
          statement.executeUpdate(insert);
        }
        connection.commit();
        double seconds = (System.nanoTime() - started) / 1e9;
        Benchmark.log("history: %,d of %,d requests (%,.0f events/s)", to, history.requests(),
            to * History.STEPS / seconds);
      }
      connection.setAutoCommit(true);
      Benchmark.log("history: making %d indexes", indexes.size());
      for (String index : indexes) {
        statement.execute(index);
      }
      // Each chain's head is its newest event, so events appended later continue the chains.
      statement.executeUpdate("update audit_chain set last_seq = (select max(e.chain_seq) from audit_event e "
          + "where e.chain_id = audit_chain.chain_id), last_hash = (select max(e.hash) from audit_event e "
          + "where e.chain_id = audit_chain.chain_id and e.chain_seq = (select max(f.chain_seq) from audit_event f "
          + "where f.chain_id = audit_chain.chain_id)) where chain_id in (select tenant_id from bench_tenant)");
      statement.execute("alter table audit_event alter column seq restart with " + (seqBase + history.events() + 1));
      statement.execute("drop table bench_outcome");
      statement.execute("drop table bench_step");
      statement.execute("drop table bench_tenant");
      Benchmark.log("history: analyzing");
      statement.execute(dialect.analyze());
    }
  }

  /**
   * The outcomes, their steps and the tenants as small tables the bulk inserts join; answers the
   * seq the history's events start after.
   */
  private static long createHelperTables(Connection connection, History history) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("create table bench_tenant (idx integer primary key, tenant_id varchar(64) not null, "
          + "chain_base bigint not null, chain_hash varchar(64) not null)");
      statement.execute("create table bench_outcome (slot integer primary key, outcome integer not null, "
          + "environment varchar(16) not null, access_level varchar(8) not null, break_glass boolean not null, "
          + "status varchar(32) not null, status_reason varchar(200) not null, jit_outcome varchar(32), "
          + "lockbox_status varchar(16), lockbox_k integer, decision_k integer, internal_k integer, grant_k integer, "
          + "end_k integer, end_reason varchar(16), lockbox_comment varchar(200), internal_comment varchar(200))");
      statement.execute("create table bench_step (outcome integer not null, k integer not null, "
          + "event_type varchar(40) not null, actor varchar(16) not null, request_status varchar(32) not null, "
          + "detail varchar(200) not null, comment varchar(200), primary key (outcome, k))");
    }
    try (PreparedStatement insert = connection.prepareStatement("insert into bench_tenant values (?, ?, "
        + "(select last_seq from audit_chain where chain_id = ?), (select last_hash from audit_chain where chain_id = ?))")) {
      for (int tenant = 0; tenant < history.tenants(); tenant++) {
        String id = history.tenantId(tenant);
        insert.setInt(1, tenant);
        insert.setString(2, id);
        insert.setString(3, id);
        insert.setString(4, id);
        insert.executeUpdate();
      }
    }
    try (PreparedStatement insert = connection.prepareStatement(
        "insert into bench_outcome values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (int slot = 0; slot < History.slots(); slot++) {
        History.Outcome o = History.outcomeOfSlot(slot);
        Object[] values = {slot, History.OUTCOMES.indexOf(o), o.environment(), o.level().name(), o.breakGlass(),
            o.status().name(), o.statusReason(), o.jitOutcome(), o.lockbox() == null ? null : o.lockbox().name(),
            o.lockboxStep(), o.decisionStep(), o.internalStep(), o.grantStep(), o.endStep(), o.endReason(),
            comment(o, o.decisionStep()), comment(o, o.internalStep())};
        for (int c = 0; c < values.length; c++) {
          insert.setObject(c + 1, values[c]);
        }
        insert.executeUpdate();
      }
    }
    try (PreparedStatement insert = connection.prepareStatement("insert into bench_step values (?, ?, ?, ?, ?, ?, ?)")) {
      for (History.Outcome o : History.OUTCOMES) {
        for (int k = 0; k < History.STEPS; k++) {
          History.Step step = o.steps().get(k);
          insert.setInt(1, History.OUTCOMES.indexOf(o));
          insert.setInt(2, k);
          insert.setString(3, step.type().name());
          insert.setString(4, step.actor().name());
          insert.setString(5, step.status().name());
          insert.setString(6, step.detail());
          insert.setString(7, step.comment());
          insert.executeUpdate();
        }
      }
    }
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("select coalesce(max(seq), 0) from audit_event")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String comment(History.Outcome outcome, Integer step) {
    return step == null ? null : outcome.steps().get(step).comment();
  }

  /** Where H2 and PostgreSQL differ: the range of numbers, statistics, and emptying a database. */
  private enum Dialect {
    H2, POSTGRES;

    static Dialect of(BenchDatabase.Kind kind) {
      return kind == BenchDatabase.Kind.H2 ? H2 : POSTGRES;
    }

    /** Where the product's tables are. */
    String schema() {
      return this == H2 ? "PUBLIC" : "public";
    }

    /** A table of one column, x, from {@code from} to {@code to} - 1. */
    String range(long from, long to) {
      return this == H2 ? "(select x from system_range(" + from + ", " + (to - 1) + "))"
          : "(select x from generate_series(cast(" + from + " as bigint), " + (to - 1) + ") as x)";
    }

    /** The timestamp with time zone {@code millis} (an SQL expression) after {@code timestamp} (UTC). */
    String plusMillis(String timestamp, String millis) {
      String start = "timestamp with time zone '" + timestamp + "'";
      // H2 adds intervals five times slower than it adds milliseconds.
      return this == H2 ? "dateadd(millisecond, " + millis + ", " + start + ")"
          : "(" + start + " + (" + millis + ") * interval '1 millisecond')";
    }

    /** Statistics (and, on PostgreSQL, the visibility map) as a database in use would have them. */
    String analyze() {
      return this == H2 ? "analyze" : "vacuum analyze";
    }

    /** H2 deletes its file when the connection closes: dropping alone would leave it as big as it was. */
    List<String> emptyDatabase() {
      return this == H2 ? List.of("drop all objects delete files")
          : List.of("drop schema public cascade", "create schema public");
    }

    /** The statements that make the indexes of {@code tables} that are neither primary keys nor unique. */
    List<String> plainIndexes(Statement statement, List<String> tables) throws SQLException {
      List<String> creates = new ArrayList<>();
      String sql = this == H2 ? "script nodata table " + String.join(", ", tables)
          : "select indexdef from pg_indexes where schemaname = 'public' and tablename in ('"
              + String.join("', '", tables) + "')";
      try (ResultSet rs = statement.executeQuery(sql)) {
        while (rs.next()) {
          if (rs.getString(1).startsWith("CREATE INDEX ")) {
            creates.add(rs.getString(1));
          }
        }
      }
      return creates;
    }

    /** Drops the index {@code create} makes: its name is the third word of both dialects' statement. */
    String dropIndex(String create) {
      return "drop index " + create.split(" ")[2];
    }
  }

  /** The bulk inserts of requests from x to x' - 1, as {@link History} describes them. */
  private static final class Generator {

    private final History history;
    private final Dialect dialect;
    private final long seqBase;

    Generator(History history, Dialect dialect, long seqBase) {
      this.history = history;
      this.dialect = dialect;
      this.seqBase = seqBase;
    }

    List<String> inserts(long from, long to) {
      String requests = " from " + dialect.range(from, to) + " r"
          + " join bench_tenant t on t.idx = mod(r.x, " + history.tenants() + ")"
          + " join bench_outcome o on o.slot = mod(r.x / " + history.tenants() + " + mod(r.x, " + history.tenants()
          + "), " + History.slots() + ")";
      String ticket = "'SR-' || cast(100000 + r.x as varchar)";
      String engineer = "'engineer-' || lpad(cast(mod(r.x, 40) as varchar), 2, '0')";
      String environment = "t.tenant_id || o.environment";
      return List.of(
          "insert into access_request (id, tenant_id, environment_id, support_ticket_id, justification, access_level, "
              + "isolated_identity, mfa_verified, break_glass, incident_id, requested_by, requested_at, status, "
              + "status_reason, process_instance_id, jit_outcome, internal_decided_by, internal_decided_at, "
              + "internal_comment) select " + History.idSql('a', "r.x") + ", t.tenant_id, " + environment + ", "
              + ticket + ", " + justification() + ", o.access_level, true, true, o.break_glass, "
              + "case when o.break_glass then 'INC-' || cast(r.x as varchar) end, " + engineer + ", " + at("0") + ", "
              + "o.status, o.status_reason, " + History.idSql('f', "r.x") + ", o.jit_outcome, "
              + "case when o.internal_k is not null then 'lead' end, "
              + "case when o.internal_k is not null then " + at("o.internal_k") + " end, o.internal_comment"
              + requests,
          "insert into lockbox_request (id, access_request_id, tenant_id, status, requested_at, expires_at, "
              + "access_period, decided_by, decided_at, comment) select " + History.idSql('b', "r.x") + ", "
              + History.idSql('a', "r.x") + ", t.tenant_id, o.lockbox_status, " + at("o.lockbox_k") + ", "
              + at("o.lockbox_k", History.APPROVAL_PERIOD) + ", '" + History.ACCESS_PERIOD + "', "
              + "case when o.lockbox_status <> 'EXPIRED' then t.tenant_id || '-approver' end, " + at("o.decision_k")
              + ", o.lockbox_comment" + requests + " where o.lockbox_status is not null",
          "insert into access_grant (id, access_request_id, tenant_id, environment_id, user_id, break_glass, "
              + "granted_at, expires_at, ended_at, end_reason) select " + History.idSql('c', "r.x") + ", "
              + History.idSql('a', "r.x") + ", t.tenant_id, " + environment + ", " + engineer + ", o.break_glass, "
              + at("o.grant_k") + ", " + at("o.grant_k", History.ACCESS_PERIOD) + ", "
              + "case when o.end_reason = 'EXPIRED' then " + at("o.grant_k", History.ACCESS_PERIOD) + " else "
              + at("o.end_k") + " end, o.end_reason" + requests + " where o.grant_k is not null",
          eventInsert(requests, ticket, engineer, environment));
    }

    private String eventInsert(String requests, String ticket, String engineer, String environment) {
      String seq = "(" + seqBase + " + r.x * " + History.STEPS + " + s.k + 1)";
      String chainSeq = "(t.chain_base + (r.x / " + history.tenants() + ") * " + History.STEPS + " + s.k + 1)";
      // The previous event of the chain: this request's previous step, or the tenant's previous request's last.
      String prevSeq = "case when s.k > 0 then " + seq + " - 1 else " + seq + " - " + history.tenants() + " * "
          + History.STEPS + " + " + (History.STEPS - 1) + " end";
      return "insert into audit_event (id, seq, occurred_at, tenant_id, environment_id, request_id, event_type, "
          + "actor, actor_kind, request_status, detail, idempotency_key, support_ticket_id, request_expires_at, "
          + "access_expires_at, justification, comment, client_ip, chain_id, chain_seq, prev_hash, hash) select "
          + History.idSql('e', "r.x * " + History.STEPS + " + s.k") + ", " + seq + ", " + at("s.k") + ", t.tenant_id, "
          + environment + ", " + History.idSql('a', "r.x") + ", s.event_type, "
          + "case s.actor when 'ENGINEER' then " + engineer + " when 'LEAD' then 'lead' "
          + "when 'APPROVER' then t.tenant_id || '-approver' end, "
          + "case when s.actor = 'SYSTEM' then 'SYSTEM' else 'USER' end, s.request_status, s.detail, "
          // As the process keys its steps (process instance / activity / type); the request's creation has none.
          + "case when s.k > 0 then " + History.idSql('f', "r.x") + " || '/' || cast(s.k as varchar) || '/' "
          + "|| s.event_type end, " + ticket + ", "
          + "case when s.k >= o.lockbox_k then " + at("o.lockbox_k", History.APPROVAL_PERIOD) + " end, "
          + "case when s.k >= o.grant_k then " + at("o.grant_k", History.ACCESS_PERIOD) + " end, "
          + justification() + ", s.comment, "
          + "case when s.actor <> 'SYSTEM' then '10.20.' || cast(mod(r.x, 250) as varchar) || '.' "
          + "|| cast(mod(r.x / 250, 250) as varchar) end, "
          + "t.tenant_id, " + chainSeq + ", "
          + "case when s.k = 0 and r.x < " + history.tenants() + " then t.chain_hash else " + hash(prevSeq) + " end, "
          + hash(seq)
          + requests + " join bench_step s on s.outcome = o.outcome";
    }

    /** The instant of step {@code step} (an SQL expression) of request r.x. */
    private String at(String step) {
      return at(step, Duration.ZERO);
    }

    /** {@code later} after step {@code step} of request r.x. */
    private String at(String step, Duration later) {
      return dialect.plusMillis(SQL_TIMESTAMP.format(history.start()), "(r.x * " + (History.STEPS + 1) + " + " + step
          + ") * " + history.tickMillis() + (later.isZero() ? "" : " + " + later.toMillis()));
    }

    private static String hash(String seq) {
      return "lpad(cast(" + seq + " as varchar), 64, '0')";
    }

    private static String justification() {
      StringBuilder sql = new StringBuilder("case mod(r.x, " + History.JUSTIFICATIONS.size() + ")");
      for (int i = 0; i < History.JUSTIFICATIONS.size(); i++) {
        sql.append(" when ").append(i).append(" then '").append(History.JUSTIFICATIONS.get(i)).append("'");
      }
      return sql.append(" end").toString();
    }
  }
}
