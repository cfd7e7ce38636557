package io.customerlockbox.benchmark;

import com.zaxxer.hikari.HikariDataSource;
import io.customerlockbox.LockboxProperties;
import io.customerlockbox.audit.AuditEventType;
import io.customerlockbox.audit.AuditTrail;
import io.customerlockbox.audit.ChainSigner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What signing the chain's head on every append costs: {@code auditAppends} events appended one
 * transaction each (as a step appends its event) to a tenant's chain with the operator's key, and
 * as many without one, in alternating rounds on the same database; the median rounds compare. The
 * baseline is the unsigned append of this run, so the ratio holds on any machine.
 */
final class AuditSigningScenario implements Scenario {

  private static final String KEY = "benchmark-signing-key-of-at-least-32-characters";
  /** A head signature costs at most this share of one unsigned append. */
  private static final double GOAL_SHARE = 0.05;

  @Override
  public String name() {
    return "audit-signing";
  }

  @Override
  public List<Result> run(BenchDatabase.Kind kind, Scale scale) throws Exception {
    try (BenchDatabase db = BenchDatabase.fresh(kind, "audit_signing");
        HikariDataSource pool = new HikariDataSource()) {
      pool.setJdbcUrl(db.url());
      pool.setUsername(db.user());
      pool.setPassword(db.password());
      pool.setMaximumPoolSize(4);
      Flyway.configure().dataSource(pool).locations("classpath:db/migration").table("lockbox_schema_history")
          .load().migrate();
      TransactionTemplate step = new TransactionTemplate(new DataSourceTransactionManager(pool));
      AuditTrail plain = AuditTrail.standalone(pool, null);
      AuditTrail signed = AuditTrail.standalone(pool, KEY);

      int appends = scale.auditAppends();
      int rounds = Math.max(3, scale.rounds());
      append(step, plain, "warmup-plain", Math.max(1, appends / 5));
      append(step, signed, "warmup-signed", Math.max(1, appends / 5));
      double[] plainRates = new double[rounds];
      double[] signedRates = new double[rounds];
      for (int round = 0; round < rounds; round++) {
        plainRates[round] = append(step, plain, "plain-" + round, appends);
        signedRates[round] = append(step, signed, "signed-" + round, appends);
      }
      expectSignedHeads(new JdbcTemplate(pool), rounds);
      double plainRate = median(plainRates);
      double signedRate = median(signedRates);
      Benchmark.log("audit appends: %,.0f/s unsigned, %,.0f/s with the head signed", plainRate, signedRate);
      String label = kind.label();
      List<Result> results = new ArrayList<>();
      // No goal on the rates: an append is a commit, and on a shared machine two rounds of the same
      // work differ more than signing can make them; the goal is on the signature's share below.
      results.add(new Result(label, name(), "appends with the head signed, per s (baseline: unsigned)",
          Format.number(signedRate), Format.number(plainRate), Format.ratio(signedRate / plainRate), "", null));
      // The signature alone, against what one unsigned append takes: the share of an append it can cost.
      double signMicros = signatureMicros(pool);
      double appendMicros = 1e6 / plainRate;
      double share = signMicros / appendMicros;
      results.add(new Result(label, name(), "one head signature, µs (baseline: one unsigned append)",
          Format.number(signMicros) + " µs", Format.number(appendMicros) + " µs",
          String.format(Locale.ROOT, "%.4f", share), "≤ " + Format.ratio(GOAL_SHARE), share <= GOAL_SHARE));
      return results;
    }
  }

  /** Microseconds one head signature takes, over enough signatures to be measured. */
  private static double signatureMicros(HikariDataSource pool) {
    ChainSigner signer = new ChainSigner(JdbcClient.create(pool), new LockboxProperties(null, null,
        new LockboxProperties.Audit(365, KEY), null));
    int count = 200_000;
    String hash = "0".repeat(64);
    long started = System.nanoTime();
    for (int i = 0; i < count; i++) {
      hash = signer.headSignature("benchmark", i, hash);
    }
    if (hash.length() != 64) {
      throw new IllegalStateException("A head signature is 64 hex digits, not " + hash);
    }
    return (System.nanoTime() - started) / 1e3 / count;
  }

  /** Appends {@code count} events to chain {@code tenant}, one transaction each; answers appends per second. */
  private static double append(TransactionTemplate step, AuditTrail trail, String tenant, int count) {
    long started = System.nanoTime();
    for (int i = 0; i < count; i++) {
      int n = i;
      step.executeWithoutResult(status -> trail.record(AuditTrail.Entry.of(AuditEventType.POLICY_CHANGED, tenant,
          null, "benchmark", "change " + n), null));
    }
    return count / ((System.nanoTime() - started) / 1e9);
  }

  /** The work behind the numbers: every signed chain's head carries a signature, no unsigned one does. */
  private static void expectSignedHeads(JdbcTemplate db, int rounds) {
    Integer signed = db.queryForObject("select count(*) from audit_chain where chain_id like 'signed-%' "
        + "and head_signature is not null", Integer.class);
    Integer unsigned = db.queryForObject("select count(*) from audit_chain where chain_id like 'plain-%' "
        + "and head_signature is null", Integer.class);
    if (signed == null || signed != rounds || unsigned == null || unsigned != rounds) {
      throw new IllegalStateException("Expected " + rounds + " signed and " + rounds + " unsigned chain heads, found "
          + signed + " and " + unsigned);
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
