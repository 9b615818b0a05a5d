package dev.lifeline.operator.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Restart budget with exponential backoff for one (region, component), as pure functions over {@link State}.
 *
 * <p>A component "needs a restart" while some of its pods are crash-looping, OOM-killed or unready past a grace
 * period. The first restart waits {@code backoff} after the problem was first seen; each further restart waits twice
 * as long after the previous one (capped at {@code maxBackoff}), counting the restarts of the last hour. When
 * {@code maxPerHour} restarts were made in the last hour and the problem persists when the next restart would be due,
 * the budget is exhausted: the caller opens the component's breaker (and keeps it open while the problem persists and
 * the budget stays spent). The budget refills as restarts age out of the hour.
 */
public final class RestartBudget {

    /**
     * @param restarts times of the restarts made in the last hour, oldest first
     * @param troubleSince when the current need for a restart was first seen, or {@code null} while none
     */
    public record State(List<Instant> restarts, Instant troubleSince) {
        public State {
            restarts = restarts == null ? List.of() : List.copyOf(restarts);
        }

        public static final State EMPTY = new State(List.of(), null);
    }

    /** What to do about the component now. */
    public sealed interface Verdict permits Idle, RestartNow, Wait, Exhausted {
    }

    /** Nothing needs restarting (or restarts are disabled). */
    public record Idle() implements Verdict {
    }

    /** Restart now; this is restart number {@code attempt} in the last hour. */
    public record RestartNow(int attempt, int budget) implements Verdict {
    }

    /** A restart is due at {@code until} (backoff). */
    public record Wait(Instant until, int used, int budget) implements Verdict {
    }

    /** The hourly budget is spent; the next restart becomes possible at {@code refillAt}. */
    public record Exhausted(int used, Instant refillAt) implements Verdict {
    }

    private RestartBudget() {
    }

    /** Forgets restarts older than an hour and tracks since when the component has needed a restart. */
    public static State observe(State s, Instant now, boolean needsRestart) {
        Instant cutoff = now.minus(RestartPolicy.BUDGET_WINDOW);
        List<Instant> kept = new ArrayList<>();
        for (Instant t : s.restarts()) {
            if (t.isAfter(cutoff)) {
                kept.add(t);
            }
        }
        Instant since = needsRestart ? (s.troubleSince() == null ? now : s.troubleSince()) : null;
        return new State(kept, since);
    }

    /** Decides on a state that {@link #observe} has brought up to {@code now}. */
    public static Verdict evaluate(State s, Instant now, RestartPolicy p) {
        if (s.troubleSince() == null || p.maxPerHour() == 0) {
            return new Idle();
        }
        int used = s.restarts().size();
        Instant anchor = used == 0 ? s.troubleSince() : later(s.restarts().get(used - 1), s.troubleSince());
        Instant due = anchor.plus(p.delayBefore(used));
        if (now.isBefore(due)) {
            // also after the last restart of the budget: it gets the same chance to work as the others
            return new Wait(due, used, p.maxPerHour());
        }
        if (used >= p.maxPerHour()) {
            return new Exhausted(used, s.restarts().get(used - p.maxPerHour()).plus(RestartPolicy.BUDGET_WINDOW));
        }
        return new RestartNow(used + 1, p.maxPerHour());
    }

    /** Records a restart carried out (or, in dry-run, planned) at {@code now}. */
    public static State recordRestart(State s, Instant now) {
        List<Instant> r = new ArrayList<>(s.restarts());
        r.add(now);
        return new State(r, s.troubleSince());
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
