package dev.lifeline.operator.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Drain and stepwise restore of one region's DNS record, as a pure state machine over {@link RerouteState}.
 *
 * <pre>
 *   SERVING ──drain due──▶ PRE_SCALING ──capacity ready or deadline──▶ DRAINED   (Drain: weight → 0)
 *      ▲                        │ cause gone                              │ cause gone, healthy, hold-down over
 *      │                        ▼                                         ▼
 *      └──────── last step ── RESTORING ◀──────────── RestoreStep (0 → stepPercent) ┘
 *                               │ unhealthy or breaker open: Rollback (weight → 0) ──▶ DRAINED, rollbacks + 1
 * </pre>
 *
 * <b>Hysteresis, and the bound on DNS changes.</b> Every change that <em>raises</em> the weight (RestoreStep) happens
 * at least {@link ReroutePolicy#stepInterval()} after the previous change of the record (hold-down, doubled per
 * rollback in a row). Changes that <em>lower</em> it (Drain, Rollback) are immediate but always go to 0, so before
 * the next lowering the weight must have come up again: by a raise of ours, or by adopting a higher weight found in
 * Route 53 (a refused drain), which is only believed {@code stepInterval} after our previous change. So two changes
 * less than {@code stepInterval} apart are always a raise followed by a lowering: the changes fall into clusters of
 * at most two, the clusters {@code stepInterval} apart, and in any time window of length W there are at most
 * <b>2·⌊W / stepInterval⌋ + 2 ≤ 2·⌊W / stepInterval⌋ + 3</b> changes ({@link #maxChanges}), however health flaps
 * (property-tested).
 *
 * <p>The planner never refuses a drain to protect the last healthy region: that guard lives in exactly one place, the
 * DNS API in {@code dev.lifeline.operator.aws}, which rejects such a change.
 */
public final class ReroutePlanner {

    /** Why a drain is due now. */
    public record DrainRequest(DrainCause cause, String reason) {
    }

    /**
     * What the planner looks at in one tick.
     *
     * @param targetWeight the spec weight of the region
     * @param drain why the region should be drained now, or {@code null} if it should not
     * @param healthy all the region's breakers closed and its current samples good (a restore step needs it)
     * @param capacityReady the surviving regions have the spare capacity to absorb the region's sessions
     * @param observedWeight the record's weight as last read from Route 53, or {@code null} if unknown
     * @param mayAdoptObserved whether an observed weight of 0 that this operator did not set is adopted (not in dry-run)
     * @param mayRestoreAfterExternal whether a record drained by someone else may be restored now (a quorum of regions
     *        sees this region alive again; otherwise a partitioned region would undo its peers' drain)
     */
    public record Input(int targetWeight, DrainRequest drain, boolean healthy, boolean capacityReady,
            Integer observedWeight, boolean mayAdoptObserved, boolean mayRestoreAfterExternal) {
    }

    /** Result of one tick: the new state, the DNS action if any, and a note on why nothing happened, if useful. */
    public record Step(RerouteState state, Optional<Action> action, String reason) {
    }

    private ReroutePlanner() {
    }

    /** Upper bound on the DNS changes the planner decides for one record in any window of length {@code window}. */
    public static long maxChanges(Duration window, Duration stepInterval) {
        return 2 * (window.toMillis() / stepInterval.toMillis()) + 3;
    }

    public static Step tick(String region, RerouteState state, Instant now, Input in, ReroutePolicy p) {
        RerouteState s = state;
        int target = Math.max(0, in.targetWeight());
        boolean graceOver = s.lastChangeAt() == null || !now.isBefore(s.lastChangeAt().plus(p.stepInterval()));
        if (in.mayAdoptObserved() && in.observedWeight() != null && in.observedWeight() == 0 && s.weight() > 0
                && s.phase() != Phase.DRAINED && graceOver) {
            DrainCause cause = in.drain() != null ? in.drain().cause() : DrainCause.EXTERNAL;
            return new Step(new RerouteState(Phase.DRAINED, 0, now, now, 0, s.rollbacks(), cause), Optional.empty(),
                    "record of " + region + " found at weight 0 although this operator intended " + s.weight()
                            + " (drained by the peers' quorum or by hand); it will come back in steps once healthy");
        }
        if (in.mayAdoptObserved() && in.observedWeight() != null && in.observedWeight() > s.weight()
                && (s.phase() == Phase.DRAINED || s.phase() == Phase.RESTORING) && in.drain() == null && in.healthy()
                && graceOver) {
            // the record is higher than intended: the drain was refused (the DNS API keeps the last healthy region)
            // or undone by hand. Continue from what is there; a restore step must never lower the weight.
            int seen = in.observedWeight();
            if (seen >= target) {
                return new Step(new RerouteState(Phase.SERVING, target, now, s.lastChangeAt(), 0, 0, null),
                        Optional.empty(), "record of " + region + " is at weight " + seen + " although this operator "
                                + "intended " + s.weight() + " (drain refused or undone); serving again");
            }
            int k = 0;
            while (k < p.steps() && p.stepWeight(target, k + 1) <= seen) {
                k++;
            }
            s = new RerouteState(Phase.RESTORING, seen, now, s.lastChangeAt(), Math.max(k, 1), s.rollbacks(), null);
        }
        switch (s.phase()) {
            case SERVING:
                if (in.drain() != null) {
                    RerouteState pre = new RerouteState(Phase.PRE_SCALING, s.weight(), now, s.lastChangeAt(), 0,
                            s.rollbacks(), in.drain().cause());
                    return preScaling(region, pre, now, in, p);
                }
                if (s.weight() != target) {
                    // spec weight changed: follow it; the DNS dependent applies spec weights, this is no failover change
                    return new Step(new RerouteState(Phase.SERVING, target, s.since(), s.lastChangeAt(), 0,
                            s.rollbacks(), null), Optional.empty(), null);
                }
                return new Step(s, Optional.empty(), null);
            case PRE_SCALING:
                return preScaling(region, s, now, in, p);
            case DRAINED:
                return drained(region, s, now, in, p, target);
            case RESTORING:
                return restoring(region, s, now, in, p, target);
            default:
                throw new IllegalStateException("unknown phase " + s.phase());
        }
    }

    private static Step preScaling(String region, RerouteState s, Instant now, Input in, ReroutePolicy p) {
        if (in.drain() == null) {
            return new Step(new RerouteState(Phase.SERVING, s.weight(), now, s.lastChangeAt(), 0, s.rollbacks(), null),
                    Optional.empty(), "drain of " + region + " cancelled: its cause is gone before traffic moved");
        }
        RerouteState cur = s.cause() == in.drain().cause() ? s
                : new RerouteState(s.phase(), s.weight(), s.since(), s.lastChangeAt(), 0, s.rollbacks(), in.drain().cause());
        if (cur.weight() == 0) {
            return new Step(new RerouteState(Phase.DRAINED, 0, now, cur.lastChangeAt(), 0, cur.rollbacks(), cur.cause()),
                    Optional.empty(), null);
        }
        Instant deadline = cur.since().plus(p.drainDeadline());
        if (in.capacityReady() || !now.isBefore(deadline)) {
            String why = in.drain().reason() + (in.capacityReady()
                    ? "; the surviving regions have the capacity for its sessions"
                    : "; drain deadline of " + p.drainDeadline().toSeconds() + " s reached before the survivors' capacity was ready");
            return new Step(new RerouteState(Phase.DRAINED, 0, now, now, 0, cur.rollbacks(), cur.cause()),
                    Optional.of(new Action.Drain(region, cur.weight(), cur.cause())), why);
        }
        return new Step(cur, Optional.empty(), "drain of " + region + " waits for the surviving regions' capacity until "
                + deadline);
    }

    private static Step drained(String region, RerouteState s, Instant now, Input in, ReroutePolicy p, int target) {
        if (in.drain() != null) {
            RerouteState cur = s.cause() == in.drain().cause() ? s
                    : new RerouteState(Phase.DRAINED, 0, s.since(), s.lastChangeAt(), 0, s.rollbacks(), in.drain().cause());
            return new Step(cur, Optional.empty(), null);
        }
        if (!in.healthy()) {
            return new Step(s, Optional.empty(), region + " stays drained: not healthy yet");
        }
        if (s.cause() == DrainCause.EXTERNAL && !in.mayRestoreAfterExternal()) {
            return new Step(s, Optional.empty(), region + " stays drained: a quorum of regions does not see it alive yet");
        }
        Instant anchor = s.lastChangeAt() == null ? s.since() : later(s.since(), s.lastChangeAt());
        Instant earliest = anchor.plus(p.holdDown(s.rollbacks()));
        if (now.isBefore(earliest)) {
            return new Step(s, Optional.empty(), region + " stays drained until " + earliest + " (hold-down)");
        }
        if (target == 0) {
            return new Step(new RerouteState(Phase.SERVING, 0, now, s.lastChangeAt(), 0, 0, null), Optional.empty(), null);
        }
        int w = p.stepWeight(target, 1);
        boolean done = w >= target;
        RerouteState next = done
                ? new RerouteState(Phase.SERVING, target, now, now, 0, 0, null)
                : new RerouteState(Phase.RESTORING, w, now, now, 1, s.rollbacks(), null);
        return new Step(next, Optional.of(new Action.RestoreStep(region, 0, w, 1, p.steps())),
                region + " healthy again: restoring its weight, step 1 of " + p.steps());
    }

    private static Step restoring(String region, RerouteState s, Instant now, Input in, ReroutePolicy p, int target) {
        if (in.drain() != null && in.drain().cause().isPlanned()) {
            RerouteState pre = new RerouteState(Phase.PRE_SCALING, s.weight(), now, s.lastChangeAt(), 0, s.rollbacks(),
                    in.drain().cause());
            return preScaling(region, pre, now, in, p);
        }
        if (in.drain() != null || !in.healthy()) {
            String why = in.drain() != null ? in.drain().reason() : region + " unhealthy during restore";
            DrainCause cause = in.drain() != null ? in.drain().cause() : DrainCause.ROLLBACK;
            return new Step(new RerouteState(Phase.DRAINED, 0, now, now, 0, s.rollbacks() + 1, cause),
                    Optional.of(new Action.Rollback(region, s.weight())),
                    why + " at weight " + s.weight() + " (step " + s.step() + " of " + p.steps() + "): rolled back; next attempt after "
                            + p.holdDown(s.rollbacks() + 1).toSeconds() + " s");
        }
        if (target <= s.weight()) {
            return new Step(new RerouteState(Phase.SERVING, target, now, s.lastChangeAt(), 0, 0, null), Optional.empty(), null);
        }
        Instant due = s.lastChangeAt() == null ? now : s.lastChangeAt().plus(p.stepInterval());
        if (now.isBefore(due)) {
            return new Step(s, Optional.empty(), null);
        }
        int k = s.step() + 1;
        int w = Math.max(p.stepWeight(target, k), s.weight() + 1);
        w = Math.min(w, target);
        boolean done = w >= target;
        RerouteState next = done
                ? new RerouteState(Phase.SERVING, target, now, now, 0, 0, null)
                : new RerouteState(Phase.RESTORING, w, s.since(), now, k, s.rollbacks(), null);
        return new Step(next, Optional.of(new Action.RestoreStep(region, s.weight(), w, Math.min(k, p.steps()), p.steps())),
                region + " stayed healthy for " + p.stepInterval().toSeconds() + " s at weight " + s.weight()
                        + ": step " + Math.min(k, p.steps()) + " of " + p.steps());
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
