package io.customerlockbox.benchmark;

import static io.customerlockbox.benchmark.LifecycleDriver.Flow.LOCKBOX;

import io.customerlockbox.Node;
import io.customerlockbox.benchmark.LifecycleDriver.Round;
import java.util.List;

/**
 * Part 6: lockbox lifecycles per second of two nodes on one PostgreSQL against one node, the
 * clients spread evenly over the nodes and both job executors taking jobs. Both nodes run in
 * this JVM, on this machine's cores: what the second node adds is concurrency on the database,
 * and what it costs is their contention (job acquisition, optimistic locking, the audit chain).
 */
final class ClusterScenario implements Scenario {

  @Override
  public String name() {
    return "cluster";
  }

  @Override
  public boolean runsOn(BenchDatabase.Kind kind) {
    return kind == BenchDatabase.Kind.POSTGRES;
  }

  @Override
  public List<Result> run(BenchDatabase.Kind kind, Scale scale) throws Exception {
    try (BenchDatabase db = BenchDatabase.fresh(kind, "cluster");
        Node first = db.start("node-a")) {
      Round one;
      try (LifecycleDriver driver = new LifecycleDriver(List.of(first), db, scale.clients())) {
        driver.run(LOCKBOX, scale.warmupLifecycles());
        one = driver.run(LOCKBOX, scale.lifecycles());
      }
      try (Node second = db.start("node-b");
          LifecycleDriver driver = new LifecycleDriver(List.of(first, second), db, scale.clients())) {
        driver.run(LOCKBOX, scale.warmupLifecycles());
        Round two = driver.run(LOCKBOX, scale.lifecycles());
        Benchmark.log("  1 node %.1f/s, 2 nodes %.1f/s", one.perSecond(), two.perSecond());
        return List.of(new Result(kind.label(), "6 cluster", "lifecycles/s, 2 nodes (baseline: 1 node)",
            Format.number(two.perSecond()) + "/s", Format.number(one.perSecond()) + "/s",
            Format.ratio(two.perSecond() / one.perSecond()), "", null));
      }
    }
  }
}
