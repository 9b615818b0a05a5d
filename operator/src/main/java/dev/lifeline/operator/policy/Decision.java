package dev.lifeline.operator.policy;

import java.time.Instant;
import java.util.Objects;

import dev.lifeline.operator.api.HistoryEntry;

/**
 * One decision: an {@link Action}, why, and whether to carry it out.
 *
 * @param execution {@link Execution#APPLY}: carry it out; {@link Execution#DRY_RUN}: {@code spec.dryRun} is set, record
 *        it (history, Event, metric) but do not carry it out; {@link Execution#RECORD}: informational (breaker
 *        transitions), nothing to carry out
 */
public record Decision(Action action, String reason, Execution execution) {

    public enum Execution { APPLY, DRY_RUN, RECORD }

    public Decision {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(execution, "execution");
    }

    public boolean toApply() {
        return execution == Execution.APPLY;
    }

    /**
     * A {@code status.history} entry for this decision. {@code outcome} is "DryRun" for dry-run decisions and left
     * empty otherwise, for the effector to fill in (Applied or Failed) along with {@code durationMillis}.
     */
    public HistoryEntry toHistoryEntry(Instant at) {
        HistoryEntry h = new HistoryEntry();
        h.time = at.toString();
        h.action = action.kind();
        h.region = action.region();
        h.component = action.component() == null ? null : action.component().statusName();
        h.reason = reason;
        h.outcome = execution == Execution.DRY_RUN ? "DryRun" : null;
        return h;
    }

    Decision as(Execution e) {
        return e == execution ? this : new Decision(action, reason, e);
    }
}
