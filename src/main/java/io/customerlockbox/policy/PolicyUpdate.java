package io.customerlockbox.policy;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * The body of {@code PUT /api/tenants/{tenantId}/lockbox-policy}. {@code customerMayRevoke} and
 * {@code escalationGroup} may be left out: off and none, as before they existed.
 */
public record PolicyUpdate(
    @NotNull Boolean enabled,
    @NotNull PolicyScope scope,
    @Size(max = 500) List<@NotNull @Size(min = 1, max = 64) String> environmentIds,
    Boolean customerMayRevoke,
    @Size(min = 1, max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+", message = "must be a group id (letters, digits, '.', '_', '-')")
    String escalationGroup) {

  public PolicyUpdate(Boolean enabled, PolicyScope scope, List<String> environmentIds) {
    this(enabled, scope, environmentIds, null, null);
  }

  boolean mayRevoke() {
    return Boolean.TRUE.equals(customerMayRevoke);
  }
}
