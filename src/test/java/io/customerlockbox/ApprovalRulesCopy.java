package io.customerlockbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.Deployment;

/**
 * The shipped models deployed once more, with a copy of the customer's approval rules
 * (processes/LockboxApprovalRules.dmn) that has one rule of the test's own on top: what a process
 * owner does in Modeler, without a line of Java. New instances run on it until it is closed (the
 * process's rules task binds the table of its own deployment).
 */
public final class ApprovalRulesCopy implements AutoCloseable {

  private final RepositoryService repositoryService;
  private final Deployment deployment;

  private ApprovalRulesCopy(RepositoryService repositoryService, Deployment deployment) {
    this.repositoryService = repositoryService;
    this.deployment = deployment;
  }

  /** Requests of {@code tenantId} need {@code approvals} distinct approvers of {@code groups} (comma-separated). */
  public static ApprovalRulesCopy deploy(RepositoryService repositoryService, String tenantId, int approvals,
      String groups) {
    String shipped = resource("processes/LockboxApprovalRules.dmn");
    String rule = """
              <rule id="Rule_TestTenant">
                <description>The test's own rule</description>
                <inputEntry id="InputEntry_TestTenant_Tenant"><text>"%s"</text></inputEntry>
                <inputEntry id="InputEntry_TestTenant_Environment"><text></text></inputEntry>
                <inputEntry id="InputEntry_TestTenant_Managed"><text></text></inputEntry>
                <inputEntry id="InputEntry_TestTenant_Tier"><text></text></inputEntry>
                <inputEntry id="InputEntry_TestTenant_Level"><text></text></inputEntry>
                <inputEntry id="InputEntry_TestTenant_BreakGlass"><text></text></inputEntry>
                <outputEntry id="OutputEntry_TestTenant_Groups"><text>"%s"</text></outputEntry>
                <outputEntry id="OutputEntry_TestTenant_Count"><text>%d</text></outputEntry>
              </rule>
        """.formatted(tenantId, groups, approvals);
    int first = shipped.indexOf("      <rule ");
    String changed = shipped.substring(0, first) + rule + shipped.substring(first);
    return new ApprovalRulesCopy(repositoryService, deploy(repositoryService, "approval rules changed by a test",
        changed));
  }

  /** The shipped models as they are, deployed once more (the latest version again). */
  public static Deployment deployShipped(RepositoryService repositoryService) {
    return deploy(repositoryService, "the shipped models again", resource("processes/LockboxApprovalRules.dmn"));
  }

  private static Deployment deploy(RepositoryService repositoryService, String name, String approvalRules) {
    return repositoryService.createDeployment().name(name)
        .addClasspathResource("processes/LockboxAccessRequestProcess.bpmn")
        .addString("LockboxApprovalRules.dmn", approvalRules)
        .addClasspathResource("processes/JitAccessRules.dmn")
        .addClasspathResource("forms/CustomerApprovalForm.form")
        .addClasspathResource("forms/InternalApprovalForm.form")
        .addClasspathResource("forms/AccessRequestStartForm.form").deploy();
  }

  public static String resource(String path) {
    try (InputStream in = ApprovalRulesCopy.class.getClassLoader().getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Back to the shipped models for every other test of this context. */
  @Override
  public void close() {
    repositoryService.deleteDeployment(deployment.getId(), true);
  }
}
