package io.customerlockbox.process;

import io.customerlockbox.EngineInterceptors;
import io.customerlockbox.audit.AuditEventType;
import io.customerlockbox.request.AccessRequestLifecycle;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.history.UserOperationLogEntry;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.CommandChecker;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.UserOperationLogEntryEventEntity;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.HistoricProcessInstanceEntity;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a person does to a lockbox request in the engine itself (Cockpit, Tasklist, the engine REST
 * API): modifying an instance, retrying a job, suspending, writing variables, deleting. Each such
 * operation is recorded in the request's audit trail as {@link AuditEventType#MANUAL_ACTION} with
 * the person, in the operation's own transaction; an attempt the engine refused (no permission) or
 * that failed (a step refused to run) is recorded as {@link AuditEventType#MANUAL_ACTION_REFUSED}
 * in a transaction of its own, so it survives the rollback.
 *
 * <p>The engine tells us of a person's operations through its user operation log (written only
 * for authenticated users: timers and the engine's own jobs are not persons); refusals are seen
 * by an interceptor around every command, with the instances the command's permission checks
 * were about.
 *
 * <p>Not recorded here: task completions (the decision's own event names the person) and the
 * start of a request's own instance (its {@code REQUEST_CREATED} names the requester).
 */
@Component
class ManualActions extends AbstractProcessEnginePlugin implements HistoryEventHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ManualActions.class);

  private final ObjectProvider<AccessRequestLifecycle> lifecycle;
  private final ObjectProvider<PlatformTransactionManager> transactions;
  private final JdbcClient jdbc;
  private ProcessEngineConfigurationImpl configuration;

  /** The operations of the command running on this thread, and the instances its checks were about. */
  private final ThreadLocal<Attempt> attempt = new ThreadLocal<>();

  ManualActions(ObjectProvider<AccessRequestLifecycle> lifecycle, ObjectProvider<PlatformTransactionManager> transactions,
      JdbcClient jdbc) {
    this.lifecycle = lifecycle;
    this.transactions = transactions;
    this.jdbc = jdbc;
  }

  private static final class Attempt {
    int depth;
    /** Request id → what was done to it (in words), in the order it happened. */
    final Map<String, Set<String>> done = new LinkedHashMap<>();
    /** Process instances whose permission checks this command ran. */
    final Set<String> checked = new LinkedHashSet<>();
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    this.configuration = configuration;
    List<HistoryEventHandler> handlers = new ArrayList<>();
    if (configuration.getCustomHistoryEventHandlers() != null) {
      handlers.addAll(configuration.getCustomHistoryEventHandlers());
    }
    handlers.add(this);
    configuration.setCustomHistoryEventHandlers(handlers);
    configuration.setCustomPreCommandInterceptorsTxRequired(
        EngineInterceptors.first(configuration.getCustomPreCommandInterceptorsTxRequired(), new Interceptor()));
  }

  @Override
  public void postInit(ProcessEngineConfigurationImpl configuration) {
    configuration.getCommandCheckers().add(0, (CommandChecker) Proxy.newProxyInstance(
        CommandChecker.class.getClassLoader(), new Class<?>[] {CommandChecker.class}, new CheckWatcher()));
  }

  // --- what was done: the user operation log

  @Override
  public void handleEvent(HistoryEvent event) {
    if (event instanceof UserOperationLogEntryEventEntity entry) {
      handle(entry);
    }
  }

  @Override
  public void handleEvents(List<HistoryEvent> events) {
    events.forEach(this::handleEvent);
  }

  private void handle(UserOperationLogEntryEventEntity entry) {
    Attempt current = attempt.get();
    if (current == null || entry.getUserId() == null
        || UserOperationLogEntry.OPERATION_TYPE_COMPLETE.equals(entry.getOperationType())) {
      return;
    }
    if (entry.getProcessInstanceId() == null) {
      // One operation on every instance of the access request process (suspend them all, retry
      // all their jobs): each request still being handled is touched by it.
      if (ProcessModel.PROCESS_KEY.equals(entry.getProcessDefinitionKey())) {
        jdbc.sql("select id from access_request where status in (" + STILL_HANDLED + ") order by id")
            .query(String.class).list().forEach(requestId -> record(current, entry, requestId));
      }
      return;
    }
    String requestId = requestOf(entry.getProcessInstanceId());
    if (requestId == null || isOwnStart(entry, requestId)) {
      return;
    }
    record(current, entry, requestId);
  }

  /** Statuses of requests whose instance still waits (for a decision, or for access to end). */
  private static final String STILL_HANDLED =
      "'SUBMITTED', 'PENDING_INTERNAL_APPROVAL', 'PENDING_CUSTOMER_APPROVAL', 'ACCESS_GRANTED'";

  private void record(Attempt current, UserOperationLogEntryEventEntity entry, String requestId) {
    String words = inWords(entry.getOperationType());
    if (!current.done.computeIfAbsent(requestId, id -> new LinkedHashSet<>()).add(words)) {
      return;
    }
    LOG.info("{} {} access request {} ({} on {})", entry.getUserId(), words, requestId, entry.getOperationType(),
        entry.getEntityType());
    lifecycle.getObject().record(AuditEventType.MANUAL_ACTION, requestId, entry.getUserId(), null, words,
        "manual/" + entry.getOperationId() + "/" + requestId + "/" + Integer.toHexString(words.hashCode()));
  }

  /** The start of a request's own instance is its REQUEST_CREATED; a second instance for it is not. */
  private boolean isOwnStart(UserOperationLogEntryEventEntity entry, String requestId) {
    if (!UserOperationLogEntry.OPERATION_TYPE_CREATE.equals(entry.getOperationType())) {
      return false;
    }
    String instance = jdbc.sql("select process_instance_id from access_request where id = ?").param(requestId)
        .query(String.class).optional().orElse(null);
    return instance == null || instance.equals(entry.getProcessInstanceId());
  }

  /**
   * The access request process instance {@code processInstanceId} works for (its business key, or
   * the request a notification's key names), or null when it is none of the lockbox's. Read
   * through the command's own context: a started instance is not in the database yet.
   */
  private String requestOf(String processInstanceId) {
    CommandContext context = Context.getCommandContext();
    String businessKey = null;
    if (context != null) {
      ExecutionEntity execution = context.getExecutionManager().findExecutionById(processInstanceId);
      if (execution != null) {
        businessKey = execution.getBusinessKey();
      } else {
        HistoricProcessInstanceEntity historic = context.getDbEntityManager()
            .selectById(HistoricProcessInstanceEntity.class, processInstanceId);
        businessKey = historic == null ? null : historic.getBusinessKey();
      }
    }
    if (businessKey != null) {
      return jdbc.sql("select id from access_request where id = ?").param(ProcessModel.requestOf(businessKey))
          .query(String.class).optional().orElse(null);
    }
    return jdbc.sql("select id from access_request where process_instance_id = ?").param(processInstanceId)
        .query(String.class).optional().orElse(null);
  }

  /** What an operation did, in the customer's words (they read their trail; engine terms mean nothing to them). */
  static String inWords(String operationType) {
    return switch (operationType) {
      case "ModifyProcessInstance" -> "moved the request to another step by hand";
      case "SetJobRetries", "SetExternalTaskRetries" -> "retried a failed step";
      case "Resolve" -> "marked a problem with the request as resolved";
      case "CreateIncident" -> "marked the request as having a problem";
      case "SetAnnotation", "ClearAnnotation" -> "annotated a problem with the request";
      case "SetVariable", "SetVariables", "ModifyVariable", "RemoveVariable" -> "changed the request's working data by hand";
      case "Suspend", "SuspendJob", "SuspendJobDefinition" -> "paused the request's handling";
      case "Activate", "ActivateJob", "ActivateJobDefinition" -> "resumed the request's handling";
      case "Delete" -> "deleted the request's handling";
      case "Migrate" -> "moved the request to another version of its handling";
      case "RestartProcessInstance" -> "restarted the request's handling";
      case "Create" -> "started a second handling of the request";
      case "Claim", "Assign", "SetOwner", "Delegate", "AddUserLink", "DeleteUserLink", "AddGroupLink",
          "DeleteGroupLink" -> "changed who works on the request's review";
      case "SetDueDate", "RecalculateDueDate" -> "changed when a scheduled step of the request runs";
      case "Execute" -> "ran a scheduled step of the request by hand";
      case "CorrelateMessage" -> "sent the request's handling a message by hand";
      default -> "changed the request's handling by hand";
    };
  }

  // --- what was tried: the permission checks and the command's outcome

  /** Notes the instances each permission check of a changing command is about; decides nothing. */
  private final class CheckWatcher implements InvocationHandler {

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "ManualActions.CheckWatcher";
        };
      }
      Attempt current = attempt.get();
      if (current != null && args != null && !method.getName().startsWith("checkRead")) {
        for (Object arg : args) {
          String instance = instanceOf(method, arg);
          if (instance != null) {
            current.checked.add(instance);
          }
        }
      }
      return null;
    }

    private String instanceOf(Method method, Object arg) {
      if (arg instanceof ExecutionEntity execution) {
        return execution.getProcessInstanceId();
      }
      if (arg instanceof JobEntity job) {
        return job.getProcessInstanceId();
      }
      if (arg instanceof TaskEntity task) {
        return task.getProcessInstanceId();
      }
      if (arg instanceof String id && method.getName().endsWith("ProcessInstanceById")) {
        return id;
      }
      return null;
    }
  }

  private final class Interceptor extends CommandInterceptor {

    @Override
    public <T> T execute(Command<T> command) {
      Attempt current = attempt.get();
      if (current == null) {
        current = new Attempt();
        attempt.set(current);
      }
      current.depth++;
      try {
        return next.execute(command);
      } catch (RuntimeException failure) {
        if (current.depth == 1) {
          refused(current, failure);
        }
        throw failure;
      } finally {
        if (--current.depth == 0) {
          attempt.remove();
        }
      }
    }
  }

  /**
   * A person's command failed: what it did or tried to lockbox requests is recorded as refused, in
   * a transaction of its own. Calls from the product's own API run inside its transaction, which
   * answers for them.
   */
  private void refused(Attempt failed, RuntimeException failure) {
    Authentication person = configuration.getIdentityService().getCurrentAuthentication();
    if (person == null || person.getUserId() == null || TransactionSynchronizationManager.isActualTransactionActive()) {
      return;
    }
    Map<String, Set<String>> tried = new LinkedHashMap<>(failed.done);
    if (tried.isEmpty() && failure instanceof AuthorizationException) {
      for (String instance : failed.checked) {
        String requestId = requestOf(instance);
        if (requestId != null) {
          tried.computeIfAbsent(requestId, id -> new LinkedHashSet<>()).add("tried to change the request's handling");
        }
      }
    }
    if (tried.isEmpty()) {
      return;
    }
    TransactionTemplate own = new TransactionTemplate(transactions.getObject());
    own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    tried.forEach((requestId, what) -> {
      String words = String.join("; ", what) + ": refused";
      LOG.warn("{} {} access request {} ({})", person.getUserId(), words, requestId, failure.getClass().getSimpleName());
      own.executeWithoutResult(status -> lifecycle.getObject().record(AuditEventType.MANUAL_ACTION_REFUSED, requestId,
          person.getUserId(), null, words, null));
    });
  }
}
