package dev.lifeline.operator.policy;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.policy.Observations.ComponentObservation;
import dev.lifeline.operator.policy.Observations.PodObservation;
import dev.lifeline.operator.policy.Observations.RegionObservation;

/**
 * This decision's health sample of each local component: good, bad, or unknown (not observed, so not sampled).
 * The breakers record it; restarts, the reroute and the health verdict read it as "is it bad right now".
 *
 * @param good per observed component, whether it is good now; a component that is missing is unknown
 */
record Samples(Map<Component, Boolean> good) {

    Samples {
        good = Collections.unmodifiableMap(good.isEmpty() ? new EnumMap<>(Component.class) : new EnumMap<>(good));
    }

    static Samples of(DecisionInput in) {
        Map<Component, Boolean> good = new EnumMap<>(Component.class);
        for (Component c : Component.values()) {
            Boolean g = judge(in, c);
            if (g != null) {
                good.put(c, g);
            }
        }
        return new Samples(good);
    }

    /**
     * Bad when fewer than half of the desired replicas that are not starting are ready or busy (or none is) — a relay unready because it is
     * full, overloaded or draining counts as serving, see {@link Busy}; for the media-server also when more than half
     * of its relays report more packet loss than {@code failover.relayHealth}; for signaling also when the region's
     * Route 53 health check, which probes signaling, fails. {@code null} when the component was not observed.
     */
    private static Boolean judge(DecisionInput in, Component c) {
        ComponentObservation co = in.observed(c);
        if (co == null) {
            return null;
        }
        if (c == Component.SIGNALING) {
            RegionObservation lo = in.observed(in.local());
            if (lo != null && Boolean.FALSE.equals(lo.route53Healthy())) {
                return false;
            }
        }
        if (co.desiredReplicas() <= 0) {
            return true;
        }
        // busy is not broken: a relay unready because full or draining (within the deadline) serves its calls
        EffectivePolicy.RelayHealth relayHealth = in.policy().relayHealth();
        long busy = co.pods().stream().filter(p -> PodsNeedingRestart.busyNotBroken(p, in.now(),
                in.policy().reroute().drainDeadline(), relayHealth.lagMillis())).count();
        long serving = co.readyReplicas() + busy;
        // A replica still starting is neither serving nor failing, so it is left out of the count: a new platform,
        // a scale-up or a slow JVM on a busy node is no bad sample (a breaker opened by it could drain a new region).
        long judged = co.desiredReplicas() - co.pods().stream().filter(PodObservation::starting).count();
        if (serving == 0 && judged <= 0) {
            return null; // every replica starting: no verdict yet
        }
        return serving > 0 && 2L * serving >= judged && !mostlyLossy(co, relayHealth.lossRatio());
    }

    /** More than half of the pods whose relays report their loss report more than {@code threshold}. */
    private static boolean mostlyLossy(ComponentObservation co, double threshold) {
        long reporting = co.pods().stream().filter(p -> p.relay().lossRatio() != null).count();
        long lossy = co.pods().stream().filter(p -> p.relay().lossy(threshold)).count();
        return reporting > 0 && 2 * lossy > reporting;
    }

    /** Good, bad, or {@code null} when unknown. */
    Boolean get(Component c) {
        return good.get(c);
    }

    boolean bad(Component c) {
        return Boolean.FALSE.equals(good.get(c));
    }

    boolean anyBad() {
        return good.containsValue(Boolean.FALSE);
    }

    boolean anyKnown() {
        return !good.isEmpty();
    }
}
