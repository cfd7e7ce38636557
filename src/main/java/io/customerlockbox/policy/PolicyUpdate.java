package io.customerlockbox.policy;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * The body of {@code PUT /api/tenants/{tenantId}/lockbox-policy}. {@code customerMayRevoke} and
 * {@code escalationGroup} may be left out: off and none, as before they existed. {@code
 * maxExtensions} left out keeps the tenant's setting (1 for a tenant that never set it).
 */
public record PolicyUpdate(
    @NotNull Boolean enabled,
    @NotNull PolicyScope scope,
    @Size(max = 500) List<@NotNull @Size(min = 1, max = 64) String> environmentIds,
    Boolean customerMayRevoke,
    @Size(min = 1, max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+", message = "must be a group id (letters, digits, '.', '_', '-')")
    String escalationGroup,
    @Min(0) @Max(LockboxPolicy.MOST_EXTENSIONS) Integer maxExtensions) {

  public PolicyUpdate(Boolean enabled, PolicyScope scope, List<String> environmentIds) {
    this(enabled, scope, environmentIds, null, null, null);
  }

  public PolicyUpdate(Boolean enabled, PolicyScope scope, List<String> environmentIds, Boolean customerMayRevoke,
      String escalationGroup) {
    this(enabled, scope, environmentIds, customerMayRevoke, escalationGroup, null);
  }

  boolean mayRevoke() {
    return Boolean.TRUE.equals(customerMayRevoke);
  }
}
