package io.customerlockbox.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.ApiClient;
import io.customerlockbox.ApiClient.Response;
import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.JobDriver;
import io.customerlockbox.policy.NewEnvironment;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.process.ProcessModel;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.request.Decision;
import io.customerlockbox.request.LockboxRequestService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * The adversary's test of issue 13: every provider-side role tries every engine REST and webapp
 * action that can move an instance, on requests waiting in each state, over real HTTP. After each
 * attempt: no grant appeared or grew, the data plane's check still says {@code allowed: false}
 * where it did, no status moved without its decision (only moves that take access away, and a
 * support lead's own internal decision, are allowed), and nothing was recorded as the customer's
 * decision. The customer's approvers are not among the attackers: nobody here is the customer.
 *
 * <p>Camunda administrators keep every engine right, so their attempts reach the domain: the
 * guarantee holds there (a grant needs a basis), not in the engine's permissions.
 */
class EngineDoorsTest extends ApplicationTest {

  /** The provider-side roles, as the demo's people (the second engineer is made here). */
  enum Role {
    REQUESTER("engineer", "tasklist"), OTHER_ENGINEER("doors-engineer", "tasklist"), LEAD("lead", "tasklist"),
    OPERATOR("operator", "cockpit"), BREAK_GLASS("oncall", "tasklist"), DATA_PLANE("dataplane", null),
    CAMUNDA_ADMIN("admin", "cockpit");

    final String user;
    final String webapp;

    Role(String user, String webapp) {
      this.user = user;
      this.webapp = webapp;
    }

    String password() {
      return this == OTHER_ENGINEER ? Fixtures.PASSWORD : "demo";
    }
  }

  /** The states a request waits in when the attack comes. */
  enum State { PENDING_INTERNAL_APPROVAL, PENDING_CUSTOMER_APPROVAL, DENIED, EXPIRED, ACCESS_GRANTED, ACCESS_ENDED }

  /** A request under attack: on an environment of its own, so the data plane's check speaks of it alone. */
  record Target(State state, String requestId, String environmentId, String processInstanceId) {}

  /** One HTTP call of an attack: through the engine REST API or the webapps' copy of it. */
  record Call(String method, String path, String body) {}

  /** An attack: the calls it makes on a target as it is at that moment (none: it does not apply). */
  record Attack(String name, boolean throughWebapps, Function<Target, List<Call>> calls) {}

  private static final String KEY = ProcessModel.PROCESS_KEY;
  private static final String ENGINE = "/engine-rest";
  private static final String WEBAPP_ENGINE = "/camunda/api/engine/engine/default";
  private static final String ADVERSARY = "AdversaryProcess";

  @Autowired AccessRequestService requests;
  @Autowired LockboxRequestService lockbox;
  @Autowired PolicyService policies;
  @Autowired RepositoryService repositoryService;

  private TestTenant tenant;
  private long preparing;
  private int environments;
  private final Map<String, Integer> attempts = new TreeMap<>();
  private final Map<String, Integer> refusals = new TreeMap<>();
  /** Attempts answered 5xx: the engine or one of the product's steps failed rather than refused. */
  private final Map<String, Integer> failed = new TreeMap<>();
  private final List<String> failures = new ArrayList<>();

  @AfterEach
  void removeTheAdversarysDeployments() {
    repositoryService.createDeploymentQuery().deploymentName("adversary").list()
        .forEach(deployment -> repositoryService.deleteDeployment(deployment.getId(), true, true));
  }

  @Test
  void noEngineDoorGrantsAccessOrMovesARequestWithoutItsDecision() {
    long started = System.nanoTime();
    tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    fixtures.user(Role.OTHER_ENGINEER.user, null, Groups.SUPPORT_ENGINEERS);
    List<Attack> attacks = attacks();
    for (Role role : Role.values()) {
      ApiClient http = api.as(role.user, role.password());
      ApiClient webapp = api.session();
      if (role.webapp != null) {
        assertThat(webapp.loginToWebapp(role.webapp, role.user, role.password()).status()).as(role + " logs in")
            .isLessThan(300);
      }
      long preparation = System.nanoTime();
      List<Target> targets = new ArrayList<>();
      for (State state : State.values()) {
        targets.add(prepare(state));
      }
      preparing += System.nanoTime() - preparation;
      // Its own model, calling the product's delegates for a request of the adversary's choice.
      attempt(role, http, targets.get(0), "deploy a model", new Call("POST", ENGINE + "/deployment/create", null));
      for (Target target : targets) {
        for (Attack attack : attacks) {
          for (Call call : attack.calls().apply(target)) {
            attempt(role, http, target, attack.name(), call);
            if (attack.throughWebapps()) {
              attempt(role, webapp, target, attack.name() + " (webapp)",
                  new Call(call.method(), call.path().replace(ENGINE, WEBAPP_ENGINE), call.body()));
            }
          }
        }
      }
    }
    int all = attempts.values().stream().mapToInt(Integer::intValue).sum();
    int refused = refusals.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf("Engine doors: %d attempts by %d roles on %d states, %d refused by the engine, %d accepted "
            + "by it and held by the domain (%.1f s)%n", all, Role.values().length, State.values().length, refused,
        all - refused, (System.nanoTime() - started) / 1e9);
    attempts.forEach((role, count) -> System.out.printf("  %-16s %4d attempts, %4d refused (%d of them 5xx)%n",
        role, count, refusals.getOrDefault(role, 0), failed.getOrDefault(role, 0)));
    System.out.printf("  preparing the requests took %.1f s%n", preparing / 1e9);
    assertThat(failures).as("what the attacks achieved").isEmpty();
    // The trail names who tried: every role's refused attempts are on record under its name.
    List<String> named = db.sql("select distinct actor from audit_event where tenant_id = ? and event_type in "
        + "('MANUAL_ACTION_REFUSED', 'STEP_REFUSED', 'GRANT_REFUSED')").param(tenant.id()).query(String.class).list();
    for (Role role : Role.values()) {
      assertThat(named).as("refusals on record for " + role).contains(role.user);
    }
    assertThat(db.sql("select count(*) from audit_event where tenant_id = ? and event_type like 'MANUAL_ACTION%' "
        + "and (actor is null or actor_kind <> 'USER')").param(tenant.id()).query(Long.class).single())
        .as("manual actions without a person").isZero();
  }

  // --- the attacks

  private List<Attack> attacks() {
    String crafted = "\"variables\": {"
        + "\"" + ProcessModel.ACCESS_REQUEST_ID + "\": {\"value\": \"%1$s\"}, "
        + "\"breakGlass\": {\"value\": true, \"type\": \"Boolean\"}, "
        + "\"incidentId\": {\"value\": \"INC-1\"}, "
        + "\"" + ProcessModel.LOCKBOX_DECISION + "\": {\"value\": \"APPROVE\"}, "
        + "\"" + ProcessModel.INTERNAL_DECISION + "\": {\"value\": \"APPROVE\"}, "
        + "\"lockboxApproved\": {\"value\": true, \"type\": \"Boolean\"}, "
        + "\"internalApproved\": {\"value\": true, \"type\": \"Boolean\"}, "
        + "\"jitOutcome\": {\"value\": \"AUTO_APPROVE\"}}";
    String decision = "{\"variables\": {\"" + ProcessModel.LOCKBOX_DECISION + "\": {\"value\": \"APPROVE\"}, "
        + "\"" + ProcessModel.INTERNAL_DECISION + "\": {\"value\": \"APPROVE\"}, "
        + "\"" + ProcessModel.LOCKBOX_COMMENT + "\": {\"value\": \"fine\"}, "
        + "\"" + ProcessModel.INTERNAL_COMMENT + "\": {\"value\": \"fine\"}}}";
    String approved = "{\"value\": true, \"type\": \"Boolean\"}";
    List<Attack> attacks = new ArrayList<>();
    attacks.add(new Attack("start with crafted variables", true, t -> List.of(new Call("POST",
        ENGINE + "/process-definition/key/" + KEY + "/start",
        "{\"businessKey\": \"" + t.requestId() + "\", " + crafted.formatted(t.requestId()) + "}"))));
    for (String activity : List.of("Task_GrantAccess", "Task_GrantEmergencyAccess", "Gateway_ReadyToGrant")) {
      attacks.add(new Attack("start at " + activity, true, t -> List.of(new Call("POST",
          ENGINE + "/process-definition/key/" + KEY + "/start", "{\"businessKey\": \"" + t.requestId() + "\", "
              + crafted.formatted(t.requestId()) + ", \"skipCustomListeners\": true, \"startInstructions\": "
              + "[{\"type\": \"startBeforeActivity\", \"activityId\": \"" + activity + "\"}]}"))));
    }
    attacks.add(new Attack("submit the start form with crafted variables", true, t -> List.of(new Call("POST",
        ENGINE + "/process-definition/key/" + KEY + "/submit-form", "{\"businessKey\": \"" + t.requestId() + "\", "
            + crafted.formatted(t.requestId()).replace("\"variables\": {", "\"variables\": {"
                + "\"tenantId\": {\"value\": \"" + tenant.id() + "\"}, "
                + "\"environmentId\": {\"value\": \"" + t.environmentId() + "\"}, "
                + "\"justification\": {\"value\": \"Investigate the failing nightly export job\"}, "
                + "\"accessLevel\": {\"value\": \"READ\"}, "
                + "\"isolatedIdentity\": {\"value\": true, \"type\": \"Boolean\"}, "
                + "\"mfaVerified\": {\"value\": true, \"type\": \"Boolean\"}, ") + "}"))));
    attacks.add(new Attack("start the adversary's model", false, t -> List.of(new Call("POST",
        ENGINE + "/process-definition/key/" + ADVERSARY + "/start", "{\"businessKey\": \"" + t.requestId() + "\", "
            + crafted.formatted(t.requestId()) + "}"))));
    for (String activity : List.of("Task_GrantAccess", "Task_GrantEmergencyAccess", "Task_CreateLockboxRequest")) {
      attacks.add(new Attack("move to " + activity, true, t -> running(t) ? List.of(new Call("POST",
          ENGINE + "/process-instance/" + t.processInstanceId() + "/modification", "{\"skipCustomListeners\": true, "
              + "\"skipIoMappings\": true, \"instructions\": [{\"type\": \"startBeforeActivity\", \"activityId\": \""
              + activity + "\", \"variables\": {\"lockboxApproved\": {\"value\": true, \"type\": \"Boolean\", "
              + "\"local\": false}}}]}")) : List.of()));
    }
    for (String task : List.of(ProcessModel.CUSTOMER_APPROVAL_TASK, ProcessModel.INTERNAL_APPROVAL_TASK)) {
      attacks.add(new Attack("move past " + task, true, t -> running(t) ? List.of(new Call("POST",
          ENGINE + "/process-instance/" + t.processInstanceId() + "/modification", "{\"instructions\": ["
              + "{\"type\": \"startAfterActivity\", \"activityId\": \"" + task + "\", \"variables\": {"
              + "\"lockboxApproved\": " + approved + ", \"internalApproved\": " + approved + "}}]}")) : List.of()));
    }
    attacks.add(new Attack("restart at the grant", false, t -> List.of(new Call("POST",
        ENGINE + "/process-definition/" + definitionOf(t) + "/restart", "{\"processInstanceIds\": [\""
            + t.processInstanceId() + "\"], \"skipCustomListeners\": true, \"instructions\": [{\"type\": "
            + "\"startBeforeActivity\", \"activityId\": \"Task_GrantAccess\"}]}"))));
    attacks.add(new Attack("migrate the review to the lead's", false, t -> running(t) ? List.of(new Call("POST",
        ENGINE + "/migration/execute", "{\"migrationPlan\": {\"sourceProcessDefinitionId\": \"" + definitionOf(t)
            + "\", \"targetProcessDefinitionId\": \"" + definitionOf(t) + "\", \"instructions\": ["
            + "{\"sourceActivityIds\": [\"" + ProcessModel.CUSTOMER_APPROVAL_TASK + "\"], \"targetActivityIds\": [\""
            + ProcessModel.INTERNAL_APPROVAL_TASK + "\"]}]}, \"processInstanceIds\": [\"" + t.processInstanceId()
            + "\"], \"skipCustomListeners\": true}")) : List.of()));
    attacks.add(new Attack("write instance variables", true, t -> running(t) ? List.of(
        new Call("PUT", ENGINE + "/process-instance/" + t.processInstanceId() + "/variables/lockboxApproved", approved),
        new Call("POST", ENGINE + "/process-instance/" + t.processInstanceId() + "/variables",
            "{\"modifications\": {\"breakGlass\": " + approved + ", \"internalApproved\": " + approved + ", \""
                + ProcessModel.LOCKBOX_DECISION + "\": {\"value\": \"APPROVE\"}}}")) : List.of()));
    attacks.add(new Attack("write execution variables", false, t -> executions(t).stream().map(execution -> new Call(
        "PUT", ENGINE + "/execution/" + execution + "/localVariables/lockboxApproved", approved)).toList()));
    attacks.add(new Attack("write task variables", true, t -> tasks(t).stream().flatMap(task -> List.of(
        new Call("PUT", ENGINE + "/task/" + task.getId() + "/variables/" + ProcessModel.LOCKBOX_DECISION,
            "{\"value\": \"APPROVE\"}"),
        new Call("POST", ENGINE + "/task/" + task.getId() + "/localVariables",
            "{\"modifications\": {\"" + ProcessModel.INTERNAL_DECISION + "\": {\"value\": \"APPROVE\"}}}")).stream())
        .toList()));
    attacks.add(new Attack("correlate the release message", false, t -> List.of(new Call("POST", ENGINE + "/message",
        "{\"messageName\": \"" + ProcessModel.ACCESS_RELEASED_MESSAGE + "\", \"businessKey\": \"" + t.requestId()
            + "\", \"processVariables\": {\"lockboxApproved\": " + approved + "}}"))));
    attacks.add(new Attack("claim the task", false, t -> tasks(t).stream().map(task -> new Call("POST",
        ENGINE + "/task/" + task.getId() + "/claim", "{\"userId\": \"engineer\"}")).toList()));
    attacks.add(new Attack("delegate the task", false, t -> tasks(t).stream().map(task -> new Call("POST",
        ENGINE + "/task/" + task.getId() + "/delegate", "{\"userId\": \"engineer\"}")).toList()));
    attacks.add(new Attack("hand the task over", false, t -> tasks(t).stream().map(task -> new Call("POST",
        ENGINE + "/task/" + task.getId() + "/assignee", "{\"userId\": \"engineer\"}")).toList()));
    attacks.add(new Attack("complete the task approving", true, t -> tasks(t).stream().map(task -> new Call("POST",
        ENGINE + "/task/" + task.getId() + "/complete", decision)).toList()));
    attacks.add(new Attack("submit the task's form approving", false, t -> tasks(t).stream().map(task -> new Call(
        "POST", ENGINE + "/task/" + task.getId() + "/submit-form", decision)).toList()));
    attacks.add(new Attack("move a job's due date", false, t -> jobs(t).stream().map(job -> new Call("PUT",
        ENGINE + "/job/" + job + "/duedate", "{\"duedate\": \"2000-01-01T00:00:00.000+0000\"}")).toList()));
    attacks.add(new Attack("run a job now", true, t -> jobs(t).stream().map(job -> new Call("POST",
        ENGINE + "/job/" + job + "/execute", null)).toList()));
    attacks.add(new Attack("delete the instance", false, t -> running(t) ? List.of(new Call("DELETE",
        ENGINE + "/process-instance/" + t.processInstanceId() + "?skipCustomListeners=true", null)) : List.of()));
    return attacks;
  }

  // --- one attempt and what it may change

  /** The parts of the domain an attempt must leave as they were, or change only along an allowed move. */
  record Snapshot(Map<String, String> statuses, Map<String, String> lockbox, Map<String, String> grants,
      Map<String, Long> decisions, boolean allowed) {}

  /** The state after the last attempt, and its target: the state before the next attempt on it. */
  private Snapshot last;
  private Target lastTarget;

  private void attempt(Role role, ApiClient caller, Target target, String attack, Call call) {
    Snapshot before = target.equals(lastTarget) ? last : snapshot(target);
    Response answer = send(caller, call);
    attempts.merge(role.name(), 1, Integer::sum);
    if (answer.status() >= 400) {
      refusals.merge(role.name(), 1, Integer::sum);
    }
    String what = role + " (" + role.user + "): " + attack + " on a request " + target.state() + " -> "
        + answer.status();
    if (answer.status() >= 500) {
      // The engine or a step refused by failing; the invariants below say whether it held.
      failed.merge(role.name(), 1, Integer::sum);
    }
    if (answer.body().contains("\tat ") || answer.body().contains("at org.camunda.")) {
      failures.add(what + ": a stack trace in the answer " + answer.body());
    }
    runWhatTheAttackLeftDue(target);
    Snapshot after = snapshot(target);
    last = after;
    lastTarget = target;
    failures.addAll(violations(before, after, target).stream().map(violation -> what + ": " + violation).toList());
  }

  private List<String> violations(Snapshot before, Snapshot after, Target target) {
    List<String> found = new ArrayList<>();
    after.grants().forEach((request, grant) -> {
      String earlier = before.grants().get(request);
      if (earlier == null) {
        found.add("a grant appeared for request " + request + " (" + grant + ")");
      } else if (!earlier.split("\\|")[0].equals(grant.split("\\|")[0])) {
        found.add("the grant of request " + request + " was extended: " + earlier + " -> " + grant);
      }
    });
    if (!before.allowed() && after.allowed()) {
      found.add("the data plane's check now allows " + target.environmentId());
    }
    after.statuses().forEach((request, status) -> {
      String earlier = before.statuses().get(request);
      if (earlier != null && !earlier.equals(status) && !allowedMove(earlier, status, before, after)) {
        found.add("request " + request + " moved " + earlier + " -> " + status + " without its decision");
      }
    });
    after.lockbox().forEach((request, state) -> {
      String earlier = before.lockbox().get(request);
      if (earlier != null && !earlier.equals(state)
          && !(earlier.startsWith("ACTION_NEEDED|") && state.equals("EXPIRED|null"))) {
        found.add("the customer's lockbox request of " + request + " changed: " + earlier + " -> " + state);
      }
    });
    for (String type : List.of("LOCKBOX_APPROVED", "LOCKBOX_DENIED")) {
      if (!Objects.equals(before.decisions().get(type), after.decisions().get(type))) {
        found.add("a customer decision was recorded (" + type + ") that no customer made");
      }
    }
    return found;
  }

  /**
   * Moves that take access away (a request expiring, access ending) need no decision; a support
   * lead's internal decision moves a request on, with the decision recorded under their name.
   */
  private static boolean allowedMove(String from, String to, Snapshot before, Snapshot after) {
    boolean leadDecided = !Objects.equals(before.decisions().get("INTERNAL_APPROVED"),
        after.decisions().get("INTERNAL_APPROVED"))
        || !Objects.equals(before.decisions().get("INTERNAL_DENIED"), after.decisions().get("INTERNAL_DENIED"));
    return from.equals("PENDING_CUSTOMER_APPROVAL") && to.equals("EXPIRED")
        || from.equals("ACCESS_GRANTED") && to.equals("ACCESS_ENDED")
        || from.equals("PENDING_INTERNAL_APPROVAL") && leadDecided
            && (to.equals("PENDING_CUSTOMER_APPROVAL") || to.equals("REJECTED"));
  }

  private Snapshot snapshot(Target target) {
    Map<String, String> statuses = new HashMap<>();
    db.sql("select id, status from access_request where tenant_id = ?").param(tenant.id())
        .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2))).list()
        .forEach(entry -> statuses.put(entry.getKey(), entry.getValue()));
    Map<String, String> lockboxes = new HashMap<>();
    db.sql("select access_request_id, status, decided_by from lockbox_request where tenant_id = ?").param(tenant.id())
        .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2) + "|" + rs.getString(3))).list()
        .forEach(entry -> lockboxes.put(entry.getKey(), entry.getValue()));
    Map<String, String> grants = new HashMap<>();
    db.sql("select access_request_id, expires_at, ended_at from access_grant where tenant_id = ?").param(tenant.id())
        .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2) + "|" + rs.getString(3))).list()
        .forEach(entry -> grants.put(entry.getKey(), entry.getValue()));
    Map<String, Long> decisions = new HashMap<>();
    db.sql("select event_type, count(*) from audit_event where tenant_id = ? and event_type in "
            + "('LOCKBOX_APPROVED', 'LOCKBOX_DENIED', 'INTERNAL_APPROVED', 'INTERNAL_DENIED') group by event_type")
        .param(tenant.id()).query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2))).list()
        .forEach(entry -> decisions.put(entry.getKey(), entry.getValue()));
    return new Snapshot(statuses, lockboxes, grants, decisions, allowed(target));
  }

  private boolean allowed(Target target) {
    Response check = api.as("dataplane", "demo").get("/api/access-grants/check?environmentId="
        + target.environmentId() + "&userId=engineer");
    assertThat(check.status()).as(check.body()).isEqualTo(200);
    return check.json().path("allowed").asBoolean();
  }

  /**
   * Runs the jobs an attempt left due, as the job executor would: of every instance working for the
   * target's request (each attack names it as the business key). A step that refuses fails its job,
   * which then waits for its retry, as on a real node.
   */
  private void runWhatTheAttackLeftDue(Target target) {
    for (int round = 0; round < 20; round++) {
      boolean ran = false;
      for (var instance : JobDriver.instancesOfRequest(runtimeService, target.requestId())
          .list()) {
        for (Job job : managementService.createJobQuery().processInstanceId(instance.getId()).executable().active()
            .list()) {
          try {
            managementService.executeJob(job.getId());
            ran = true;
          } catch (RuntimeException refused) {
            // The step refused to run: its job keeps its retries and back-off.
          }
        }
      }
      if (!ran) {
        return;
      }
    }
  }

  private Response send(ApiClient caller, Call call) {
    if (call.path().endsWith("/deployment/create")) {
      String boundary = "adversary" + System.nanoTime();
      String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"deployment-name\"\r\n\r\nadversary\r\n"
          + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"adversary.bpmn\"; filename=\"adversary.bpmn\""
          + "\r\nContent-Type: application/xml\r\n\r\n" + ADVERSARY_MODEL + "\r\n--" + boundary + "--\r\n";
      return caller.send(HttpMethod.POST, call.path(), MediaType.parseMediaType("multipart/form-data; boundary="
          + boundary), body, Map.of("Accept", "application/json"));
    }
    if (call.path().startsWith(WEBAPP_ENGINE)) {
      return caller.webapp(HttpMethod.valueOf(call.method()), call.path(), call.body(), true);
    }
    return caller.send(HttpMethod.valueOf(call.method()), call.path(), MediaType.APPLICATION_JSON, call.body(),
        Map.of("Accept", "application/json"));
  }

  /**
   * A model of the adversary's own: the product's grant step (with the access period timer the step
   * reads its duration from) for the request it names.
   */
  private static final String ADVERSARY_MODEL = """
      <?xml version="1.0" encoding="UTF-8"?>
      <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
          xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_Adversary"
          targetNamespace="http://bpmn.io/schema/bpmn">
        <bpmn:process id="AdversaryProcess" isExecutable="true" camunda:historyTimeToLive="1">
          <bpmn:startEvent id="StartEvent_Adversary" />
          <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_Adversary" targetRef="Task_GrantAccess" />
          <bpmn:serviceTask id="Task_GrantAccess" camunda:delegateExpression="${grantAccessDelegate}" />
          <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_GrantAccess" targetRef="Event_AccessPeriodOver" />
          <bpmn:intermediateCatchEvent id="Event_AccessPeriodOver">
            <bpmn:timerEventDefinition><bpmn:timeDuration>PT8H</bpmn:timeDuration></bpmn:timerEventDefinition>
          </bpmn:intermediateCatchEvent>
          <bpmn:sequenceFlow id="Flow_3" sourceRef="Event_AccessPeriodOver" targetRef="EndEvent_Adversary" />
          <bpmn:endEvent id="EndEvent_Adversary" />
        </bpmn:process>
      </bpmn:definitions>
      """.strip();

  // --- what an attack works on, as the target is now

  private boolean running(Target target) {
    return runtimeService.createProcessInstanceQuery().processInstanceId(target.processInstanceId()).count() > 0;
  }

  private String definitionOf(Target target) {
    return historyService.createHistoricProcessInstanceQuery().processInstanceId(target.processInstanceId())
        .singleResult().getProcessDefinitionId();
  }

  private List<Task> tasks(Target target) {
    return taskService.createTaskQuery().processInstanceBusinessKey(target.requestId()).list();
  }

  private List<String> jobs(Target target) {
    return managementService.createJobQuery().processInstanceId(target.processInstanceId()).list().stream()
        .map(Job::getId).toList();
  }

  private List<String> executions(Target target) {
    return runtimeService.createExecutionQuery().processInstanceId(target.processInstanceId()).list().stream()
        .map(execution -> execution.getId()).filter(id -> !id.equals(target.processInstanceId())).toList();
  }

  // --- requests waiting in each state, made the product's way

  private Target prepare(State state) {
    String environment = tenant.id() + "-doors" + (++environments);
    policies.addEnvironment(tenant.id(), new NewEnvironment(environment, "Doors " + environments, true, null), "fixture");
    AccessLevel level = state == State.PENDING_INTERNAL_APPROVAL ? AccessLevel.WRITE : AccessLevel.READ;
    AccessRequestView request = requests.create(Fixtures.request(tenant.id(), environment, level),
        fixtures.as("engineer"));
    drive(request.id());
    switch (state) {
      case DENIED -> decide(request, Decision.DENY);
      case ACCESS_GRANTED -> decide(request, Decision.APPROVE);
      case ACCESS_ENDED -> {
        decide(request, Decision.APPROVE);
        requests.release(request.id(), fixtures.as("engineer"));
      }
      case EXPIRED -> {
        managementService.executeJob(managementService.createJobQuery().processInstanceId(request.processInstanceId())
            .activityId(ProcessModel.APPROVAL_OVERDUE_TIMER).singleResult().getId());
      }
      default -> { }
    }
    drive(request.id());
    AccessRequestView now = requests.get(request.id(), fixtures.as("engineer"));
    assertThat(now.status()).as(state.name()).isEqualTo(AccessRequestStatus.valueOf(state.name()));
    return new Target(state, now.id(), environment, now.processInstanceId());
  }

  private void decide(AccessRequestView request, Decision decision) {
    String lockboxId = requests.get(request.id(), fixtures.as("engineer")).lockbox().id();
    lockbox.decide(lockboxId, decision, "decided by the customer", fixtures.as(tenant.approver()));
    drive(request.id());
  }
}
