package io.customerlockbox.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.customerlockbox.ApiClient;
import io.customerlockbox.audit.AuditEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The customer's Recent table, an access request by id and the audit search (by tenant, by type,
 * by time, by request), through the HTTP API of a node on a year of {@link History}: each query
 * called {@code querySamples} times with varied tenants, ids, types and windows after as many calls
 * to warm up, one call at a time. Every answer is checked against the history's own account of it.
 */
final class QueryScenario implements Scenario {

  private static final double RECENT_AND_BY_ID_GOAL_MS = 50;
  private static final double SEARCH_GOAL_MS = 100;
  private static final int RECENT_DAYS = 28;
  /** The audit search's default page size. */
  private static final int PAGE = 50;
  private static final List<Integer> WINDOW_DAYS = List.of(1, 7, 30);

  @Override
  public String name() {
    return "queries";
  }

  @Override
  public List<Result> run(BenchDatabase.Kind kind, Scale scale) throws Exception {
    try (BenchDatabase db = HistoricalData.database(kind, scale);
        HistoricalData data = HistoricalData.start(db, name(), scale.historicalRequests())) {
      List<Result> results = new ArrayList<>(data.results(kind, name()));
      Random random = new Random(7);
      for (Query query : queries(data)) {
        Latencies latencies = new Latencies();
        for (int i = 0; i < 2 * scale.querySamples(); i++) {
          Call call = query.sample().apply(random);
          ApiClient.Response response = i < scale.querySamples() ? call.client().get(call.path())
              : latencies.time(() -> call.client().get(call.path()));
          if (response.status() != 200) {
            throw new IllegalStateException(call.path() + " answered " + response);
          }
          call.check().accept(response.json());
        }
        Benchmark.log("%s: p50 %.1f ms, p99 %.1f ms", query.name(), latencies.millis(50), latencies.millis(99));
        double p99 = latencies.millis(99);
        results.add(Result.info(kind.label(), name(), query.name() + ", p50", Format.millis(latencies.millis(50))));
        results.add(Result.against(kind.label(), name(), query.name() + ", p99", Format.millis(p99),
            "< " + Format.millis(query.goalMillis()), p99 < query.goalMillis()));
      }
      return results;
    }
  }

  private record Query(String name, double goalMillis, Function<Random, Call> sample) {}

  /** One call: who asks, what, and how to tell the answer is right. */
  private record Call(ApiClient client, String path, Consumer<JsonNode> check) {}

  private static List<Query> queries(HistoricalData data) {
    History history = data.history();
    List<AuditEventType> types = History.OUTCOMES.stream()
        .flatMap(outcome -> outcome.steps().stream().map(History.Step::type)).distinct().toList();
    return List.of(
        new Query("Recent table (" + RECENT_DAYS + " days)", RECENT_AND_BY_ID_GOAL_MS, random -> {
          int tenant = random.nextInt(history.tenants());
          List<String> expected = history.recentLockboxIds(tenant,
              history.asOf().minus(Duration.ofDays(RECENT_DAYS)));
          return new Call(data.node().as(history.admin(tenant), history.password(tenant)),
              "/api/tenants/" + history.tenantId(tenant) + "/lockbox-requests?days=" + RECENT_DAYS,
              rows -> expect("Recent table of " + history.tenantId(tenant), ids(rows), expected));
        }),
        new Query("Access request by id", RECENT_AND_BY_ID_GOAL_MS, random -> {
          long x = random.nextInt(history.requests());
          int tenant = history.tenantOf(x);
          History.Outcome outcome = history.outcome(x);
          return new Call(data.node().as(history.admin(tenant), history.password(tenant)),
              "/api/access-requests/" + history.requestId(x), request -> {
                List<Object> actual = List.of(request.get("id").asText(), request.get("tenantId").asText(),
                    request.get("status").asText(), request.get("lockbox").isNull(), request.get("grant").isNull());
                expect("Request " + history.requestId(x), actual, List.of(history.requestId(x),
                    history.tenantId(tenant), outcome.status().name(), outcome.lockbox() == null,
                    outcome.grantStep() == null));
              });
        }),
        search(data, "Audit search by tenant", random -> new Filter(random.nextInt(history.tenants()), null, null, null, null)),
        search(data, "Audit search by tenant and type", random -> new Filter(random.nextInt(history.tenants()), null, null,
            types.get(random.nextInt(types.size())), null)),
        search(data, "Audit search by tenant and time (1, 7 or 30 days)", random -> {
          Duration window = Duration.ofDays(WINDOW_DAYS.get(random.nextInt(WINDOW_DAYS.size())));
          long room = History.SPAN.minus(window).toMillis();
          Instant from = history.start().plusMillis((long) (random.nextDouble() * room));
          return new Filter(random.nextInt(history.tenants()), from, from.plus(window), null, null);
        }),
        search(data, "Audit search by request", random -> {
          long x = random.nextInt(history.requests());
          return new Filter(history.tenantOf(x), null, null, null, x);
        }));
  }

  /** The audit search's filters, as the history numbers them. */
  private record Filter(int tenant, Instant from, Instant to, AuditEventType type, Long requestX) {}

  /** An auditor of the tenant searches its trail: the first page, newest first. */
  private static Query search(HistoricalData data, String name, Function<Random, Filter> filters) {
    History history = data.history();
    return new Query(name, SEARCH_GOAL_MS, random -> {
      Filter f = filters.apply(random);
      String path = "/api/audit-events?tenantId=" + history.tenantId(f.tenant())
          + (f.from() == null ? "" : "&from=" + f.from() + "&to=" + f.to())
          + (f.type() == null ? "" : "&type=" + f.type())
          + (f.requestX() == null ? "" : "&requestId=" + history.requestId(f.requestX()));
      // One more than a page: whether there is a next page is part of the answer.
      List<String> found = history.search(f.tenant(), f.from(), f.to(), f.type(), f.requestX(), PAGE + 1);
      List<String> expected = found;
      if (f.from() == null && f.type() == null && f.requestX() == null) {
        // Every read of the trail is itself an event of the tenant's trail, newer than the history:
        // the earlier calls' searches lead the page, and in a kept database the exports of earlier
        // runs' export scenario (recorded in every tenant's chain they read).
        List<String> reads = new ArrayList<>(data.node().jdbc().queryForList("select id from audit_event "
            + "where tenant_id = ? and event_type like 'AUDIT_TRAIL_%' order by seq desc", String.class,
            history.tenantId(f.tenant())));
        reads.addAll(found);
        expected = reads.subList(0, Math.min(reads.size(), PAGE + 1));
      }
      List<String> answer = expected;
      return new Call(data.node().as(history.auditor(f.tenant()), history.password(f.tenant())), path, page -> {
        expect(path, ids(page.get("events")), answer.subList(0, Math.min(PAGE, answer.size())));
        expect(path + " hasMore", page.get("hasMore").asBoolean(), answer.size() > PAGE);
      });
    });
  }

  private static List<String> ids(JsonNode array) {
    List<String> ids = new ArrayList<>();
    array.forEach(element -> ids.add(element.get("id").asText()));
    return ids;
  }

  private static void expect(String what, Object actual, Object expected) {
    if (!Objects.equals(actual, expected)) {
      throw new IllegalStateException(what + ": expected " + expected + " but the API answered " + actual);
    }
  }
}
