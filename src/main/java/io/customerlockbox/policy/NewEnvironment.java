package io.customerlockbox.policy;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/tenants/{tenantId}/environments}. */
public record NewEnvironment(
    @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z0-9][a-z0-9-]*", message = "use lower-case letters, digits and -")
    String id,
    @NotBlank @Size(max = 200) String name,
    @NotNull Boolean managed,
    /** A free label the customer's approval rules can route on ("production"); optional. */
    @Size(max = 32) @Pattern(regexp = "[a-z0-9][a-z0-9-]*", message = "use lower-case letters, digits and -")
    String tier) {}
