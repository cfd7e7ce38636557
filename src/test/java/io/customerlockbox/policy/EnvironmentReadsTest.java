package io.customerlockbox.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.StatementLog;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A transaction reads an environment once, however many of its steps ask (the approval rules'
 * six inputs, the lockbox gate, the task's headline); one not found is looked for again, and
 * the next transaction reads anew.
 */
class EnvironmentReadsTest extends ApplicationTest {

  @Autowired DataSource dataSource;

  @Test
  void aTransactionReadsAnEnvironmentOnce() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    StatementLog log = new StatementLog(dataSource, "from environment");
    PolicyRepository repository = new PolicyRepository(log.jdbc);

    log.transaction.executeWithoutResult(status -> {
      Environment first = repository.environment(tenant.prod()).orElseThrow();
      assertThat(repository.environment(tenant.prod())).contains(first);
      assertThat(repository.environment(tenant.prod())).contains(first);
      assertThat(log.statements).hasSize(1);
    });
    log.transaction.executeWithoutResult(status -> repository.environment(tenant.prod()).orElseThrow());
    assertThat(log.statements).as("the next transaction reads it anew").hasSize(2);
  }

  @Test
  void oneNotFoundIsLookedForAgain() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    StatementLog log = new StatementLog(dataSource, "from environment");
    PolicyRepository repository = new PolicyRepository(log.jdbc);
    String added = tenant.id() + "-added-meanwhile";

    log.transaction.executeWithoutResult(status -> {
      assertThat(repository.environment(added)).isEmpty();
      // Another transaction (the tests' own connection) adds it meanwhile.
      db.sql("insert into environment (id, tenant_id, name, managed, tier) values (?, ?, ?, true, null)")
          .params(added, tenant.id(), "Added meanwhile").update();
      assertThat(repository.environment(added)).map(Environment::name).contains("Added meanwhile");
      assertThat(log.statements).hasSize(2);
    });
  }
}
