package io.customerlockbox.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.Times;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.policy.PolicyUpdate;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.ConnectionCallback;

/**
 * While the retention purge holds a tenant's chain head, every step of that tenant waits: it
 * reads the events it removes and the first one it keeps, not the events it keeps. Checked on H2,
 * whose plan of {@code min(chain_seq)} read the whole chain; PostgreSQL walks its index in order
 * for either form (docs/benchmarks.md, "What still grows on H2").
 */
class AuditPurgeWalkTest extends ApplicationTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Pattern ROWS_READ = Pattern.compile("scanCount: (\\d+)");

  @Autowired PolicyService policies;

  @Test
  void thePurgeReadsTheEventsItRemovesAndTheFirstItKeepsNotTheRestOfTheChain() {
    ClockUtil.setCurrentTime(Date.from(T0));
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    Instant cutoff = T0.plus(Duration.ofDays(1));
    ClockUtil.setCurrentTime(Date.from(cutoff.plus(Duration.ofDays(1))));
    for (boolean enabled : List.of(false, true, false, true)) {
      policies.updatePolicy(tenant.id(), new PolicyUpdate(enabled, PolicyScope.ALL, List.of()), tenant.admin());
    }
    long removed = countOf("select count(*) from audit_event where chain_id = ? and occurred_at < ?", tenant.id(),
        cutoff);
    long kept = countOf("select count(*) from audit_event where chain_id = ? and occurred_at >= ?", tenant.id(),
        cutoff);
    assertThat(removed).isPositive();
    assertThat(kept).isGreaterThan(1);

    assertThat(rowsRead(AuditPurge.FIRST_KEPT, tenant.id(), 0L, cutoff)).isEqualTo(removed + 1);
  }

  private long countOf(String sql, String chain, Instant at) {
    return db.sql(sql).params(chain, Times.utc(at)).query(Long.class).single();
  }

  /** The rows H2 read from the table to answer {@code query} for {@code chain}, its anchor and the cutoff. */
  private long rowsRead(String query, String chain, long anchorSeq, Instant cutoff) {
    String plan = jdbc.execute((ConnectionCallback<String>) connection -> {
      try (PreparedStatement explain = connection.prepareStatement("explain analyze " + query)) {
        explain.setString(1, chain);
        explain.setLong(2, anchorSeq);
        explain.setObject(3, Times.utc(cutoff));
        try (ResultSet rows = explain.executeQuery()) {
          rows.next();
          return rows.getString(1);
        }
      }
    });
    Matcher read = ROWS_READ.matcher(plan);
    assertThat(read.find()).as(plan).isTrue();
    return Long.parseLong(read.group(1));
  }
}
