package dev.lifeline.operator.policy;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.lifeline.operator.api.RegionHealth;
import dev.lifeline.operator.policy.BreakerState.State;
import dev.lifeline.operator.policy.Observations.RegionObservation;

/**
 * Step 9, health: the verdict for {@code status.regions[].health}: the local region from its breakers and current
 * samples, each peer from the quorum and service verdicts, its Route 53 health check and the phase it publishes.
 */
final class HealthStep {

    private HealthStep() {
    }

    /** @param breakers the local breakers after the restart step */
    static Map<String, RegionHealth> judge(DecisionInput in, Breakers breakers, Samples samples,
            QuorumPolicy.Verdict quorum, Map<String, SilentControlPlane> silentControlPlanes) {
        Map<String, RegionHealth> out = new LinkedHashMap<>();
        for (String r : in.policy().regions().keySet()) {
            RegionObservation ro = in.observed(r);
            boolean r53Bad = ro != null && Boolean.FALSE.equals(ro.route53Healthy());
            out.put(r, r.equals(in.local()) ? local(breakers, samples, r53Bad)
                    : peer(r, ro, r53Bad, quorum, silentControlPlanes.get(r)));
        }
        return out;
    }

    private static RegionHealth local(Breakers breakers, Samples samples, boolean r53Bad) {
        if (breakers.any(State.OPEN)) {
            return RegionHealth.DOWN;
        }
        if (breakers.any(State.HALF_OPEN) || samples.anyBad() || r53Bad) {
            return RegionHealth.DEGRADED;
        }
        return samples.anyKnown() ? RegionHealth.HEALTHY : RegionHealth.UNKNOWN;
    }

    private static RegionHealth peer(String r, RegionObservation ro, boolean r53Bad, QuorumPolicy.Verdict quorum,
            SilentControlPlane silent) {
        if (quorum.isDown(r)) {
            return RegionHealth.DOWN;
        }
        if (silent != null) {
            // Serving without its operator: nothing heals it, so not healthy; but not down either.
            return silent.service() == ServiceState.ALIVE ? RegionHealth.DEGRADED : RegionHealth.UNKNOWN;
        }
        if (!quorum.live().contains(r)) {
            return RegionHealth.UNKNOWN;
        }
        if (r53Bad || (ro != null && ro.phase() != null && ro.phase() != Phase.SERVING)) {
            return RegionHealth.DEGRADED;
        }
        return RegionHealth.HEALTHY;
    }
}
