package io.customerlockbox.security;

import java.util.List;

/** The product's roles: Camunda groups, so the webapps and the API see the same people. */
public final class Groups {

  public static final String SUPPORT_ENGINEERS = "support-engineers";
  public static final String SUPPORT_LEADS = "support-leads";
  public static final String BREAK_GLASS = "break-glass";
  public static final String OPERATORS = "operators";
  public static final String LOCKBOX_APPROVERS = "lockbox-approvers";
  public static final String TENANT_ADMINS = "tenant-admins";
  public static final String AUDITORS = "auditors";
  /** Service accounts of the data plane: they ask whether an engineer may enter an environment now. */
  public static final String DATA_PLANE = "data-plane";
  /** Camunda's own administrators group (the starter's admin user is a member). */
  public static final String CAMUNDA_ADMIN = "camunda-admin";

  public static final List<String> ALL = List.of(SUPPORT_ENGINEERS, SUPPORT_LEADS, BREAK_GLASS, OPERATORS,
      LOCKBOX_APPROVERS, TENANT_ADMINS, AUDITORS, DATA_PLANE, CAMUNDA_ADMIN);

  /** The provider's own groups and accounts: never a customer's escalation group. */
  public static final List<String> PROVIDER_SIDE = List.of(SUPPORT_ENGINEERS, SUPPORT_LEADS, BREAK_GLASS, OPERATORS,
      DATA_PLANE, CAMUNDA_ADMIN);

  private Groups() {}
}
