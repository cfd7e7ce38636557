package io.customerlockbox.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.StatementLog;
import io.customerlockbox.policy.PolicyScope;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A request whose row a transaction has locked is read from the database once until the
 * transaction writes it: the API call, the task listener, the step and its gateway share that read.
 * Without the lock every read goes to the database, and no row outlives its transaction.
 */
@Tag(ApplicationTest.BOTH_DATABASES)
class LockedRequestsTest extends ApplicationTest {

  @Autowired DataSource dataSource;
  @Autowired AccessRequestService requests;

  private List<String> statements;
  private AccessRequestRepository repository;
  private TransactionTemplate transaction;
  private String requestId;

  @BeforeEach
  void countTheRequestsStatements() {
    StatementLog log = new StatementLog(dataSource, "access_request");
    statements = log.statements;
    repository = new AccessRequestRepository(log.jdbc);
    transaction = log.transaction;
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    requestId = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("engineer")).id();
  }

  @Test
  void aLockedRequestIsReadOnceUntilTheTransactionWritesIt() {
    transaction.executeWithoutResult(status -> {
      AccessRequest locked = repository.lock(requestId).orElseThrow();
      assertThat(repository.get(requestId)).isEqualTo(locked);
      assertThat(repository.lock(requestId)).contains(locked);
      assertThat(statements).as("the lock's read, and nothing after it").hasSize(1);
      assertThat(statements.get(0)).containsIgnoringCase("for update");

      AccessRequestStatus other = locked.status() == AccessRequestStatus.SUBMITTED
          ? AccessRequestStatus.REJECTED : AccessRequestStatus.SUBMITTED;
      assertThat(repository.transition(requestId, other, "moved by the test", locked.status())).isTrue();
      assertThat(repository.get(requestId).status()).as("read again after the write").isEqualTo(other);
      assertThat(repository.get(requestId).statusReason()).isEqualTo("moved by the test");
      assertThat(statements).as("the lock, the write, one read after it").hasSize(3);
      status.setRollbackOnly();
    });
  }

  @Test
  void aTransactionWaitingForTheLockReadsWhatTheHolderCommitted() throws Exception {
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch waiting = new CountDownLatch(1);
    ExecutorService holder = Executors.newSingleThreadExecutor();
    try {
      Future<AccessRequestStatus> moved = holder.submit(() -> transaction.execute(status -> {
        AccessRequest request = repository.lock(requestId).orElseThrow();
        AccessRequestStatus other = request.status() == AccessRequestStatus.SUBMITTED
            ? AccessRequestStatus.REJECTED : AccessRequestStatus.SUBMITTED;
        repository.transition(requestId, other, "moved by the lock's holder", request.status());
        locked.countDown();
        await(waiting);
        holdOn(); // so that the other transaction's lock statement waits for this commit
        return other;
      }));
      await(locked);
      AccessRequest seen = transaction.execute(status -> {
        waiting.countDown(); // the holder commits while this transaction waits for the lock
        return repository.lock(requestId).orElseThrow();
      });
      assertThat(seen.status()).isEqualTo(moved.get(30, TimeUnit.SECONDS));
      assertThat(seen.statusReason()).isEqualTo("moved by the lock's holder");
    } finally {
      holder.shutdownNow();
    }
  }

  private static void holdOn() {
    try {
      Thread.sleep(300);
    } catch (InterruptedException interrupted) {
      throw new IllegalStateException(interrupted);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException interrupted) {
      throw new IllegalStateException(interrupted);
    }
  }

  @Test
  void withoutTheLockEveryReadGoesToTheDatabase() {
    transaction.executeWithoutResult(status -> {
      AccessRequest before = repository.get(requestId);
      // Another transaction (the tests' own connection) changes the request meanwhile.
      db.sql("update access_request set status_reason = ? where id = ?").params("changed elsewhere", requestId)
          .update();
      assertThat(repository.get(requestId).statusReason()).isEqualTo("changed elsewhere")
          .isNotEqualTo(before.statusReason());
      assertThat(statements).hasSize(2);
    });
  }

  @Test
  void noReadOutlivesItsTransaction() {
    transaction.executeWithoutResult(status -> repository.lock(requestId));
    db.sql("update access_request set status_reason = ? where id = ?").params("changed after the commit", requestId)
        .update();
    transaction.executeWithoutResult(status ->
        assertThat(repository.get(requestId).statusReason()).isEqualTo("changed after the commit"));
    assertThat(repository.get(requestId).statusReason()).as("outside a transaction too")
        .isEqualTo("changed after the commit");
    assertThat(statements).hasSize(3);
  }
}
