package io.customerlockbox;

import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The base of every test of the running application: the real application with its web server
 * (random port), engine and database, the demo data and the {@code test} profile (in-memory H2,
 * job executor off: tests run jobs themselves with {@link #drive} and move the engine's clock,
 * which is reset after each test). Test classes that declare nothing more share one Spring
 * context.
 *
 * <p>The database is H2 unless the system property {@value #DATABASE} says {@code postgres}:
 * then each Spring context gets a fresh PostgreSQL database of its own ({@link PostgresDatabase}).
 * {@code mvn verify} runs the classes tagged {@value #BOTH_DATABASES} a second time that way
 * (pom.xml, Surefire execution "postgres").
 */
@SpringBootTest(webEnvironment = RANDOM_PORT)
@ActiveProfiles({"demo", "test"})
@Import({Fixtures.class, ApplicationTest.OwnDatabaseDroppedLast.class})
public abstract class ApplicationTest {

  /** System property naming the database of the application under test: h2 (default) or postgres. */
  public static final String DATABASE = "lockbox.test.database";
  /** Tag of the classes {@code mvn verify} runs on H2 and again on PostgreSQL. */
  public static final String BOTH_DATABASES = "both-databases";

  /** The PostgreSQL databases made for contexts of this JVM, by URL, until their context closes. */
  private static final Map<String, PostgresDatabase> OWN_DATABASES = new ConcurrentHashMap<>();

  @LocalServerPort protected int port;
  @Autowired protected Fixtures fixtures;
  @Autowired protected ObjectMapper mapper;
  @Autowired protected ProcessEngine engine;
  @Autowired protected RuntimeService runtimeService;
  @Autowired protected ManagementService managementService;
  @Autowired protected TaskService taskService;
  @Autowired protected HistoryService historyService;
  @Autowired protected JdbcTemplate jdbc;
  @Autowired protected JdbcClient db;

  /** Real HTTP against this application, without credentials until {@link ApiClient#as}. */
  protected ApiClient api;
  /** Runs due jobs, as the job executor would. */
  protected JobDriver jobs;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    if (!onPostgres()) {
      return;
    }
    PostgresDatabase database = PostgresDatabase.create("application");
    OWN_DATABASES.put(database.url(), database);
    registry.add("spring.datasource.url", database::url);
    registry.add("spring.datasource.username", database::user);
    registry.add("spring.datasource.password", database::password);
    registry.add("spring.datasource.hikari.transaction-isolation", () -> "TRANSACTION_READ_COMMITTED");
    // Several cached contexts live in one JVM, and PostgreSQL takes 100 connections in all.
    registry.add("spring.datasource.hikari.maximum-pool-size", () -> "8");
    registry.add("spring.datasource.hikari.minimum-idle", () -> "1");
  }

  /**
   * Drops a context's own PostgreSQL database when the context closes, after its connection pool:
   * the data source depends on the bean that drops it, so Spring destroys that bean last. (A JVM
   * shutdown hook raced the pool's own shutdown: the pool then waited 30 s for a database that was
   * gone, and Surefire killed the fork.)
   */
  @TestConfiguration(proxyBeanMethods = false)
  static class OwnDatabaseDroppedLast {

    private static final String BEAN = "ownPostgresDatabase";

    @Bean
    static BeanFactoryPostProcessor dataSourceDependsOnOwnDatabase() {
      return factory -> {
        if (onPostgres() && factory.containsBeanDefinition("dataSource")) {
          BeanDefinition dataSource = factory.getBeanDefinition("dataSource");
          String[] dependsOn = dataSource.getDependsOn() == null ? new String[0] : dataSource.getDependsOn();
          dataSource.setDependsOn(Stream.concat(Arrays.stream(dependsOn), Stream.of(BEAN)).toArray(String[]::new));
        }
      };
    }

    @Bean(BEAN)
    AutoCloseable ownPostgresDatabase(Environment environment) {
      return () -> {
        PostgresDatabase database = OWN_DATABASES.remove(environment.getProperty("spring.datasource.url", ""));
        if (database != null) {
          database.close();
        }
      };
    }
  }

  /** Whether this run puts the application on PostgreSQL ({@value #DATABASE}=postgres). */
  public static boolean onPostgres() {
    return "postgres".equals(System.getProperty(DATABASE, "h2").trim().toLowerCase(Locale.ROOT));
  }

  @BeforeEach
  void connectTheApplication() {
    api = new ApiClient(port, mapper);
    jobs = new JobDriver(managementService, runtimeService);
    BpmnAwareTests.init(engine);
  }

  @AfterEach
  void resetTheEngineClock() {
    ClockUtil.reset();
  }

  /** Runs the due jobs of access request {@code accessRequestId} and of the notifications it started. */
  protected void drive(String accessRequestId) {
    jobs.executeDueJobsOfRequest(accessRequestId);
  }
}
