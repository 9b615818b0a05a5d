package dev.lifeline.operator.status;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Condition;

/**
 * Pure: the kstatus conditions {@code Reconciling} and {@code Stalled}, read by Flux's health checks,
 * {@code kubectl wait} and every tool built on sigs.k8s.io/cli-utils kstatus. With
 * {@code status.observedGeneration} kept current, kstatus reads a platform as InProgress while
 * Reconciling is True, Failed while Stalled is True, and Current otherwise.
 * <ul>
 * <li>Stalled: not Ready for a reason no retry fixes; a person must change RBAC, IAM, the spec or a
 * resource Lifeline does not own.</li>
 * <li>Reconciling: on the way to Ready (pods starting, an AWS change in flight, a transient error
 * retried with backoff), or Ready while the workloads roll out the current spec.</li>
 * </ul>
 */
public final class ProgressConditions {

    /**
     * Reasons of a not-True condition after a completed reconcile that only a person can clear: the
     * region is not in spec.regions; AWS denies access, rejects the spec, or holds a resource Lifeline may
     * not adopt or does not own (AwsReason AccessDenied, Invalid, Incompatible, Conflict). AWS Pending,
     * Throttled, Unavailable and NotFound (a peer's table not replicated yet) are retried. A failed
     * reconcile decides by {@link FailureReason#needsAPerson()} (there, Conflict is a retried HTTP 409).
     */
    static final Set<String> NEEDS_A_PERSON = Set.of("RegionNotListed", "AccessDenied", "Invalid", "Incompatible",
            "Conflict");

    private ProgressConditions() {
    }

    /**
     * Reconciling and Stalled after a reconcile that completed.
     *
     * @param causes    the conditions Ready depends on (WorkloadsAvailable, SessionStoreReady, DnsReady)
     * @param rollingOut a message when the workloads are still rolling out the current spec
     */
    static List<Condition> afterReconcile(List<Condition> causes, Optional<String> rollingOut) {
        Optional<Condition> blocked = causes.stream().filter(c -> !ConditionTypes.TRUE.equals(c.getStatus()))
                .filter(c -> NEEDS_A_PERSON.contains(c.getReason())).findFirst();
        if (blocked.isPresent()) {
            return stalled(blocked.get().getReason(), blocked.get().getType() + ": " + blocked.get().getMessage());
        }
        Optional<Condition> waiting = causes.stream().filter(c -> !ConditionTypes.TRUE.equals(c.getStatus()))
                .findFirst();
        if (waiting.isPresent()) {
            return reconciling(waiting.get().getReason(), waiting.get().getType() + ": " + waiting.get().getMessage());
        }
        if (rollingOut.isPresent()) {
            return reconciling("RollingOut", rollingOut.get());
        }
        return List.of(
                Conditions.of(ConditionTypes.RECONCILING, ConditionTypes.FALSE, "Reconciled",
                        "The current generation of the spec is in place in this region."),
                notStalled());
    }

    /** Reconciling and Stalled after a failed reconcile: Stalled when retrying cannot help, else retried. */
    static List<Condition> afterFailure(FailureReason failure) {
        return failure.needsAPerson() ? stalled(failure.reason(), failure.message())
                : reconciling(failure.reason(), failure.message());
    }

    private static List<Condition> stalled(String reason, String message) {
        return List.of(
                Conditions.of(ConditionTypes.RECONCILING, ConditionTypes.FALSE, reason,
                        "Not retrying until the cause below is fixed (see Stalled)."),
                Conditions.of(ConditionTypes.STALLED, ConditionTypes.TRUE, reason, message));
    }

    private static List<Condition> reconciling(String reason, String message) {
        return List.of(Conditions.of(ConditionTypes.RECONCILING, ConditionTypes.TRUE, reason, message), notStalled());
    }

    private static Condition notStalled() {
        return Conditions.of(ConditionTypes.STALLED, ConditionTypes.FALSE, "AsExpected", "Nothing blocks progress.");
    }
}
