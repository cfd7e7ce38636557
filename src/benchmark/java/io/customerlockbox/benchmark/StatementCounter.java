package io.customerlockbox.benchmark;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Counts the SQL statements benchmark nodes send (engine and lockbox alike), in all and by
 * statement text: the measure that says where a lifecycle's time goes, whatever else the machine
 * is doing.
 */
final class StatementCounter {

  private static final Map<String, LongAdder> BY_TEXT = new ConcurrentHashMap<>();
  private static final Map<String, LongAdder> NANOS_BY_TEXT = new ConcurrentHashMap<>();
  private static final ThreadLocal<Long> STARTED = new ThreadLocal<>();

  private StatementCounter() {}

  /** Wraps a node's DataSource so every statement it executes is counted. */
  static ApplicationContextInitializer<GenericApplicationContext> initializer() {
    return context -> context.registerBean("benchmarkStatementCounter", BeanPostProcessor.class,
        () -> new BeanPostProcessor() {
          @Override
          public Object postProcessAfterInitialization(Object bean, String name) {
            return bean instanceof DataSource dataSource
                ? ProxyDataSourceBuilder.create(dataSource).name(name)
                    .beforeQuery((execution, queries) -> STARTED.set(System.nanoTime()))
                    .afterQuery((execution, queries) -> {
                      // A JDBC batch's time is shared out evenly among its statements.
                      long share = (System.nanoTime() - STARTED.get()) / Math.max(1, queries.size());
                      queries.forEach(query -> {
                        BY_TEXT.computeIfAbsent(query.getQuery(), text -> new LongAdder()).increment();
                        NANOS_BY_TEXT.computeIfAbsent(query.getQuery(), text -> new LongAdder()).add(share);
                      });
                    })
                    .build()
                : bean;
          }
        });
  }

  /** How often each statement was executed by every node of this JVM so far (each of a JDBC batch counts). */
  static Map<String, Long> snapshot() {
    Map<String, Long> counts = new HashMap<>();
    BY_TEXT.forEach((text, count) -> counts.put(text, count.sum()));
    return counts;
  }

  /** How long the statements of each text took so far, in nanoseconds, from the node's call to its answer. */
  static Map<String, Long> nanosSnapshot() {
    Map<String, Long> nanos = new HashMap<>();
    NANOS_BY_TEXT.forEach((text, sum) -> nanos.put(text, sum.sum()));
    return nanos;
  }

  static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** What was executed between two snapshots. */
  static Map<String, Long> since(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> delta = new HashMap<>();
    after.forEach((text, count) -> {
      long d = count - before.getOrDefault(text, 0L);
      if (d > 0) {
        delta.put(text, d);
      }
    });
    return delta;
  }
}
