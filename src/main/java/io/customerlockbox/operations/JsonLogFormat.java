package io.customerlockbox.operations;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code LOG_FORMAT=json} switches the console log to one JSON object per line (Elastic Common
 * Schema), which log shippers read without parsing patterns. Runs before logging starts.
 */
public class JsonLogFormat implements EnvironmentPostProcessor {

  static final String VARIABLE = "LOG_FORMAT";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    if ("json".equalsIgnoreCase(environment.getProperty(VARIABLE))) {
      environment.getPropertySources().addFirst(new MapPropertySource("lockboxJsonLogFormat",
          Map.of("logging.structured.format.console", "ecs")));
    }
  }
}
