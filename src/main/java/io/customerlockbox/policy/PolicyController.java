package io.customerlockbox.policy;

import io.customerlockbox.security.CurrentUser;
import io.customerlockbox.security.LockboxUser;
import io.customerlockbox.security.TenantAccess;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/tenants/{tenantId}")
class PolicyController {

  private final PolicyService policies;

  PolicyController(PolicyService policies) {
    this.policies = policies;
  }

  @GetMapping("/lockbox-policy")
  LockboxPolicy policy(@PathVariable String tenantId) {
    TenantAccess.requireRead(CurrentUser.get(), tenantId);
    return policies.policy(tenantId);
  }

  @PutMapping("/lockbox-policy")
  LockboxPolicy updatePolicy(@PathVariable String tenantId, @Valid @RequestBody PolicyUpdate update) {
    LockboxUser user = CurrentUser.get();
    TenantAccess.requireManage(user, tenantId);
    return policies.updatePolicy(tenantId, update, user.id());
  }

  @GetMapping("/audit-retention")
  AuditRetention auditRetention(@PathVariable String tenantId) {
    TenantAccess.requireRead(CurrentUser.get(), tenantId);
    return policies.auditRetention(tenantId);
  }

  record RetentionUpdate(@NotNull Integer days) {}

  @PutMapping("/audit-retention")
  AuditRetention updateAuditRetention(@PathVariable String tenantId, @Valid @RequestBody RetentionUpdate update) {
    LockboxUser user = CurrentUser.get();
    TenantAccess.requireManage(user, tenantId);
    return policies.updateAuditRetention(tenantId, update.days(), user.id());
  }

  @GetMapping("/environments")
  List<Environment> environments(@PathVariable String tenantId) {
    TenantAccess.requireRead(CurrentUser.get(), tenantId);
    return policies.environments(tenantId);
  }

  @PostMapping("/environments")
  ResponseEntity<Environment> addEnvironment(@PathVariable String tenantId,
      @Valid @RequestBody NewEnvironment environment) {
    LockboxUser user = CurrentUser.get();
    TenantAccess.requireManage(user, tenantId);
    Environment created = policies.addEnvironment(tenantId, environment, user.id());
    return ResponseEntity.created(URI.create("/api/tenants/" + tenantId + "/environments/" + created.id()))
        .body(created);
  }
}
