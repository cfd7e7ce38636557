package io.customerlockbox.request;

import io.customerlockbox.StepRefused;
import io.customerlockbox.security.Groups;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the customer's approval rules (the decision table {@code LockboxApprovalRules}) decided for
 * a lockbox request: the groups whose members approve it and how many distinct people of them
 * must. The lockbox request records it when it opens; from then on only that record counts.
 */
public record ApprovalRule(int approvalsRequired, List<String> approverGroups) {

  /** More than this many distinct approvers is a typo in the rules, not a policy. */
  public static final int MAX_APPROVALS = 10;
  public static final int MAX_GROUPS = 10;
  /** A Camunda group id as the product's own groups are written. */
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  /**
   * Lockbox requests opened before the rules existed (and instances of model versions without
   * them): one lockbox approver or tenant admin of the tenant, as the product always asked.
   */
  public static final ApprovalRule BEFORE_RULES =
      new ApprovalRule(1, List.of(Groups.LOCKBOX_APPROVERS, Groups.TENANT_ADMINS));

  public ApprovalRule {
    approverGroups = List.copyOf(approverGroups);
  }

  /**
   * The rules' answer as the decision table gave it: {@code approvalsRequired} a whole number from
   * 1 to {@link #MAX_APPROVALS}, {@code approverGroups} a comma-separated list of group ids.
   * Refuses anything else, naming what is wrong, so the step fails into an incident an operator
   * sees instead of opening a lockbox request nobody, or too few, could approve.
   */
  public static ApprovalRule of(Object approvalsRequired, Object approverGroups) {
    if (!(approvalsRequired instanceof Number number) || number.doubleValue() != number.longValue()
        || number.longValue() < 1 || number.longValue() > MAX_APPROVALS) {
      throw new StepRefused("The approval rules answered approvalsRequired " + approvalsRequired
          + "; it must be a whole number from 1 to " + MAX_APPROVALS);
    }
    if (!(approverGroups instanceof String text) || text.isBlank()) {
      throw new StepRefused("The approval rules answered approverGroups " + approverGroups
          + "; name at least one group, comma-separated");
    }
    List<String> groups = Arrays.stream(text.split(",")).map(String::trim).filter(group -> !group.isEmpty())
        .distinct().toList();
    if (groups.isEmpty() || groups.size() > MAX_GROUPS) {
      throw new StepRefused("The approval rules answered approverGroups \"" + text + "\"; name 1 to " + MAX_GROUPS
          + " groups, comma-separated");
    }
    for (String group : groups) {
      if (Groups.PROVIDER_SIDE.contains(group)) {
        // The customer's approval comes from the customer's people; a provider group is a mistake or an attack.
        throw new StepRefused("The approval rules answered approver group \"" + group
            + "\"; it is a provider group, and only the customer's own people approve");
      }
      if (!GROUP.matcher(group).matches()) {
        throw new StepRefused("The approval rules answered approver group \"" + group
            + "\"; a group id is letters, digits, '.', '_' and '-', at most 64 characters");
      }
    }
    return new ApprovalRule((int) number.longValue(), groups);
  }

  /** As stored: the groups comma-separated. */
  public String groupsText() {
    return String.join(",", approverGroups);
  }

  /** A stored row's values; a row from before the rules counts as {@link #BEFORE_RULES}. */
  static ApprovalRule stored(Integer approvalsRequired, String approverGroups) {
    return approvalsRequired == null || approverGroups == null || approverGroups.isBlank() ? BEFORE_RULES
        : new ApprovalRule(approvalsRequired, Arrays.stream(approverGroups.split(",")).map(String::trim).toList());
  }

  /** "1 of 2 approvals": how far {@code approvals} distinct approvals got. */
  public String progress(int approvals) {
    return approvals + " of " + approvalsRequired + " approval" + (approvalsRequired == 1 ? "" : "s");
  }
}
