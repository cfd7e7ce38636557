package io.customerlockbox.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.customerlockbox.ApiClient;
import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.policy.NewEnvironment;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.policy.PolicyService;
import io.customerlockbox.security.Groups;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Reading the trail over the API leaves a trace in it: who searched, exported or verified a
 * tenant's trail, from where, with which filter and how many of its events they got; the chain
 * still verifies with those events in it. And what verify says without a signing key (the test
 * application has none).
 */
@Tag(ApplicationTest.BOTH_DATABASES)
class AuditReadsTest extends ApplicationTest {

  private static final List<AuditEventType> READS = List.of(AuditEventType.AUDIT_TRAIL_SEARCHED,
      AuditEventType.AUDIT_TRAIL_EXPORTED, AuditEventType.AUDIT_TRAIL_VERIFIED);

  @Autowired PolicyService policies;

  @Test
  void eachSearchExportAndVerificationIsAnEventInTheChainItReadWithWhoTheFilterAndHowMany() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    String auditor = tenant.id() + "-auditor";
    fixtures.user(auditor, tenant.id(), Groups.AUDITORS);
    ApiClient asAuditor = api.as(auditor, Fixtures.PASSWORD);

    JsonNode found = ok(asAuditor.get("/api/audit-events?tenantId=" + tenant.id() + "&type=ENVIRONMENT_CHANGED&size=20"))
        .json();
    ApiClient.Response exported = ok(asAuditor.get("/api/audit-events/export?format=NDJSON&tenantId=" + tenant.id()
        + "&from=2000-01-01T00:00:00Z"));
    long exportedEvents = exported.body().lines().count();
    JsonNode verified = ok(asAuditor.get("/api/audit-events/verify?tenantId=" + tenant.id())).json();
    // A provider administrator searching across tenants is recorded in each tenant's chain the page showed.
    String marker = "marker-" + tenant.id();
    policies.addEnvironment(tenant.id(), new NewEnvironment(tenant.id() + "-extra", "Extra", false, null), marker);
    JsonNode acrossTenants = ok(api.as("admin", "demo").get("/api/audit-events?actor=" + marker)).json();

    List<AuditEvent> reads = db.sql("select " + AuditTrail.COLUMNS + " from audit_event where chain_id = ? "
            + "and event_type in ('AUDIT_TRAIL_SEARCHED', 'AUDIT_TRAIL_EXPORTED', 'AUDIT_TRAIL_VERIFIED') "
            + "order by chain_seq")
        .param(tenant.id()).query(AuditTrail::map).list();
    assertThat(reads).extracting(AuditEvent::type).containsExactly(AuditEventType.AUDIT_TRAIL_SEARCHED,
        AuditEventType.AUDIT_TRAIL_EXPORTED, AuditEventType.AUDIT_TRAIL_VERIFIED, AuditEventType.AUDIT_TRAIL_SEARCHED);
    assertThat(reads).extracting(AuditEvent::actor).containsExactly(auditor, auditor, auditor, "admin");
    assertThat(reads).allSatisfy(read -> {
      assertThat(read.tenantId()).isEqualTo(tenant.id());
      assertThat(read.clientIp()).isEqualTo("127.0.0.1");
      assertThat(read.requestId()).isNull();
    });
    assertThat(reads).extracting(AuditEvent::detail).containsExactly(
        "searched with tenantId=" + tenant.id() + ", type=ENVIRONMENT_CHANGED, page 0 (20 a page): "
            + found.path("events").size() + " events of this trail",
        "exported as NDJSON with tenantId=" + tenant.id() + ", from=2000-01-01T00:00:00Z: " + exportedEvents
            + " events of this trail",
        "verified up to position " + verified.path("lastSeq").asLong() + ": valid: "
            + verified.path("events").asLong() + " events of this trail",
        "searched with actor=" + marker + ", page 0 (50 a page): " + acrossTenants.path("events").size()
            + " event of this trail");
    // The export holds the search before it, not itself; verify walked the export's event too.
    assertThat(exported.body().lines().reduce((a, b) -> b).orElseThrow()).contains("AUDIT_TRAIL_SEARCHED");
    assertThat(verified.path("events").asLong()).isEqualTo(exportedEvents + 1);

    // The chain verifies with every read in it, and its head is the last read.
    JsonNode again = ok(asAuditor.get("/api/audit-events/verify?tenantId=" + tenant.id())).json();
    assertThat(again.path("valid").asBoolean()).isTrue();
    assertThat(again.path("lastSeq").asLong()).isEqualTo(reads.get(reads.size() - 1).chainSeq());
    assertThat(again.path("lastHash").asText()).isEqualTo(reads.get(reads.size() - 1).hash());
  }

  @Test
  void withoutASigningKeyVerifySaysThatRemovedNewestEventsCannotBeSeen() {
    TestTenant tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
    ApiClient asAdmin = api.as(tenant.admin(), Fixtures.PASSWORD);
    JsonNode before = ok(asAdmin.get("/api/audit-events/verify?tenantId=" + tenant.id())).json();
    assertThat(before.path("valid").asBoolean()).isTrue();
    assertThat(before.path("headSigned").asBoolean()).isFalse();
    assertThat(before.path("notice").asText()).contains("No audit signing key", "cannot be detected");

    // Someone with database access removes the newest event (the verification just recorded) and
    // moves the head back: without a key the answer cannot tell, and says so.
    AuditEvent newest = db.sql("select " + AuditTrail.COLUMNS + " from audit_event where chain_id = ? "
        + "order by chain_seq desc fetch first 1 rows only").param(tenant.id()).query(AuditTrail::map).single();
    assertThat(newest.type()).isIn(READS);
    db.sql("delete from audit_event where id = ?").param(newest.id()).update();
    db.sql("update audit_chain set last_seq = ?, last_hash = ? where chain_id = ?")
        .params(newest.chainSeq() - 1, newest.prevHash(), tenant.id()).update();

    JsonNode after = ok(asAdmin.get("/api/audit-events/verify?tenantId=" + tenant.id())).json();
    assertThat(after.path("valid").asBoolean()).isTrue();
    assertThat(after.path("lastSeq").asLong()).isEqualTo(newest.chainSeq() - 1);
    assertThat(after.path("notice").asText()).contains("removing the newest events");
  }

  private static ApiClient.Response ok(ApiClient.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response;
  }
}
