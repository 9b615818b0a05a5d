package dev.lifeline.operator.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/** Pure helpers for status conditions: lastTransitionTime moves only when the status changes. */
public final class Conditions {

    /** The reason of a condition still on its way to its desired state (not a failure). */
    public static final String PROGRESSING = "Progressing";

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
     * The transitions worth an Event: every change of a condition's status, but not a condition's first appearance
     * when it starts out good or {@code Progressing} (a new platform's conditions start so by the half dozen, and
     * their first real transition has its Event), nor the kstatus summaries Reconciling and Stalled (the conditions
     * they sum up have their own Events). A condition that appears bad gets its Event at once.
     */
    public static List<Condition> announced(List<Condition> previous, List<Condition> next) {
        List<Condition> announced = new ArrayList<>();
        for (Condition c : transitions(previous, next)) {
            if (ConditionTypes.RECONCILING.equals(c.getType()) || ConditionTypes.STALLED.equals(c.getType())) {
                continue;
            }
            boolean appears = find(previous, c.getType()).isEmpty();
            if (appears && (!bad(c) || PROGRESSING.equals(c.getReason()))) {
                continue;
            }
            announced.add(c);
        }
        return announced;
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
