package io.customerlockbox.page;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.audit.AuditEvent;
import io.customerlockbox.audit.AuditEventType;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.AccessRequestView;
import io.customerlockbox.request.LockboxPurpose;
import io.customerlockbox.request.LockboxRequestView;
import io.customerlockbox.request.LockboxStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The customer's words for a request's state and for each audit event: no engine vocabulary, one time format. */
class CustomerWordsTest {

  static final Instant REQUESTED = Instant.parse("2026-03-02T09:15:30Z");
  static final Instant DECIDED = Instant.parse("2026-03-02T10:00:00Z");
  static final Instant UNTIL = Instant.parse("2026-03-02T18:00:00Z");
  static final Pattern ISO_INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}");
  static final Map<String, String> NAMES = Map.of("c-prod", "Production");

  @ParameterizedTest
  @EnumSource(AuditEventType.class)
  void everyEventTypeHasASentenceWithoutTheProvidersTerms(AuditEventType type) {
    AuditEvent event = event(type, "outcome AUTO_APPROVE by rule Rule_AutoApproveRead for READ access, until "
        + UNTIL, UNTIL);
    for (AccessRequestView request : new AccessRequestView[] {approved(grant(null, null)), breakGlass(), null}) {
      String sentence = CustomerWords.sentence(event, new CustomerWords.Facts(request, NAMES));
      assertThat(sentence).isNotBlank().endsWith(".")
          .doesNotContain("AUTO_APPROVE", "Rule_", "c-prod", type.name(), "READ", "INTERNAL_APPROVAL")
          .doesNotContainPattern(ISO_INSTANT);
      assertThat(CustomerWords.typeLabel(type)).isNotBlank().doesNotContain(type.name());
    }
  }

  @Test
  void sentencesNameTheEnvironmentAndTheTimesTheOneWay() {
    AccessRequestView request = approved(grant(null, null));
    CustomerWords.Facts facts = new CustomerWords.Facts(request, NAMES);
    assertThat(CustomerWords.sentence(event(AuditEventType.JIT_EVALUATED, "outcome AUTO_APPROVE", null), facts))
        .isEqualTo("The provider's internal rules allowed this request without a second person at the provider.");
    assertThat(CustomerWords.sentence(event(AuditEventType.ACCESS_GRANTED, "access until " + UNTIL, UNTIL), facts))
        .isEqualTo("The engineer was given access to Production until 2026-03-02 18:00 UTC.");
    assertThat(CustomerWords.sentence(event(AuditEventType.REQUEST_CREATED, "READ access", null), facts))
        .isEqualTo("A provider engineer asked for read only access to Production.");
    assertThat(CustomerWords.sentence(event(AuditEventType.APPROVERS_NOTIFIED,
        "LOCKBOX_REQUEST_CREATED sent to c-approver", null), facts)).isEqualTo("Your approvers were notified by e-mail.");
    assertThat(CustomerWords.sentence(event(AuditEventType.APPROVERS_NOTIFIED,
        "LOCKBOX_REQUEST_REMINDER sent to c-approver", null), facts)).isEqualTo("Your approvers were reminded by e-mail.");
  }

  @Test
  void onlyWhatPeopleWroteOrDidIsShownUnderASentence() {
    assertThat(CustomerWords.detail(event(AuditEventType.JIT_EVALUATED, "outcome AUTO_APPROVE by rule Rule_X", null)))
        .isNull();
    assertThat(CustomerWords.detail(event(AuditEventType.ACCESS_ACTIVITY, "ran SELECT on orders (reported by dp)", null)))
        .isEqualTo("ran SELECT on orders (reported by dp)");
  }

  @Test
  void theStateSaysWhetherAccessIsLiveOrEndedAndHow() {
    assertThat(CustomerWords.state(pending()).text()).isEqualTo("Action needed: decide by 2026-03-06 09:15 UTC");
    assertThat(CustomerWords.state(pending()).needsAction()).isTrue();
    assertThat(CustomerWords.state(approved(grant(null, null))).text())
        .isEqualTo("Approved: access until 2026-03-02 18:00 UTC");
    assertThat(CustomerWords.state(approved(grant(Instant.parse("2026-03-02T11:30:00Z"), CustomerWords.RELEASED))).text())
        .isEqualTo("Access ended: released early by the engineer at 2026-03-02 11:30 UTC");
    assertThat(CustomerWords.state(approved(grant(UNTIL, "EXPIRED"))).text())
        .isEqualTo("Access ended: access period over at 2026-03-02 18:00 UTC");
    assertThat(CustomerWords.state(breakGlass()).text()).isEqualTo("Emergency access: until 2026-03-02 18:00 UTC");
    assertThat(CustomerWords.state(breakGlass()).needsAction()).isFalse();
  }

  @Test
  void theRecentTableListsWhatNeedsActionFirstThenTheNewestAndBreakGlassWithItsIncident() {
    AccessRequestView older = pending();
    AccessRequestView newer = copy(approved(grant(null, null)), "r-new", REQUESTED.plusSeconds(3600));
    AccessRequestView emergency = copy(breakGlass(), "r-bg", REQUESTED.plusSeconds(60));
    RecentRequests recent = RecentRequests.of(List.of(newer, emergency, older), NAMES, REQUESTED.minusSeconds(1), 1);
    assertThat(recent.rows()).extracting(RecentRequests.Row::status)
        .containsExactly("Action needed", "Approved", "Emergency access");
    RecentRequests.Row glass = recent.rows().get(2);
    assertThat(glass.supportRequest()).isEqualTo("Break-glass: incident INC-7");
    assertThat(glass.href()).isEqualTo("/lockbox/break-glass/r-bg");
    assertThat(glass.environment()).isEqualTo("Production");
    assertThat(recent.rows().get(1).whoActed()).isEqualTo("c-approver, 2026-03-02 10:00 UTC");
    assertThat(RecentRequests.of(List.of(older), NAMES, REQUESTED.plusSeconds(1), 1).rows()).isEmpty();
  }

  @Test
  void aLongTableComesInPages() {
    List<AccessRequestView> many = java.util.stream.IntStream.range(0, RecentRequests.PAGE_SIZE + 3)
        .mapToObj(i -> copy(approved(grant(null, null)), "r" + i, REQUESTED.plusSeconds(i))).toList();
    RecentRequests second = RecentRequests.of(many, NAMES, REQUESTED, 2);
    assertThat(second.pages()).isEqualTo(2);
    assertThat(second.rows()).hasSize(3);
    assertThat(second.rows().get(2).id()).isEqualTo("l-r0");
  }

  private static AuditEvent event(AuditEventType type, String detail, Instant accessExpiresAt) {
    return new AuditEvent("e1", 1, REQUESTED, "c", null, "r1", type, null, AuditEvent.ActorKind.SYSTEM, null, "SR-1",
        null, accessExpiresAt, "why", null, null, detail, null, null);
  }

  private static AccessRequestView.Grant grant(Instant endedAt, String endReason) {
    return new AccessRequestView.Grant("g1", DECIDED, UNTIL, endedAt, endReason);
  }

  private static final List<String> APPROVERS = List.of("lockbox-approvers", "tenant-admins");

  private static AccessRequestView pending() {
    return view("r1", REQUESTED, false, null, new LockboxRequestView("l-r1", "r1", "c",
        LockboxStatus.ACTION_NEEDED, REQUESTED, REQUESTED.plusSeconds(4 * 86400), "PT8H", null, null, null, 1,
        APPROVERS, List.of(), LockboxPurpose.ACCESS, null), null);
  }

  private static AccessRequestView approved(AccessRequestView.Grant grant) {
    return view("r1", REQUESTED, false, null, new LockboxRequestView("l-r1", "r1", "c",
        LockboxStatus.APPROVED, REQUESTED, REQUESTED.plusSeconds(4 * 86400), "PT8H", "c-approver", DECIDED, null, 1,
        APPROVERS, List.of(new LockboxRequestView.Approval("c-approver", DECIDED, null)), LockboxPurpose.ACCESS, null),
        grant);
  }

  private static AccessRequestView breakGlass() {
    return view("r1", REQUESTED, true, "INC-7", null, grant(null, null));
  }

  private static AccessRequestView copy(AccessRequestView v, String id, Instant requestedAt) {
    LockboxRequestView l = v.lockbox() == null ? null : new LockboxRequestView("l-" + id, id, "c",
        v.lockbox().status(), requestedAt, v.lockbox().expiresAt(), v.lockbox().accessPeriod(), v.lockbox().decidedBy(),
        v.lockbox().decidedAt(), v.lockbox().comment(), v.lockbox().approvalsRequired(), v.lockbox().approverGroups(),
        v.lockbox().approvals(), v.lockbox().purpose(), v.lockbox().justification());
    return view(id, requestedAt, v.breakGlass(), v.incidentId(), l, v.grant());
  }

  private static AccessRequestView view(String id, Instant requestedAt, boolean breakGlass, String incident,
      LockboxRequestView lockbox, AccessRequestView.Grant grant) {
    return new AccessRequestView(id, "c", "c-prod", breakGlass ? null : "SR-1", "Investigate the export job",
        AccessLevel.READ, "engineer", requestedAt, AccessRequestStatus.ACCESS_GRANTED, null, "pi", breakGlass, incident,
        new AccessRequestView.Internal("AUTO_APPROVE", null, null, null), lockbox,
        lockbox == null ? List.of() : List.of(lockbox), grant);
  }
}
