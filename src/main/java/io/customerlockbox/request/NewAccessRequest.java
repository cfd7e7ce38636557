package io.customerlockbox.request;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/access-requests}. */
public record NewAccessRequest(
    @NotBlank @Size(max = 64) String tenantId,
    @NotBlank @Size(max = 64) String environmentId,
    @Size(min = 1, max = 64) @Pattern(regexp = "[\\p{Alnum}._#:/-]+", message = "may hold letters, digits and . _ # : / - only")
    String supportTicketId,
    @NotBlank @Size(min = 10, max = 2000) String justification,
    @NotNull AccessLevel accessLevel,
    @NotNull Boolean isolatedIdentity,
    @NotNull Boolean mfaVerified,
    Boolean breakGlass,
    @Size(min = 1, max = 64) String incidentId) {

  public boolean isBreakGlass() {
    return Boolean.TRUE.equals(breakGlass);
  }
}
