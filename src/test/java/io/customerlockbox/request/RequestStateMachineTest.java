package io.customerlockbox.request;

import io.customerlockbox.StepRefused;
import static io.customerlockbox.request.AccessRequestStatus.ACCESS_ENDED;
import static io.customerlockbox.request.AccessRequestStatus.ACCESS_GRANTED;
import static io.customerlockbox.request.AccessRequestStatus.DENIED;
import static io.customerlockbox.request.AccessRequestStatus.EXPIRED;
import static io.customerlockbox.request.AccessRequestStatus.PENDING_CUSTOMER_APPROVAL;
import static io.customerlockbox.request.AccessRequestStatus.PENDING_INTERNAL_APPROVAL;
import static io.customerlockbox.request.AccessRequestStatus.REJECTED;
import static io.customerlockbox.request.AccessRequestStatus.SUBMITTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.customerlockbox.request.RequestStateMachine.Step;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every (status, step) pair of the state machine, allowed or refused, against the table below:
 * written out by hand from the model (docs/process.md#the-state-machine), not derived from the code.
 */
class RequestStateMachineTest {

  /** step → (from → to); every pair not listed is refused. */
  private static final Map<Step, Map<AccessRequestStatus, AccessRequestStatus>> MODEL = new EnumMap<>(Step.class);

  static {
    allow(Step.BIND_INSTANCE, SUBMITTED, SUBMITTED);
    allow(Step.CHECK_SCOPE, SUBMITTED, SUBMITTED);
    allow(Step.RECORD_JIT_OUTCOME, SUBMITTED, SUBMITTED);
    allow(Step.REJECT, SUBMITTED, REJECTED);
    allow(Step.AWAIT_INTERNAL_APPROVAL, SUBMITTED, PENDING_INTERNAL_APPROVAL);
    allow(Step.APPROVE_INTERNALLY, PENDING_INTERNAL_APPROVAL, PENDING_INTERNAL_APPROVAL);
    allow(Step.DENY_INTERNALLY, PENDING_INTERNAL_APPROVAL, REJECTED);
    allow(Step.CHECK_LOCKBOX_GATE, SUBMITTED, SUBMITTED);
    allow(Step.CHECK_LOCKBOX_GATE, PENDING_INTERNAL_APPROVAL, PENDING_INTERNAL_APPROVAL);
    allow(Step.OPEN_LOCKBOX_REQUEST, SUBMITTED, PENDING_CUSTOMER_APPROVAL);
    allow(Step.OPEN_LOCKBOX_REQUEST, PENDING_INTERNAL_APPROVAL, PENDING_CUSTOMER_APPROVAL);
    allow(Step.COUNT_CUSTOMER_APPROVAL, PENDING_CUSTOMER_APPROVAL, PENDING_CUSTOMER_APPROVAL);
    allow(Step.APPROVE_FOR_CUSTOMER, PENDING_CUSTOMER_APPROVAL, PENDING_CUSTOMER_APPROVAL);
    allow(Step.DENY_FOR_CUSTOMER, PENDING_CUSTOMER_APPROVAL, DENIED);
    allow(Step.EXPIRE, PENDING_CUSTOMER_APPROVAL, EXPIRED);
    allow(Step.GRANT, SUBMITTED, ACCESS_GRANTED);
    allow(Step.GRANT, PENDING_INTERNAL_APPROVAL, ACCESS_GRANTED);
    allow(Step.GRANT, PENDING_CUSTOMER_APPROVAL, ACCESS_GRANTED);
    allow(Step.END_ACCESS, ACCESS_GRANTED, ACCESS_ENDED);
    allow(Step.REVOKE_FOR_CUSTOMER, ACCESS_GRANTED, ACCESS_ENDED);
    // Extensions happen while access is granted and leave it granted; only the end of access ends it.
    allow(Step.ASK_FOR_EXTENSION, ACCESS_GRANTED, ACCESS_GRANTED);
    allow(Step.OPEN_EXTENSION, ACCESS_GRANTED, ACCESS_GRANTED);
    allow(Step.COUNT_EXTENSION_APPROVAL, ACCESS_GRANTED, ACCESS_GRANTED);
    allow(Step.APPROVE_EXTENSION, ACCESS_GRANTED, ACCESS_GRANTED);
    allow(Step.DENY_EXTENSION, ACCESS_GRANTED, ACCESS_GRANTED);
    allow(Step.EXTEND_ACCESS, ACCESS_GRANTED, ACCESS_GRANTED);
  }

  private static void allow(Step step, AccessRequestStatus from, AccessRequestStatus to) {
    MODEL.computeIfAbsent(step, s -> new EnumMap<>(AccessRequestStatus.class)).put(from, to);
  }

  static Stream<Arguments> everyPair() {
    List<Arguments> pairs = new ArrayList<>();
    for (Step step : Step.values()) {
      for (AccessRequestStatus status : AccessRequestStatus.values()) {
        pairs.add(Arguments.of(status, step));
      }
    }
    return pairs.stream();
  }

  @ParameterizedTest(name = "{1} from {0}")
  @MethodSource("everyPair")
  void eachStepStartsOnlyFromItsStatuses(AccessRequestStatus status, Step step) {
    AccessRequestStatus expected = MODEL.getOrDefault(step, Map.of()).get(status);
    if (expected != null) {
      assertThat(RequestStateMachine.allows(status, step)).isTrue();
      assertThat(RequestStateMachine.next("r-1", status, step)).isEqualTo(expected);
    } else {
      assertThat(RequestStateMachine.allows(status, step)).isFalse();
      assertThatThrownBy(() -> RequestStateMachine.next("r-1", status, step))
          .isInstanceOf(StepRefused.class).hasMessageContaining(step.name()).hasMessageContaining(status.name())
          .hasMessageContaining("r-1");
    }
  }

  @ParameterizedTest(name = "{1} from {0}")
  @MethodSource("everyPair")
  void onlyALateExpiryOfAnExpiredRequestIsAlreadyDone(AccessRequestStatus status, Step step) {
    assertThat(RequestStateMachine.alreadyDone(status, step)).isEqualTo(step == Step.EXPIRE && status == EXPIRED);
  }

  /** Pairs where the step lost a race to its competitor (a collision, not a refusal). */
  private static final Map<Step, List<AccessRequestStatus>> RACES = Map.of(
      Step.END_ACCESS, List.of(ACCESS_ENDED),
      Step.REVOKE_FOR_CUSTOMER, List.of(ACCESS_ENDED),
      Step.EXPIRE, List.of(DENIED),
      Step.COUNT_CUSTOMER_APPROVAL, List.of(DENIED, EXPIRED),
      Step.APPROVE_FOR_CUSTOMER, List.of(DENIED, EXPIRED),
      Step.DENY_FOR_CUSTOMER, List.of(DENIED, EXPIRED),
      Step.COUNT_EXTENSION_APPROVAL, List.of(ACCESS_ENDED),
      Step.APPROVE_EXTENSION, List.of(ACCESS_ENDED),
      Step.DENY_EXTENSION, List.of(ACCESS_ENDED));

  @ParameterizedTest(name = "{1} from {0}")
  @MethodSource("everyPair")
  void onlyTheCompetitorsOutcomeIsALostRace(AccessRequestStatus status, Step step) {
    boolean race = RACES.getOrDefault(step, List.of()).contains(status);
    assertThat(RequestStateMachine.lostRace(status, step)).isEqualTo(race);
    if (race) {
      assertThat(RequestStateMachine.allows(status, step)).isFalse();
    }
  }

  @ParameterizedTest(name = "{1} from {0}")
  @MethodSource("everyPair")
  void finalStatusesAllowNoStep(AccessRequestStatus status, Step step) {
    if (status.isFinal()) {
      assertThat(RequestStateMachine.allows(status, step)).isFalse();
    }
    if (status == DENIED || status == REJECTED) {
      assertThat(step.from()).doesNotContain(status);
    }
  }
}
