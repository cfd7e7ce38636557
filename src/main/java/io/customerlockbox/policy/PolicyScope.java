package io.customerlockbox.policy;

/** Which of a tenant's environments its lockbox policy protects. */
public enum PolicyScope {
  /** Every managed environment (the Power Platform behaviour). */
  ALL_MANAGED,
  /** Every environment, managed or not ("require approval for all data access requests"). */
  ALL,
  /** Only the environments the policy lists. */
  SELECTED
}
