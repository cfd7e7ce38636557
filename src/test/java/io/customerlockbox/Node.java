package io.customerlockbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.ManagementService;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One application node as deployed: the real application with its own web server (random port),
 * engine and job executor, on the database it is given.
 */
public final class Node implements AutoCloseable {

  private final String name;
  private final ConfigurableApplicationContext context;
  private final ApiClient api;

  private Node(String name, ConfigurableApplicationContext context) {
    this.name = name;
    this.context = context;
    claimEngineName();
    int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    this.api = new ApiClient(port, context.getBean(ObjectMapper.class));
  }

  /** Starts node {@code name} with {@code profiles} and extra {@code settings} (name=value). */
  public static Node start(String name, String profiles, String... settings) {
    return start(name, profiles, context -> { }, settings);
  }

  /** As {@link #start(String, String, String...)}, with {@code initializer} adding beans of the test's own. */
  public static Node start(String name, String profiles,
      ApplicationContextInitializer<GenericApplicationContext> initializer, String... settings) {
    List<String> all = new ArrayList<>(List.of(
        // The job executor looks for due jobs at least every 2 s, so moving the clock shows soon.
        "camunda.bpm.job-execution.max-wait=2000",
        "camunda.bpm.job-execution.wait-time-in-millis=500"));
    all.addAll(List.of(settings));
    return launch(name, profiles, initializer, all.toArray(String[]::new));
  }

  /** Starts node {@code name} with the engine settings of the profiles alone, plus {@code settings}. */
  public static Node launch(String name, String profiles,
      ApplicationContextInitializer<GenericApplicationContext> initializer, String... settings) {
    List<String> args = new ArrayList<>(List.of(
        "--spring.profiles.active=" + profiles,
        "--server.port=0",
        "--camunda.bpm.generic-properties.properties.hostname=" + name,
        "--logging.level.root=warn",
        "--logging.level.io.customerlockbox=warn"));
    for (String setting : settings) {
      args.add("--" + setting);
    }
    return new Node(name, new SpringApplicationBuilder(LockboxApplication.class).initializers(initializer)
        .run(args.toArray(String[]::new)));
  }

  /** Settings that put a node on the PostgreSQL database {@code db} with the postgres profile. */
  public static String[] postgres(PostgresDatabase db, String... more) {
    List<String> settings = new ArrayList<>(List.of("spring.datasource.url=" + db.url(),
        "spring.datasource.username=" + db.user(), "spring.datasource.password=" + db.password()));
    settings.addAll(List.of(more));
    return settings.toArray(String[]::new);
  }

  /**
   * Makes this node's engine the one its engine REST API serves. That API finds its engine by name
   * in static registries, which another node or cached test context of this JVM may hold.
   */
  public void claimEngineName() {
    EngineOfThisContext.claimDefaultName(context);
  }

  public String name() {
    return name;
  }

  public ApiClient as(String user, String password) {
    return api.as(user, password);
  }

  public ApiClient anonymous() {
    return api.anonymous();
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  public JdbcTemplate jdbc() {
    return bean(JdbcTemplate.class);
  }

  public ManagementService management() {
    return bean(ManagementService.class);
  }

  @Override
  public void close() {
    context.close();
  }
}
