package dev.lifeline.operator.policy;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.policy.Observations.ComponentObservation;
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
     * Bad when fewer than half of the desired replicas are ready (or none is); for signaling also when the region's
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
        return co.readyReplicas() > 0 && 2L * co.readyReplicas() >= co.desiredReplicas();
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
