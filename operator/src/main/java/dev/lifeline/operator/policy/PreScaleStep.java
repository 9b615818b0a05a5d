package dev.lifeline.operator.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.policy.Observations.ComponentObservation;

/**
 * Step 7, pre-scale: the local media-server absorbs its share (by DNS weight) of the sessions of peers that are
 * down, draining or drained, and scales ahead of its own forecast ({@link PreScalePlanner}). Scale-up at once;
 * scale-down only to the highest recommendation of the stabilization window, and only after a whole window.
 */
final class PreScaleStep {

    /**
     * @param history the replica recommendations of the trailing window, for the next decision
     * @param decisions the scaling of the local media-server, if any
     * @param overloadSince the overload's clock for the next decision: restarted when a replica was added for it
     */
    record PreScale(ScaleHistory history, List<Decision> decisions, Instant overloadSince) {
        PreScale {
            decisions = List.copyOf(decisions);
        }
    }

    private PreScaleStep() {
    }

    /**
     * @param previous the previous recommendations, {@code null} on a fresh start
     * @param reroute the local record's state after this decision's reroute step (a shedding region absorbs nothing)
     */
    static PreScale plan(DecisionInput in, ScaleHistory previous, LoadStep.Load load, RegionRoles roles,
            RerouteState reroute, OverloadStep.Overload overload) {
        EffectivePolicy.MediaServer ms = in.policy().mediaServer();
        EffectivePolicy.PreScale ps = in.policy().preScale();
        Share share = share(in, load, roles, reroute);
        Double predicted = forecast(in, load.forecast());
        long own = load.own().count();
        PreScalePlanner.Plan plan = PreScalePlanner.plan(own, share.sessions(), predicted, ms.minReplicas(),
                ms.maxReplicas(), ms.sessionsPerReplica(), ps.headroomPercent());
        Instant now = in.now();
        Duration window = in.settings().scaleDownStabilization();
        ComponentObservation co = in.observed(Component.MEDIA_SERVER);
        int current = co == null ? 0 : co.desiredReplicas();
        // Sustained overload: one replica more than the sessions ask for, then the overload's clock starts again.
        boolean forOverload = co != null && !in.paused()
                && overload.sustained(now, in.policy().relayHealth().overloadFor())
                && plan.desired() <= current && current < ms.maxReplicas();
        int desired = forOverload ? current + 1 : plan.desired();
        Instant overloadSince = forOverload ? now : overload.since();
        ScaleHistory history = (previous == null ? ScaleHistory.start(now) : previous).add(now, desired, window);
        if (co == null || in.paused()) {
            return new PreScale(history, List.of(), overloadSince);
        }
        String basis = "own sessions " + own + (share.sessions() > 0 ? " + share " + share.sessions() + " of "
                + share.absorbed() + " sessions of draining/down regions" : "") + (predicted != null ? ", forecast "
                + Math.round(predicted) : "") + ", " + ms.sessionsPerReplica() + " per replica, headroom "
                + ps.headroomPercent() + "%";
        String local = in.local();
        if (forOverload) {
            return new PreScale(history, List.of(new Decision(
                    new Action.ScaleTo(local, Component.MEDIA_SERVER, current, desired),
                    "media-server of " + local + " overloaded: " + overload.overloaded() + " of " + overload.reporting()
                            + " relays' event loops lag more than "
                            + Math.round(in.policy().relayHealth().lagMillis()) + " ms for "
                            + in.policy().relayHealth().overloadFor().toSeconds() + " s; one replica more (" + basis
                            + ")", in.mode())), overloadSince);
        }
        if (plan.desired() > current) {
            return new PreScale(history, List.of(new Decision(
                    new Action.ScaleTo(local, Component.MEDIA_SERVER, current, plan.desired()),
                    "media-server of " + local + " needs " + plan.desired() + " replicas (reactive "
                            + plan.reactiveReplicas() + ", predictive " + plan.predictiveReplicas() + ", max "
                            + ms.maxReplicas() + "): " + basis, in.mode())), overloadSince);
        }
        if (plan.desired() < current && history.covers(now, window)) {
            int to = Math.max(plan.desired(), history.stabilized(now, window));
            if (to < current) {
                return new PreScale(history, List.of(new Decision(
                        new Action.ScaleTo(local, Component.MEDIA_SERVER, current, to),
                        "media-server of " + local + " needed at most " + to + " replicas for the last "
                                + window.toSeconds() + " s: " + basis, in.mode())), overloadSince);
            }
        }
        return new PreScale(history, List.of(), overloadSince);
    }

    /**
     * @param absorbed the sessions of the shedding peers, to be spread over the survivors
     * @param sessions this region's share of them
     */
    private record Share(long absorbed, long sessions) {
    }

    /** The shedding peers' sessions split over the survivors by weight; nothing for a region shedding itself. */
    private static Share share(DecisionInput in, LoadStep.Load load, RegionRoles roles, RerouteState reroute) {
        long absorbed = 0;
        long survivorWeights = 0;
        for (EffectivePolicy.Region r : in.policy().regions().values()) {
            if (roles.isSheddingPeer(r.name())) {
                // its peak, not its latest reading: a failing region's relays stop reporting before it drains
                PeerPeak peak = load.peerPeaks().get(r.name());
                absorbed += peak == null ? 0 : peak.sessions();
            }
            if (roles.isSurvivor(r.name())) {
                survivorWeights += r.weight();
            }
        }
        EffectivePolicy.Region local = in.localSpec();
        boolean localSheds = reroute.phase().shedsTraffic() || local.drain();
        return new Share(absorbed, localSheds ? 0 : PreScalePlanner.share(absorbed, local.weight(), survivorWeights));
    }

    /** Own sessions at the horizon: the spec's, shortened to the p99 pod start plus a buffer when that is known. */
    private static Double forecast(DecisionInput in, HoltForecast forecast) {
        EffectivePolicy.PreScale ps = in.policy().preScale();
        if (!ps.forecast() || forecast == null) {
            return null;
        }
        Duration horizon = ps.horizon();
        Duration p99 = in.obs().podStartP99();
        if (p99 != null) {
            Duration h = p99.plus(in.settings().forecastBuffer());
            horizon = h.compareTo(horizon) < 0 ? h : horizon;
        }
        return forecast.forecast(horizon);
    }
}
