package io.customerlockbox.process;

import io.customerlockbox.notify.Occasion;
import io.customerlockbox.request.StepContext;
import io.customerlockbox.security.LockboxUser;
import io.customerlockbox.web.PrintableText;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;

/** What every delegate and listener reads the same way. */
final class Steps {

  private static final int MAX_COMMENT = 2000;

  private Steps() {}

  /**
   * The access request a step works for: its instance's business key, set when the instance
   * started and read with the instance itself. A variable lookup walks the tree of executions,
   * which a step on another node may reshape at that moment (a reminder firing beside the
   * expiry); it then read nothing, and the step failed with an error of its own instead of losing
   * the race cleanly (and being tried again at once, see {@link CollisionRetry}).
   */
  static String requestId(DelegateExecution execution) {
    return ProcessModel.requestOf(execution.getProcessBusinessKey());
  }

  static String requestId(DelegateTask task) {
    return requestId(task.getExecution());
  }

  /**
   * The notification's occasion: a notification instance's business key names it; a notify task's
   * {@code notification} input, or the variable of a notification started by an earlier version, otherwise.
   */
  static Occasion occasion(DelegateExecution execution) {
    String named = ProcessModel.occasionOf(execution.getProcessBusinessKey());
    return Occasion.valueOf(named != null ? named : (String) execution.getVariable(ProcessModel.NOTIFICATION));
  }

  /** Process instance + activity: the key that makes a repeated step write once. */
  static String key(DelegateExecution execution) {
    return execution.getProcessInstanceId() + "/" + execution.getCurrentActivityId();
  }

  static String key(DelegateTask task) {
    return task.getProcessInstanceId() + "/" + task.getTaskDefinitionKey() + "/" + task.getEventName();
  }

  /** What the domain needs to know about the step asking it for something (see {@link StepContext}). */
  static StepContext context(DelegateExecution execution) {
    return new StepContext(requestId(execution), execution.getProcessInstanceId(), key(execution), actor(execution));
  }

  static StepContext context(DelegateTask task) {
    return new StepContext(requestId(task), task.getProcessInstanceId(), key(task), currentUser(task));
  }

  /** The person whose engine call runs this step (a Cockpit modification, a job run by hand); null for the job executor. */
  static String actor(DelegateExecution execution) {
    var authentication = execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    return authentication == null ? null : authentication.getUserId();
  }

  /** The person completing the task, as Tasklist, the engine REST API or our API authenticated them. */
  static String currentUser(DelegateTask task) {
    var authentication = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    return authentication == null ? null : authentication.getUserId();
  }

  /**
   * The person completing the task with the groups and tenants the engine authenticated them
   * with; null when nobody is authenticated (the decision is then refused).
   */
  static LockboxUser currentPerson(DelegateTask task) {
    var authentication = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    if (authentication == null || authentication.getUserId() == null) {
      return null;
    }
    return new LockboxUser(authentication.getUserId(), Set.copyOf(nonNull(authentication.getGroupIds())),
        Set.copyOf(nonNull(authentication.getTenantIds())));
  }

  private static List<String> nonNull(List<String> ids) {
    return ids == null ? List.of() : ids;
  }

  /**
   * Removes decision variables set on the instance before the decision task existed (through the
   * engine REST API, say): a decision counts only as its task's completion submits it.
   */
  static void clearDecision(DelegateTask task, String... variables) {
    for (String variable : variables) {
      task.getExecution().removeVariable(variable);
    }
  }

  static String comment(DelegateTask task, String variable) {
    Object value = task.getVariable(variable);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text) || text.length() > MAX_COMMENT) {
      throw new BadUserRequestException(variable + ": must be text of at most " + MAX_COMMENT + " characters");
    }
    // Tasklist, the engine REST API, the /lockbox page and our API all decide through here.
    String unprintable = PrintableText.problem(text);
    if (unprintable != null) {
      throw new BadUserRequestException(variable + ": text that " + unprintable);
    }
    return text.isBlank() ? null : text;
  }
}
