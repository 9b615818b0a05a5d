package dev.lifeline.operator.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/** Pure helpers for status conditions: lastTransitionTime moves only when the status changes. */
public final class Conditions {

    /** The reason of a condition still on its way to its desired state (not a failure). */
    public static final String PROGRESSING = "Progressing";
    /** The reason of an AWS resource being created or replicated (AwsReason.Pending): waiting, not failing. */
    public static final String PENDING = "Pending";
    /**
     * The reason of RegionsHealthy Unknown: no region is known to be unhealthy, but some have no verdict yet (a new
     * platform's first steps; a peer outside the heartbeat quorum). A doubt, not a failure.
     */
    public static final String NO_VERDICT = "NoVerdict";
    /** Reasons of a condition that waits for something under way or for evidence: not failures (no Warning). */
    private static final Set<String> WAITING_REASONS = Set.of(PROGRESSING, PENDING, NO_VERDICT);

    private Conditions() {
    }

    public static Condition of(String type, String status, String reason, String message) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .build();
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> ConditionTypes.TRUE.equals(c.getStatus())).orElse(false);
    }

    /**
     * The next condition list: the desired conditions, in their order, stamped with the
     * observed generation; a condition keeps its previous lastTransitionTime unless its status
     * changed. Conditions of other types in {@code previous} are kept as they are.
     */
    public static List<Condition> merge(List<Condition> previous, List<Condition> desired, long generation,
            Instant now) {
        List<Condition> next = new ArrayList<>();
        for (Condition wanted : desired) {
            Optional<Condition> before = find(previous, wanted.getType());
            String transition = before.filter(b -> Objects.equals(b.getStatus(), wanted.getStatus()))
                    .map(Condition::getLastTransitionTime)
                    .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
            next.add(new ConditionBuilder(wanted).withObservedGeneration(generation)
                    .withLastTransitionTime(transition).build());
        }
        if (previous != null) {
            for (Condition kept : previous) {
                if (find(desired, kept.getType()).isEmpty()) {
                    next.add(kept);
                }
            }
        }
        return next;
    }

    /**
     * The transitions worth an Event: a condition turning bad, a condition recovering from a failure, and Ready changing
     * status. Not a condition's first appearance unless it appears failing, not the end of a wait (a condition leaving
     * a {@link #waiting} state for a good one: a new platform's half dozen of those are summed up by the one Event of
     * Ready turning True), nor the kstatus summaries Reconciling and Stalled (the conditions they sum up have their
     * own Events). A new platform that comes up without trouble thus gets one Event, not one per condition.
     */
    public static List<Condition> announced(List<Condition> previous, List<Condition> next) {
        List<Condition> announced = new ArrayList<>();
        for (Condition c : transitions(previous, next)) {
            if (ConditionTypes.RECONCILING.equals(c.getType()) || ConditionTypes.STALLED.equals(c.getType())) {
                continue;
            }
            Optional<Condition> before = find(previous, c.getType());
            boolean ready = ConditionTypes.READY.equals(c.getType());
            boolean worthIt = before.isEmpty()
                    ? (ready ? !bad(c) : warns(c))
                    : ready || bad(c) || !waiting(before.get());
            if (worthIt) {
                announced.add(c);
            }
        }
        return announced;
    }

    /** Whether the condition is bad only because something it needs is still under way (not a failure). */
    public static boolean waiting(Condition c) {
        return bad(c) && WAITING_REASONS.contains(c.getReason());
    }

    /** Whether the condition reports a failure: bad, and not merely {@link #waiting} (its Event is a Warning). */
    public static boolean warns(Condition c) {
        return bad(c) && !waiting(c);
    }

    /** Whether the condition, as it stands, reports a problem (True for Degraded-like types, else not True). */
    public static boolean bad(Condition c) {
        return ConditionTypes.trueIsBad(c.getType()) ? ConditionTypes.TRUE.equals(c.getStatus())
                : !ConditionTypes.TRUE.equals(c.getStatus());
    }

    /** Conditions whose status changed between two lists (for Events on transitions). */
    public static List<Condition> transitions(List<Condition> previous, List<Condition> next) {
        List<Condition> changed = new ArrayList<>();
        for (Condition c : next) {
            Optional<Condition> before = find(previous, c.getType());
            if (before.isEmpty() || !Objects.equals(before.get().getStatus(), c.getStatus())) {
                changed.add(c);
            }
        }
        return changed;
    }
}
