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

import java.util.EnumSet;
import java.util.Set;

/**
 * The access request's state machine: every step of the model and every decision names the
 * statuses it may start from and the status it leaves. {@link AccessRequestLifecycle} asks here
 * before it writes; a step from any other status is refused (the step fails into an incident),
 * never carried on silently. Pure: no engine, no database, unit-tested pair by pair.
 */
public final class RequestStateMachine {

  private RequestStateMachine() {}

  /** The steps of {@code LockboxAccessRequestProcess} that touch a request, and its decisions. */
  public enum Step {
    /** The instance the API or the start form started for a request claims it (once: see the lifecycle). */
    BIND_INSTANCE(null, SUBMITTED),
    CHECK_SCOPE(null, SUBMITTED),
    RECORD_JIT_OUTCOME(null, SUBMITTED),
    REJECT(REJECTED, SUBMITTED),
    AWAIT_INTERNAL_APPROVAL(PENDING_INTERNAL_APPROVAL, SUBMITTED),
    APPROVE_INTERNALLY(null, PENDING_INTERNAL_APPROVAL),
    DENY_INTERNALLY(REJECTED, PENDING_INTERNAL_APPROVAL),
    /** After the JIT rules auto-approved (SUBMITTED) or a lead approved (PENDING_INTERNAL_APPROVAL). */
    CHECK_LOCKBOX_GATE(null, SUBMITTED, PENDING_INTERNAL_APPROVAL),
    OPEN_LOCKBOX_REQUEST(PENDING_CUSTOMER_APPROVAL, SUBMITTED, PENDING_INTERNAL_APPROVAL),
    /** One approval of several the approval rules ask for: recorded, and the customer still decides. */
    COUNT_CUSTOMER_APPROVAL(null, PENDING_CUSTOMER_APPROVAL),
    /** The approval that completes the number the approval rules ask for (the only one, by default). */
    APPROVE_FOR_CUSTOMER(null, PENDING_CUSTOMER_APPROVAL),
    DENY_FOR_CUSTOMER(DENIED, PENDING_CUSTOMER_APPROVAL),
    /** A late timer on a request that already expired does nothing ({@link #alreadyDone}). */
    EXPIRE(EXPIRED, PENDING_CUSTOMER_APPROVAL),
    /** Break-glass and no-lockbox-needed from SUBMITTED or after a lead; else after the customer. */
    GRANT(ACCESS_GRANTED, SUBMITTED, PENDING_INTERNAL_APPROVAL, PENDING_CUSTOMER_APPROVAL),
    END_ACCESS(ACCESS_ENDED, ACCESS_GRANTED),
    /**
     * A lockbox approver or tenant admin ends active access at once (the tenant's policy allows it);
     * the API writes it, the model's step after the revoke message only checks it happened.
     */
    REVOKE_FOR_CUSTOMER(ACCESS_ENDED, ACCESS_GRANTED),
    /** The engineer asks for more time (our API records it before the model hears of it). */
    ASK_FOR_EXTENSION(null, ACCESS_GRANTED),
    /** The model takes up the extension the API recorded (a message without that record opens nothing). */
    OPEN_EXTENSION(null, ACCESS_GRANTED),
    /** One approval of an extension that the approval rules need more of; access stays as it is. */
    COUNT_EXTENSION_APPROVAL(null, ACCESS_GRANTED),
    APPROVE_EXTENSION(null, ACCESS_GRANTED),
    DENY_EXTENSION(null, ACCESS_GRANTED),
    /** The grant's end moves by the access period, on an approved extension ({@code GrantBases}). */
    EXTEND_ACCESS(null, ACCESS_GRANTED);

    private final AccessRequestStatus to;
    private final Set<AccessRequestStatus> from;

    Step(AccessRequestStatus to, AccessRequestStatus first, AccessRequestStatus... rest) {
      this.to = to;
      this.from = EnumSet.of(first, rest);
    }

    /** The statuses this step may start from. */
    public Set<AccessRequestStatus> from() {
      return EnumSet.copyOf(from);
    }

    /** The status this step leaves the request in (the one it found, for steps that only record). */
    public AccessRequestStatus to(AccessRequestStatus current) {
      return to == null ? current : to;
    }
  }

  public static boolean allows(AccessRequestStatus current, Step step) {
    return step.from.contains(current);
  }

  /** Whether {@code step} already happened and a repeat (a late timer) must change nothing. */
  public static boolean alreadyDone(AccessRequestStatus current, Step step) {
    return step == Step.EXPIRE && current == EXPIRED;
  }

  /**
   * Whether {@code step} found the status its competitor leaves: it lost a race it was entitled to
   * run (the revoke timer, the engineer's release and the customer's revocation against each other, the expiry against a denial, a decision
   * against the expiry, an extension's decision against the end of access). That is a collision, answered like the engine's optimistic locking, not a
   * refusal: the winner's transaction already ended this path of the instance.
   */
  public static boolean lostRace(AccessRequestStatus current, Step step) {
    return switch (step) {
      case END_ACCESS, REVOKE_FOR_CUSTOMER -> current == ACCESS_ENDED;
      case EXPIRE -> current == DENIED;
      case COUNT_CUSTOMER_APPROVAL, APPROVE_FOR_CUSTOMER, DENY_FOR_CUSTOMER -> current == DENIED || current == EXPIRED;
      // Access ended (its timer, the release, the customer's revocation) while an approver decided the extension: it closed as expired.
      case COUNT_EXTENSION_APPROVAL, APPROVE_EXTENSION, DENY_EXTENSION -> current == ACCESS_ENDED;
      default -> false;
    };
  }

  /** The status after {@code step}; refuses a step the current status does not allow. */
  public static AccessRequestStatus next(String requestId, AccessRequestStatus current, Step step) {
    if (!allows(current, step)) {
      throw new StepRefused("Step " + step + " of request " + requestId + " may start only from " + step.from
          + ", not from " + current + ".");
    }
    return step.to(current);
  }
}
