package io.customerlockbox.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.Refusal;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.policy.PolicyUpdate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The retention purge, run the way a cluster runs it: the nightly timer of
 * {@code processes/AuditRetentionProcess.bpmn} starts an instance whose asynchronous task purges.
 */
@Tag(ApplicationTest.BOTH_DATABASES)
class AuditRetentionTest extends ApplicationTest {

  private static final String PROCESS = "AuditRetentionProcess";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Autowired PolicyService policies;
  @Autowired AuditVerifier verifier;
  @Autowired AuditPurge purge;
  @Autowired AuditChains chains;
  @Autowired RepositoryService repositoryService;
  @Autowired PlatformTransactionManager transactions;

  @Test
  void purgeRemovesExactlyTheEventsOlderThanEachTenantsRetentionLeavesVerifyPassingAndIsAudited() {
    at(T0);
    TestTenant byDefault = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    TestTenant extended = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    policies.updateAuditRetention(extended.id(), 730, extended.admin());
    Instant cutoff = T0.plus(Duration.ofDays(1));
    at(cutoff);
    policies.updatePolicy(byDefault.id(), new PolicyUpdate(true, PolicyScope.ALL, List.of()), byDefault.admin());
    at(T0.plus(Duration.ofDays(200)));
    policies.updatePolicy(byDefault.id(), new PolicyUpdate(false, PolicyScope.ALL, List.of()), byDefault.admin());
    List<AuditEvent> before = events(byDefault.id());
    List<AuditEvent> extendedBefore = events(extended.id());
    assertThat(before).hasSize(5);

    // 365 days (the default) after the cutoff: the three events of T0 are older than retention.
    at(cutoff.plus(Duration.ofDays(365)));
    Job timer = managementService.createJobQuery().processDefinitionKey(PROCESS).timers().singleResult();
    assertThat(LocalTime.ofInstant(timer.getDuedate().toInstant(), ZoneId.systemDefault()))
        .isEqualTo(LocalTime.of(2, 30));
    managementService.executeJob(timer.getId());
    Job purgeJob = managementService.createJobQuery().processDefinitionKey(PROCESS).messages().singleResult();
    managementService.executeJob(purgeJob.getId());

    assertThat(historyService.createHistoricProcessInstanceQuery().processDefinitionKey(PROCESS).finished().count())
        .isEqualTo(1);
    assertThat(historyService.createHistoricActivityInstanceQuery().activityId("Task_SignChainHeads").count())
        .isEqualTo(1);
    assertThat(historyService.createHistoricActivityInstanceQuery().activityId("EndEvent_AuditEventsPurged").count())
        .isEqualTo(1);
    List<AuditEvent> after = events(byDefault.id());
    assertThat(after.subList(0, 2)).isEqualTo(before.stream().filter(e -> !e.occurredAt().isBefore(cutoff)).toList());
    AuditEvent purged = after.get(2);
    assertThat(after).hasSize(3);
    assertThat(purged.type()).isEqualTo(AuditEventType.AUDIT_EVENTS_PURGED);
    assertThat(purged.actorKind()).isEqualTo(AuditEvent.ActorKind.SYSTEM);
    assertThat(purged.detail()).contains("removed 3 events", "retention 365 days", before.get(2).hash());
    assertThat(verifier.verify(byDefault.id()))
        .extracting(ChainVerification::valid, ChainVerification::events, ChainVerification::anchorSeq,
            ChainVerification::anchorHash)
        .containsExactly(true, 3L, 3L, before.get(2).hash());

    // Kept for 730 days: nothing of the extended tenant is old enough yet.
    assertThat(events(extended.id())).isEqualTo(extendedBefore);
    assertThat(verifier.verify(extended.id()).valid()).isTrue();

    // A purge that runs again finds nothing more to remove and writes nothing.
    new TransactionTemplate(transactions).executeWithoutResult(status -> purge.purge("again"));
    assertThat(events(byDefault.id())).isEqualTo(after);
    assertThat(verifier.verify(byDefault.id()).valid()).isTrue();
  }

  /**
   * A purge holds a tenant's chain head only while it purges that chain: the chains before a head
   * someone else holds are purged and committed, so the other tenants' steps and searches do not
   * wait for the whole purge.
   */
  @Test
  void purgeCommitsEachChainBeforeItTakesTheNextChainsHead() throws Exception {
    at(T0);
    TestTenant one = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    TestTenant other = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    List<String> inOrder = Stream.of(one.id(), other.id()).sorted().toList();
    String first = inOrder.get(0);
    String last = inOrder.get(1);
    at(T0.plus(Duration.ofDays(400)));

    ExecutorService threads = Executors.newFixedThreadPool(2);
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try {
      Future<?> holder = threads.submit(() -> new TransactionTemplate(transactions).executeWithoutResult(status -> {
        chains.lockHead(last);
        held.countDown();
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
      assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
      Future<List<AuditPurge.Purged>> purging = threads.submit(() -> purge.purge("purge-beside-a-held-head"));

      // While the purge waits for the last chain's head, the first chain's purge is visible to others.
      long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (anchorSeq(first) == 0 && System.nanoTime() < waitUntil && !purging.isDone()) {
        Thread.sleep(20);
      }
      long firstAnchoredWhileHeld = anchorSeq(first);
      long lastAnchoredWhileHeld = anchorSeq(last);
      release.countDown();
      holder.get(30, TimeUnit.SECONDS);

      assertThat(firstAnchoredWhileHeld).isPositive();
      assertThat(lastAnchoredWhileHeld).isZero();
      assertThat(purging.get(60, TimeUnit.SECONDS)).extracting(AuditPurge.Purged::chain).contains(first, last);
      assertThat(anchorSeq(last)).isPositive();
      assertThat(verifier.verify(first).valid()).isTrue();
      assertThat(verifier.verify(last).valid()).isTrue();
    } finally {
      release.countDown();
      threads.shutdownNow();
    }
  }

  private long anchorSeq(String chainId) {
    return db.sql("select anchor_seq from audit_chain where chain_id = ?").param(chainId).query(Long.class).single();
  }

  @Test
  void tenantsExtendRetentionUpToTenYearsNeverBelowTheDefaultAndTheChangeIsAudited() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    assertThat(policies.auditRetention(tenant.id()).days()).isEqualTo(365);
    assertThat(policies.auditRetention(tenant.id()).isDefault()).isTrue();
    assertThatThrownBy(() -> policies.updateAuditRetention(tenant.id(), 3651, tenant.admin()))
        .isInstanceOf(Refusal.class).hasMessageContaining("between 365 and 3650");
    assertThatThrownBy(() -> policies.updateAuditRetention(tenant.id(), 364, tenant.admin()))
        .isInstanceOf(Refusal.class);

    assertThat(policies.updateAuditRetention(tenant.id(), 3650, tenant.admin()).days()).isEqualTo(3650);

    AuditEvent changed = events(tenant.id()).get(events(tenant.id()).size() - 1);
    assertThat(changed.type()).isEqualTo(AuditEventType.AUDIT_RETENTION_CHANGED);
    assertThat(changed.actor()).isEqualTo(tenant.admin());
    assertThat(changed.detail()).contains("before: 365 days", "after: 3650 days");
  }

  @Test
  void camundaHistoryCleanupIsAlignedWithTheTrailsDefaultRetention() {
    ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
    assertThat(configuration.getHistoryCleanupStrategy()).isEqualTo("removalTimeBased");
    assertThat(configuration.getHistoryRemovalTimeStrategy()).isEqualTo("start");
    assertThat(configuration.getHistoryCleanupBatchWindowStartTime()).isEqualTo("03:00");
    assertThat(configuration.getHistoryCleanupBatchWindowEndTime()).isEqualTo("05:00");
    assertThat(repositoryService.createProcessDefinitionQuery().processDefinitionKey("LockboxAccessRequestProcess")
        .latestVersion().singleResult().getHistoryTimeToLive()).isEqualTo(365);
    assertThat(repositoryService.createDecisionDefinitionQuery().decisionDefinitionKey("JitAccessRules")
        .latestVersion().singleResult().getHistoryTimeToLive()).isEqualTo(365);
    assertThat(repositoryService.createProcessDefinitionQuery().processDefinitionKey(PROCESS)
        .latestVersion().singleResult().getHistoryTimeToLive()).isEqualTo(30);
  }

  private static void at(Instant instant) {
    ClockUtil.setCurrentTime(Date.from(instant));
  }

  private List<AuditEvent> events(String tenantId) {
    return db.sql("select " + AuditTrail.COLUMNS + " from audit_event where chain_id = ? order by chain_seq")
        .param(tenantId).query(AuditTrail::map).list();
  }
}
