package io.customerlockbox.policy;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * The body of {@code PUT /api/tenants/{tenantId}/lockbox-policy}. {@code maxExtensions} left out
 * keeps the tenant's setting (1 for a tenant that never set it).
 */
public record PolicyUpdate(
    @NotNull Boolean enabled,
    @NotNull PolicyScope scope,
    @Size(max = 500) List<@NotNull @Size(min = 1, max = 64) String> environmentIds,
    @Min(0) @Max(LockboxPolicy.MOST_EXTENSIONS) Integer maxExtensions) {

  public PolicyUpdate(Boolean enabled, PolicyScope scope, List<String> environmentIds) {
    this(enabled, scope, environmentIds, null);
  }
}
