package io.customerlockbox;

import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.util.Locale;
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
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
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
@Import(Fixtures.class)
public abstract class ApplicationTest {

  /** System property naming the database of the application under test: h2 (default) or postgres. */
  public static final String DATABASE = "lockbox.test.database";
  /** Tag of the classes {@code mvn verify} runs on H2 and again on PostgreSQL. */
  public static final String BOTH_DATABASES = "both-databases";

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
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        database.close();
      } catch (SQLException e) {
        System.err.println("Could not drop " + database.url() + ": " + e.getMessage());
      }
    }));
    registry.add("spring.datasource.url", database::url);
    registry.add("spring.datasource.username", database::user);
    registry.add("spring.datasource.password", database::password);
    registry.add("spring.datasource.hikari.transaction-isolation", () -> "TRANSACTION_READ_COMMITTED");
    // Several cached contexts live in one JVM, and PostgreSQL takes 100 connections in all.
    registry.add("spring.datasource.hikari.maximum-pool-size", () -> "8");
    registry.add("spring.datasource.hikari.minimum-idle", () -> "1");
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
