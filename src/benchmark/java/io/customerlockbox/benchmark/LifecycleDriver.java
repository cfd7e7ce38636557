package io.customerlockbox.benchmark;

import io.customerlockbox.ApiClient;
import io.customerlockbox.ApiClient.Response;
import io.customerlockbox.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camunda.bpm.engine.RepositoryService;

/**
 * Drives lifecycles through the REST API, {@code clients} calls at a time, spread over the
 * nodes: all requests of a round are created, then (once the job executors took them to the
 * approvers) all approved, then the clock jumps the 8 hours and the timers revoke them all. A
 * round's wall time covers every step and every job it caused, notifications included.
 *
 * <p>{@link Flow#LOCKBOX} is the product: {@code POST /api/access-requests} as a support
 * engineer, {@code POST /api/lockbox-requests/{id}/approve} as the customer's approver.
 * {@link Flow#BARE} is its baseline: {@code BareLifecycle.bpmn} (the same user task, timers and
 * async points, nothing else) through the engine's REST API, started and completed as admin.
 */
final class LifecycleDriver implements AutoCloseable {

  enum Flow { LOCKBOX, BARE }

  static final String BARE_PROCESS = "BareLifecycle";
  static final String PASSWORD = "demo";

  /** What a round measured. */
  record Round(Flow flow, int lifecycles, double seconds, Map<String, Long> statements, long jobs,
      Latencies creates, Latencies approves) {
    double perSecond() {
      return lifecycles / seconds;
    }

    double jobsPerLifecycle() {
      return (double) jobs / lifecycles;
    }

    double statementsPerLifecycle() {
      return (double) StatementCounter.total(statements) / lifecycles;
    }
  }

  private final List<DrivenNode> nodes;
  /** The node of this JVM that serves the bare flow's engine REST API; null: the bare flow is not driven. */
  private final Node bareFlowNode;
  private final Work work;
  private final ExecutorService clients;
  private int rounds;

  /** Drives both flows on nodes of this JVM (the baseline models deployed on the first). */
  LifecycleDriver(List<Node> nodes, BenchDatabase db, int clients) {
    this(nodes.stream().map(DrivenNode::of).toList(), nodes.get(0), db, clients);
    deployBaseline(nodes.get(0));
  }

  /** Drives the lockbox flow on {@code nodes} (of this JVM or not), whose engine clocks {@code clock} moves. */
  LifecycleDriver(List<? extends DrivenNode> nodes, List<? extends DrivenNode> clock, BenchDatabase db, int clients) {
    this(List.copyOf(nodes), null, new Work(List.copyOf(clock), db.observer()), clients);
  }

  private LifecycleDriver(List<DrivenNode> nodes, Node bareFlowNode, BenchDatabase db, int clients) {
    this(nodes, bareFlowNode, new Work(nodes, db.observer()), clients);
  }

  private LifecycleDriver(List<DrivenNode> nodes, Node bareFlowNode, Work work, int clients) {
    this.nodes = nodes;
    this.bareFlowNode = bareFlowNode;
    this.work = work;
    this.clients = Executors.newFixedThreadPool(clients);
  }

  /** The baseline models, deployed beside the product's (once per database). */
  static void deployBaseline(Node node) {
    RepositoryService repository = node.bean(RepositoryService.class);
    if (repository.createProcessDefinitionQuery().processDefinitionKey(BARE_PROCESS).count() == 0) {
      repository.createDeployment().name("benchmark baseline").addClasspathResource("benchmark/BareLifecycle.bpmn")
          .addClasspathResource("benchmark/BareNotification.bpmn").deploy();
    }
  }

  Work work() {
    return work;
  }

  /** Lifecycles started together, their requests marked with {@code round} (ticket or business key). */
  record Batch(Flow flow, String round, int count) {}

  /** Runs {@code count} lifecycles of {@code flow} and answers how long they took. */
  Round run(Flow flow, int count) throws Exception {
    Latencies creates = new Latencies();
    Latencies approves = new Latencies();
    Map<String, Long> statements = StatementCounter.snapshot();
    long jobsBefore = jobsDone();
    long start = System.nanoTime();
    Batch batch = create(flow, count, creates);
    approve(batch, approves);
    work.advance(Duration.ofHours(8).plusMinutes(1));
    if (flow == Flow.LOCKBOX) {
      work.drain("revoked " + batch.round(), () -> lockboxStatusCount(batch.round(), "ACCESS_ENDED") == count);
    } else {
      work.drain("ended " + batch.round(), () -> work.count(
          "select count(*) from act_ru_execution where business_key_ like ?", batch.round() + "%") == 0);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Round(flow, count, seconds, StatementCounter.since(statements, StatementCounter.snapshot()),
        jobsDone() - jobsBefore, creates, approves);
  }

  /** Jobs the engine finished on this database so far (timers and async continuations): its job log's successes. */
  private long jobsDone() {
    return work.count("select count(*) from act_hi_job_log where job_state_ = 2");
  }

  /** Creates {@code count} requests (timing each call) and waits until they wait for their approver. */
  Batch create(Flow flow, int count, Latencies creates) throws Exception {
    String round = "R" + (++rounds) + "-" + flow + "-" + System.nanoTime() + "-";
    if (flow == Flow.LOCKBOX) {
      parallel(count, i -> call(creates, () -> api(i, "engineer").post("/api/access-requests", Map.of(
          "tenantId", "contoso", "environmentId", "contoso-prod", "supportTicketId", round + i,
          "justification", "Benchmark lifecycle " + round + i, "accessLevel", "READ",
          "isolatedIdentity", true, "mfaVerified", true))));
      work.drain("created " + round, () -> lockboxStatusCount(round, "PENDING_CUSTOMER_APPROVAL") == count);
    } else {
      // The bare flow goes through the engine REST API: of this driver's nodes (which share one database).
      check(bareFlowNode != null, "the bare flow runs on a node of this JVM");
      bareFlowNode.claimEngineName();
      parallel(count, i -> call(creates, () -> api(i, "admin").post(
          "/engine-rest/process-definition/key/" + BARE_PROCESS + "/start", Map.of("businessKey", round + i))));
      work.drain("started " + round, () -> bareTasks(round) == count);
    }
    return new Batch(flow, round, count);
  }

  /** Approves every request of {@code batch} (timing each call) and waits until access is granted. */
  void approve(Batch batch, Latencies approves) throws Exception {
    String round = batch.round();
    if (batch.flow() == Flow.LOCKBOX) {
      List<String> lockboxIds = work.observer().queryForList("select l.id from lockbox_request l join access_request r "
          + "on r.id = l.access_request_id where r.support_ticket_id like ?", String.class, round + "%");
      check(lockboxIds.size() == batch.count(), "lockbox requests of " + round);
      parallel(batch.count(), i -> call(approves, () -> api(i, "contoso-approver")
          .post("/api/lockbox-requests/" + lockboxIds.get(i) + "/approve", Map.of("comment", "Benchmark"))));
      work.drain("approved " + round, () -> lockboxStatusCount(round, "ACCESS_GRANTED") == batch.count());
    } else {
      List<String> taskIds = work.observer().queryForList("select t.id_ from act_ru_task t join act_ru_execution e "
          + "on e.id_ = t.proc_inst_id_ where e.business_key_ like ?", String.class, round + "%");
      parallel(batch.count(), i -> call(approves, () -> api(i, "admin")
          .post("/engine-rest/task/" + taskIds.get(i) + "/complete", Map.of())));
      work.drain("completed " + round, () -> bareTasks(round) == 0);
    }
  }

  long lockboxStatusCount(String round, String status) {
    return work.count("select count(*) from access_request where support_ticket_id like ? and status = ?",
        round + "%", status);
  }

  private long bareTasks(String round) {
    return work.count("select count(*) from act_ru_task t join act_ru_execution e on e.id_ = t.proc_inst_id_ "
        + "where e.business_key_ like ?", round + "%");
  }

  /** Client {@code i}'s API of the node it calls (clients are spread evenly over the nodes). */
  private ApiClient api(int i, String user) {
    return nodes.get(i % nodes.size()).as(user, PASSWORD);
  }

  /** Makes one timed API call, which must succeed. */
  private static Response call(Latencies latencies, Latencies.ThrowingSupplier<Response> http) throws Exception {
    Response response = latencies.time(http);
    check(response.status() / 100 == 2, "HTTP " + response.status() + ": " + response.body());
    return response;
  }

  private <T> List<T> parallel(int count, Call<T> call) throws Exception {
    List<Future<T>> futures = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int index = i;
      futures.add(clients.submit(() -> call.apply(index)));
    }
    List<T> results = new ArrayList<>(count);
    for (Future<T> future : futures) {
      results.add(future.get());
    }
    return results;
  }

  @FunctionalInterface
  private interface Call<T> {
    T apply(int index) throws Exception;
  }

  static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("Not as expected: " + what);
    }
  }

  @Override
  public void close() {
    clients.shutdownNow();
  }
}
