package dev.lifeline.operator.policy;

import java.time.Instant;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.policy.Decision.Execution;
import dev.lifeline.operator.policy.Observations.ComponentObservation;
import dev.lifeline.operator.policy.Observations.RegionObservation;

/**
 * What every step of one decision reads: the observations, the effective policy, the engine's settings and the
 * engine's "now". Each step gets this plus the earlier steps' outputs it depends on, and returns a new value.
 */
record DecisionInput(Observations obs, EffectivePolicy policy, EngineSettings settings, Instant now) {

    /** The region this operator decides for. */
    String local() {
        return obs.localRegion();
    }

    EffectivePolicy.Region localSpec() {
        return policy.region(local());
    }

    boolean paused() {
        return policy.paused();
    }

    Execution mode() {
        return policy.mode();
    }

    /** A region's row as observed, or {@code null}. */
    RegionObservation observed(String region) {
        return obs.regions().get(region);
    }

    /** A local component as observed, or {@code null}. */
    ComponentObservation observed(Component c) {
        return obs.components().get(c);
    }
}
