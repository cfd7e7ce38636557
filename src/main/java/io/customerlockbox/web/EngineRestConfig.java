package io.customerlockbox.web;

import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.rest.exception.ExceptionHandler;
import org.camunda.bpm.engine.rest.exception.ProcessEngineExceptionHandler;
import org.camunda.bpm.engine.rest.exception.RestExceptionHandler;
import org.camunda.bpm.engine.rest.impl.CamundaRestResources;
import org.camunda.bpm.spring.boot.starter.rest.CamundaJerseyResourceConfig;
import org.springframework.stereotype.Component;

/**
 * The engine REST API as the starter configures it, with {@link EngineRestErrors} in place of
 * Camunda's exception mappers for engine and REST exceptions, so refusals inside task listeners answer 400/403 and
 * unexpected failures never show their message (SQL, class names) to the caller.
 */
@Component
class EngineRestConfig extends CamundaJerseyResourceConfig {

  private static final Set<Class<?>> REPLACED = Set.of(ProcessEngineExceptionHandler.class,
      RestExceptionHandler.class, ExceptionHandler.class);

  @Override
  protected void registerCamundaRestResources() {
    registerClasses(CamundaRestResources.getResourceClasses());
    registerClasses(CamundaRestResources.getConfigurationClasses().stream()
        .filter(type -> !REPLACED.contains(type)).collect(Collectors.toSet()));
    register(org.glassfish.jersey.jackson.JacksonFeature.class);
    register(EngineRestErrors.class);
  }
}
