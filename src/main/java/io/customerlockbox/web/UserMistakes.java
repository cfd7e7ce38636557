package io.customerlockbox.web;

import io.customerlockbox.EngineInterceptors;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.SubmitStartFormCmd;
import org.camunda.bpm.engine.impl.cmd.SubmitTaskFormCmd;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.springframework.stereotype.Component;

/**
 * A refusal of what a person entered (a denial without a reason, an environment that is not the
 * tenant's) is the person's mistake, not the product's, however it reaches the engine.
 *
 * <p>The engine wraps what a task listener throws (ENGINE-03051) and logs the wrapper as an ERROR
 * with its stack trace; inside the command the refusal itself is thrown again, which the engine
 * logs at DEBUG. Tasklist submits its forms through Camunda's own REST resources, which answer a
 * form's validation failure with 400 and anything else with 500: a refusal of a submitted form
 * leaves the engine as a form validation failure, with the refusal's own message.
 */
@Component
class UserMistakes extends AbstractProcessEnginePlugin {

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    configuration.setCustomPreCommandInterceptorsTxRequired(
        EngineInterceptors.last(configuration.getCustomPreCommandInterceptorsTxRequired(), new FormRefusals()));
    configuration.setCustomPostCommandInterceptorsTxRequired(
        EngineInterceptors.last(configuration.getCustomPostCommandInterceptorsTxRequired(), new UnwrapRefusals()));
  }

  /** The refusal a plain engine wrapper stands for, or null. */
  static BadUserRequestException refusalInside(ProcessEngineException failure) {
    if (failure.getClass() != ProcessEngineException.class) {
      return null;
    }
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof BadUserRequestException refusal) {
        return refusal;
      }
    }
    return null;
  }

  /** Inside the command context: the refusal, not its wrapper, is what failed. */
  static final class UnwrapRefusals extends CommandInterceptor {
    @Override
    public <T> T execute(Command<T> command) {
      try {
        return next.execute(command);
      } catch (ProcessEngineException failure) {
        BadUserRequestException refusal = refusalInside(failure);
        throw refusal != null ? refusal : failure;
      }
    }
  }

  /** Outside it (logged, rolled back): a refused form submission is a form validation failure. */
  static final class FormRefusals extends CommandInterceptor {
    @Override
    public <T> T execute(Command<T> command) {
      try {
        return next.execute(command);
      } catch (BadUserRequestException refusal) {
        if (command instanceof SubmitStartFormCmd || command instanceof SubmitTaskFormCmd) {
          throw new FormFieldValidationException(null, refusal.getMessage(), refusal);
        }
        throw refusal;
      }
    }
  }
}
