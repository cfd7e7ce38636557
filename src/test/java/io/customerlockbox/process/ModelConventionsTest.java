package io.customerlockbox.process;

import static org.camunda.bpm.model.bpmn.impl.BpmnModelConstants.CAMUNDA_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.EndEvent;
import org.camunda.bpm.model.bpmn.instance.Error;
import org.camunda.bpm.model.bpmn.instance.ExclusiveGateway;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Gateway;
import org.camunda.bpm.model.bpmn.instance.InclusiveGateway;
import org.camunda.bpm.model.bpmn.instance.IntermediateCatchEvent;
import org.camunda.bpm.model.bpmn.instance.IntermediateThrowEvent;
import org.camunda.bpm.model.bpmn.instance.Message;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SendTask;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.BusinessRuleTask;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.Task;
import org.camunda.bpm.model.bpmn.instance.TimeDuration;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaExecutionListener;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaTaskListener;
import org.camunda.bpm.model.dmn.Dmn;
import org.camunda.bpm.model.dmn.DmnModelInstance;
import org.camunda.bpm.model.dmn.instance.Decision;
import org.camunda.bpm.model.dmn.instance.Rule;
import org.camunda.bpm.model.dmn.instance.DmnElement;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The model conventions of docs/process.md checked on the real files in
 * processes/, so a model edited in the Modeler cannot drift from them unnoticed. Each failure
 * lists every element at fault, not just the first.
 */
class ModelConventionsTest {

  /** Type prefixes of docs/process.md; the rest of the id is a meaningful PascalCase name. */
  private static final String NAME = "[A-Z][A-Za-z0-9]*";

  private static Path repo;
  private static Map<Path, BpmnModelInstance> bpmnModels;
  private static Map<Path, DmnModelInstance> dmnModels;

  @BeforeAll
  static void readModels() throws IOException {
    repo = BpmnLintTest.repoRoot();
    bpmnModels = new LinkedHashMap<>();
    dmnModels = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(repo.resolve("processes"))) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".bpmn")) {
          bpmnModels.put(file, Bpmn.readModelFromFile(file.toFile()));
        } else if (name.endsWith(".dmn")) {
          dmnModels.put(file, Dmn.readModelFromFile(file.toFile()));
        }
      }
    }
    assertFalse(bpmnModels.isEmpty(), "no .bpmn files in " + repo.resolve("processes"));
  }

  @Test
  void eachBpmnFileHoldsOneProcessNamedLikeTheFile() {
    bpmnModels.forEach((file, model) -> {
      var processes = model.getModelElementsByType(Process.class);
      assertEquals(1, processes.size(), file.getFileName() + " must hold exactly one process");
      String id = processes.iterator().next().getId();
      assertEquals(id + ".bpmn", file.getFileName().toString(),
          "process " + id + " must be in a file named after its id");
    });
  }

  @Test
  void eachDmnFileIsNamedAfterADecisionInIt() {
    dmnModels.forEach((file, model) -> {
      Set<String> ids = ids(model.getModelElementsByType(Decision.class));
      String expected = file.getFileName().toString().replaceFirst("\\.dmn$", "");
      assertTrue(ids.contains(expected),
          file.getFileName() + " must hold a decision with id " + expected + ", has " + ids);
    });
  }

  @Test
  void everyFlowNodeAndSequenceFlowIsDrawn() {
    List<String> problems = new ArrayList<>();
    bpmnModels.forEach((file, model) -> {
      Set<String> shapes = model.getModelElementsByType(BpmnShape.class).stream()
          .map(BpmnShape::getBpmnElement).filter(Objects::nonNull).map(BaseElement::getId)
          .collect(Collectors.toSet());
      Set<String> edges = model.getModelElementsByType(BpmnEdge.class).stream()
          .map(BpmnEdge::getBpmnElement).filter(Objects::nonNull).map(BaseElement::getId)
          .collect(Collectors.toSet());
      for (FlowNode node : model.getModelElementsByType(FlowNode.class)) {
        if (!shapes.contains(node.getId())) {
          problems.add(file.getFileName() + ": " + node.getId() + " has no BPMNShape");
        }
      }
      for (SequenceFlow flow : model.getModelElementsByType(SequenceFlow.class)) {
        if (!edges.contains(flow.getId())) {
          problems.add(file.getFileName() + ": " + flow.getId() + " has no BPMNEdge");
        }
      }
    });
    assertNoProblems("elements missing from the diagram", problems);
  }

  @Test
  void idsHaveTheirTypePrefix() {
    List<String> problems = new ArrayList<>();
    bpmnModels.forEach((file, model) -> {
      List<BaseElement> elements = new ArrayList<>();
      elements.addAll(model.getModelElementsByType(FlowNode.class));
      elements.addAll(model.getModelElementsByType(SequenceFlow.class));
      elements.addAll(model.getModelElementsByType(Error.class));
      elements.addAll(model.getModelElementsByType(Message.class));
      for (BaseElement element : elements) {
        String prefix = prefixOf(element);
        String type = element.getElementType().getTypeName();
        if (prefix == null) {
          problems.add(file.getFileName() + ": " + element.getId() + " is a " + type
              + ", which has no id prefix in docs/process.md yet");
        } else if (!element.getId().matches(prefix + NAME)) {
          problems.add(file.getFileName() + ": " + type + " " + element.getId()
              + " must be named " + prefix + "<MeaningfulName>");
        }
      }
    });
    assertNoProblems("ids without their type prefix", problems);
  }

  private static String prefixOf(BaseElement element) {
    if (element instanceof StartEvent) {
      return "StartEvent_";
    } else if (element instanceof EndEvent) {
      return "EndEvent_";
    } else if (element instanceof BoundaryEvent) {
      return "BoundaryEvent_";
    } else if (element instanceof IntermediateCatchEvent
        || element instanceof IntermediateThrowEvent) {
      return "Event_";
    } else if (element instanceof Task) {
      return "Task_";
    } else if (element instanceof SubProcess) {
      return "SubProcess_";
    } else if (element instanceof Gateway) {
      return "Gateway_";
    } else if (element instanceof SequenceFlow) {
      return "SequenceFlow_";
    } else if (element instanceof Error) {
      return "Error_";
    } else if (element instanceof Message) {
      return "Message_";
    }
    return null;
  }

  @Test
  void everyElementHasANameExceptJoiningGateways() {
    List<String> problems = new ArrayList<>();
    bpmnModels.forEach((file, model) -> {
      for (var process : model.getModelElementsByType(Process.class)) {
        if (isBlank(process.getName())) {
          problems.add(file.getFileName() + ": process " + process.getId() + " has no name");
        }
      }
      for (FlowNode node : model.getModelElementsByType(FlowNode.class)) {
        if (isBlank(node.getName()) && !isJoiningGateway(node)) {
          problems.add(file.getFileName() + ": " + node.getId() + " has no name");
        }
      }
      // The flows out of a decision are its answers ("yes", "no"); unlabelled, the diagram
      // does not say which way is which.
      for (SequenceFlow flow : model.getModelElementsByType(SequenceFlow.class)) {
        FlowNode source = flow.getSource();
        boolean answersADecision =
            (source instanceof ExclusiveGateway || source instanceof InclusiveGateway)
                && source.getOutgoing().size() > 1;
        if (answersADecision && isBlank(flow.getName())) {
          problems.add(file.getFileName() + ": " + flow.getId() + " leaves decision "
              + source.getId() + " without a name");
        }
      }
    });
    assertNoProblems("unnamed elements", problems);
  }

  private static boolean isJoiningGateway(FlowNode node) {
    return node instanceof Gateway
        && node.getIncoming().size() > 1
        && node.getOutgoing().size() <= 1;
  }

  @Test
  void everyProcessAndDecisionHasAHistoryTimeToLive() {
    List<String> problems = new ArrayList<>();
    bpmnModels.forEach((file, model) -> {
      for (var process : model.getModelElementsByType(Process.class)) {
        if (isBlank(process.getCamundaHistoryTimeToLiveString())) {
          problems.add(file.getFileName() + ": process " + process.getId()
              + " has no camunda:historyTimeToLive");
        }
      }
    });
    dmnModels.forEach((file, model) -> {
      for (Decision decision : model.getModelElementsByType(Decision.class)) {
        if (isBlank(decision.getCamundaHistoryTimeToLiveString())) {
          problems.add(file.getFileName() + ": decision " + decision.getId()
              + " has no camunda:historyTimeToLive");
        }
      }
    });
    assertNoProblems("models the engine refuses to deploy", problems);
  }

  /**
   * A business rule task asks a decision shipped beside it (processes/*.dmn), bound to its own
   * deployment, so a changed table and the model that asks it are deployed and run together.
   */
  @Test
  void businessRuleTasksAskADecisionOfTheirOwnDeployment() {
    Set<String> decisions = new java.util.HashSet<>();
    dmnModels.values().forEach(model -> decisions.addAll(ids(model.getModelElementsByType(Decision.class))));
    List<String> problems = new ArrayList<>();
    bpmnModels.forEach((file, model) -> {
      for (BusinessRuleTask task : model.getModelElementsByType(BusinessRuleTask.class)) {
        if (!decisions.contains(task.getCamundaDecisionRef())) {
          problems.add(file.getFileName() + ": " + task.getId() + " asks decision " + task.getCamundaDecisionRef()
              + ", which no file in processes/ holds");
        }
        if (!"deployment".equals(task.getCamundaDecisionRefBinding())) {
          problems.add(file.getFileName() + ": " + task.getId()
              + " must have camunda:decisionRefBinding=\"deployment\"");
        }
      }
    });
    assertNoProblems("business rule tasks without their decision", problems);
  }

  /** A process owner reads a decision table's rules by their ids (the audit trail names them) and descriptions. */
  @Test
  void everyDecisionRuleHasAMeaningfulIdAndADescription() {
    List<String> problems = new ArrayList<>();
    dmnModels.forEach((file, model) -> {
      for (Rule rule : model.getModelElementsByType(Rule.class)) {
        if (rule.getId() == null || !rule.getId().matches("Rule_" + NAME)) {
          problems.add(file.getFileName() + ": rule " + rule.getId() + " must be named Rule_<MeaningfulName>");
        }
        if (rule.getDescription() == null || isBlank(rule.getDescription().getTextContent())) {
          problems.add(file.getFileName() + ": rule " + rule.getId() + " has no description");
        }
      }
    });
    assertNoProblems("decision rules a process owner cannot read", problems);
  }

  @Test
  void delegatesAreSpringBeansNeverClasses() {
    List<String> problems = new ArrayList<>();
    bpmnModels.forEach((file, model) -> {
      for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
        if (isBlank(task.getCamundaDelegateExpression())) {
          problems.add(file.getFileName() + ": service task " + task.getId()
              + " has no camunda:delegateExpression");
        }
      }
      for (SendTask task : model.getModelElementsByType(SendTask.class)) {
        if (isBlank(task.getCamundaDelegateExpression())) {
          problems.add(file.getFileName() + ": send task " + task.getId()
              + " has no camunda:delegateExpression");
        }
      }
      for (BaseElement element : model.getModelElementsByType(BaseElement.class)) {
        if (element.getAttributeValueNs(CAMUNDA_NS, "class") != null) {
          problems.add(file.getFileName() + ": " + element.getId() + " uses camunda:class");
        }
      }
      for (CamundaExecutionListener listener :
          model.getModelElementsByType(CamundaExecutionListener.class)) {
        if (listener.getCamundaClass() != null) {
          problems.add(file.getFileName() + ": an execution listener of " + owner(listener)
              + " uses class=\"" + listener.getCamundaClass() + "\"");
        }
      }
      for (CamundaTaskListener listener : model.getModelElementsByType(CamundaTaskListener.class)) {
        if (listener.getCamundaClass() != null) {
          problems.add(file.getFileName() + ": a task listener of " + owner(listener)
              + " uses class=\"" + listener.getCamundaClass() + "\"");
        }
      }
    });
    assertNoProblems("delegates not named as Spring beans", problems);
  }

  /** Listeners sit in extensionElements; the element they listen on is two levels up. */
  private static String owner(ModelElementInstance listener) {
    var owner = listener.getParentElement().getParentElement();
    return owner instanceof BaseElement base ? base.getId() : owner.getElementType().getTypeName();
  }

  @Test
  void userTasksUseADeployedForm() throws IOException {
    ObjectMapper json = new ObjectMapper();
    Path forms = repo.resolve("forms");
    List<String> problems = new ArrayList<>();
    for (var entry : bpmnModels.entrySet()) {
      String file = entry.getKey().getFileName().toString();
      for (UserTask task : entry.getValue().getModelElementsByType(UserTask.class)) {
        String formId = task.getCamundaFormRef();
        if (isBlank(formId)) {
          problems.add(file + ": user task " + task.getId() + " has no camunda:formRef");
          continue;
        }
        if (!"deployment".equals(task.getCamundaFormRefBinding())) {
          problems.add(file + ": user task " + task.getId()
              + " must have camunda:formRefBinding=\"deployment\", has "
              + task.getCamundaFormRefBinding());
        }
        Path form = forms.resolve(formId + ".form");
        if (!Files.isRegularFile(form)) {
          problems.add(file + ": user task " + task.getId() + " refers to form " + formId
              + ", but " + repo.relativize(form) + " does not exist");
          continue;
        }
        // The engine finds a form by the id inside the JSON, not by the file name.
        JsonNode formJson = json.readTree(form.toFile());
        if (!formId.equals(formJson.path("id").asText())) {
          problems.add(file + ": user task " + task.getId() + " refers to form " + formId
              + ", but " + repo.relativize(form) + " has id \"" + formJson.path("id").asText()
              + "\"");
        }
      }
    }
    assertNoProblems("user tasks without a deployable form", problems);
  }

  /** Product rules from the issue: customers get 4 days to answer, access lasts 8 hours. */
  @Test
  void timersHaveTheAgreedDurations() {
    BpmnModelInstance model =
        bpmnModels.get(repo.resolve("processes/LockboxAccessRequestProcess.bpmn"));
    assertNotNull(model, "processes/LockboxAccessRequestProcess.bpmn is missing");
    assertEquals("P4D", duration(model, "BoundaryEvent_ApprovalOverdue"),
        "BoundaryEvent_ApprovalOverdue: the customer has 4 days to answer");
    assertEquals("PT8H", ProcessModel.accessPeriod(model),
        "Event_AccessPeriodOver's accessPeriod: granted access lasts 8 hours, an extension adds as much");
    // The access timers fire at the grant's end as the domain holds it (an extension moves it).
    for (String timer : List.of("Event_AccessPeriodOver", "BoundaryEvent_AccessEndsDuringExtension")) {
      TimerEventDefinition definition = ((BaseElement) model.getModelElementById(timer))
          .getChildElementsByType(TimerEventDefinition.class).iterator().next();
      assertEquals("${accessEnds.of(execution)}", definition.getTimeDate().getTextContent().trim(), timer);
    }
  }

  private static String duration(BpmnModelInstance model, String eventId) {
    BaseElement event = model.getModelElementById(eventId);
    assertNotNull(event, eventId + " is missing from the model");
    TimerEventDefinition timer = event.getChildElementsByType(TimerEventDefinition.class).stream()
        .findFirst().orElse(null);
    assertNotNull(timer, eventId + " has no timer definition");
    TimeDuration duration = timer.getTimeDuration();
    assertNotNull(duration, eventId + " has no timeDuration");
    return duration.getTextContent().trim();
  }

  private static Set<String> ids(Collection<? extends DmnElement> elements) {
    return elements.stream().map(DmnElement::getId)
        .collect(Collectors.toSet());
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  private static void assertNoProblems(String what, List<String> problems) {
    assertTrue(problems.isEmpty(), () -> problems.size() + " " + what + ":\n  "
        + String.join("\n  ", problems));
  }
}
