package io.customerlockbox.policy;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The body of {@code PUT /api/tenants/{tenantId}/lockbox-policy}. */
public record PolicyUpdate(
    @NotNull Boolean enabled,
    @NotNull PolicyScope scope,
    @Size(max = 500) List<@NotNull @Size(min = 1, max = 64) String> environmentIds) {}
