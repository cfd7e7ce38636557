package io.customerlockbox.security;

import io.customerlockbox.EngineInterceptors;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.StartProcessInstanceAtActivitiesCmd;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.springframework.stereotype.Component;

/**
 * The one engine right the permission table cannot narrow: whoever may start an instance
 * ({@code CREATE_INSTANCE}, engineers for the start form) may also start it at any activity, past
 * the start event and its checks. Only Camunda administrators do that; for everyone else an
 * instance starts where the model starts it, in every channel (engine REST API, webapps).
 */
@Component
class EngineStartGuard extends AbstractProcessEnginePlugin {

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    configuration.setCustomPreCommandInterceptorsTxRequired(EngineInterceptors.last(
        configuration.getCustomPreCommandInterceptorsTxRequired(), new CommandInterceptor() {
      @Override
      public <T> T execute(Command<T> command) {
        if (command instanceof StartProcessInstanceAtActivitiesCmd) {
          Authentication person = configuration.getIdentityService().getCurrentAuthentication();
          if (person != null && (person.getGroupIds() == null || !person.getGroupIds().contains(Groups.CAMUNDA_ADMIN))) {
            throw new AuthorizationException("Only Camunda administrators may start an instance past its start "
                + "event; " + person.getUserId() + " may not.");
          }
        }
        return next.execute(command);
      }
    }));
  }
}
