package dev.lifeline.operator.policy;

import java.util.List;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.policy.BreakerState.State;
import dev.lifeline.operator.policy.Decision.Execution;
import dev.lifeline.operator.policy.Observations.RegionObservation;

/**
 * Step 4, local reroute: gathers what {@link ReroutePlanner} needs for the local record — why a drain is due (spec,
 * drill, open breaker), whether the region is healthy, whether the survivors have room for its sessions, whether an
 * external drain may be undone — and lets it move the record one tick.
 */
final class RerouteStep {

    /**
     * @param state the local record's reroute state, for the next decision and the published phase
     * @param decisions the DNS change of the local record, if any
     * @param notes why the record did not change, if the planner said
     */
    record LocalReroute(RerouteState state, List<Decision> decisions, List<String> notes) {
        LocalReroute {
            decisions = List.copyOf(decisions);
            notes = List.copyOf(notes);
        }
    }

    private RerouteStep() {
    }

    /**
     * @param previous the previous decision's state, or {@code null} on a fresh start
     * @param breakers the local breakers after the restart step
     */
    static LocalReroute plan(DecisionInput in, RerouteState previous, Breakers breakers, Samples samples,
            RegionRoles roles, QuorumPolicy.Verdict quorum, LocalSessions own) {
        int target = Math.max(0, in.localSpec().weight());
        RegionObservation lo = in.observed(in.local());
        Integer observed = lo == null ? null : lo.dnsWeight();
        RerouteState state = previous != null ? previous : rebuilt(in, target, observed);
        if (in.paused()) {
            return new LocalReroute(state, List.of(), List.of());
        }
        ReroutePlanner.Input input = new ReroutePlanner.Input(target, drainRequest(in, breakers),
                healthy(breakers, samples, lo), spareCapacity(in, roles) >= own.count(), observed,
                in.mode() == Execution.APPLY, mayRestoreAfterExternal(in, quorum));
        ReroutePlanner.Step step = ReroutePlanner.tick(in.local(), state, in.now(), input, in.policy().reroute());
        if (step.action().isPresent()) {
            return new LocalReroute(step.state(), List.of(new Decision(step.action().get(), step.reason(), in.mode())),
                    List.of());
        }
        return new LocalReroute(step.state(), List.of(), step.reason() == null ? List.of() : List.of(step.reason()));
    }

    /**
     * The state after an operator restart, from the record's observed weight: between 0 and the target it is
     * restoring from there; 0 is left to the planner, which adopts it as an external drain on the first tick.
     */
    static RerouteState rebuilt(DecisionInput in, int target, Integer observed) {
        if (observed == null || observed >= target || observed == 0) {
            return RerouteState.serving(target, in.now());
        }
        ReroutePolicy p = in.policy().reroute();
        int k = 0;
        while (k < p.steps() && p.stepWeight(target, k + 1) <= observed) {
            k++;
        }
        return new RerouteState(Phase.RESTORING, observed, in.now(), in.now(), Math.max(k, 1), 0, null);
    }

    /** The spec's drain first, then a drill in its hold, then the first open breaker; {@code null} if none. */
    private static ReroutePlanner.DrainRequest drainRequest(DecisionInput in, Breakers breakers) {
        String local = in.local();
        if (in.localSpec().drain()) {
            return new ReroutePlanner.DrainRequest(DrainCause.SPEC_DRAIN,
                    "spec.regions[" + local + "].drain is true (manual failover)");
        }
        Observations.Drill drill = in.obs().drill();
        if (drill != null && in.now().isBefore(drill.until())) {
            return new ReroutePlanner.DrainRequest(DrainCause.DRILL,
                    "failover drill " + drill.id() + " drains " + local + " until " + drill.until());
        }
        for (Component c : Component.values()) {
            BreakerState b = breakers.of(c);
            if (b.state() == State.OPEN) {
                return new ReroutePlanner.DrainRequest(DrainCause.BREAKER_OPEN,
                        c + " breaker of " + local + " open since " + b.since());
            }
        }
        return null;
    }

    /** Every breaker closed, no bad sample now, and Route 53 not failing the region: a restore step may go on. */
    private static boolean healthy(Breakers breakers, Samples samples, RegionObservation lo) {
        for (Component c : Component.values()) {
            if (breakers.of(c).state() != State.CLOSED || samples.bad(c)) {
                return false;
            }
        }
        return lo == null || !Boolean.FALSE.equals(lo.route53Healthy());
    }

    /** Sessions the surviving peers can still take, from the capacity and sessions in their heartbeats. */
    private static long spareCapacity(DecisionInput in, RegionRoles roles) {
        long spare = 0;
        for (String r : roles.survivors()) {
            RegionObservation ro = in.observed(r);
            if (!r.equals(in.local()) && ro != null && ro.capacity() != null) {
                long s = ro.activeSessions() == null ? 0 : ro.activeSessions();
                spare += Math.max(0, ro.capacity() - s);
            }
        }
        return spare;
    }

    /** Undo a drain this operator did not make only when a quorum sees the region alive (never when isolated). */
    private static boolean mayRestoreAfterExternal(DecisionInput in, QuorumPolicy.Verdict quorum) {
        return !quorum.isolated() && (in.policy().regions().size() <= 2 || quorum.quorumSeesUp(in.local()));
    }
}
