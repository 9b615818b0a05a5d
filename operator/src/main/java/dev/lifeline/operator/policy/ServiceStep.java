package dev.lifeline.operator.policy;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import dev.lifeline.operator.policy.Observations.RegionObservation;

/**
 * Step 3b, service: of the peers the quorum finds silent (their operator's heartbeat stale for a majority), only
 * those whose service is down too ({@link ServiceState#DOWN}) stay down; the others are a control-plane fault
 * ({@link SilentControlPlane}), reported and never drained. Every later step reads the verdict this step returns.
 */
final class ServiceStep {

    /**
     * @param quorum the quorum verdict to act on: {@code down} holds only the regions whose service is down
     * @param silentControlPlanes peers whose operator is silent by quorum while their service is alive or in doubt
     */
    record Service(QuorumPolicy.Verdict quorum, Map<String, SilentControlPlane> silentControlPlanes) {
        Service {
            silentControlPlanes = Map.copyOf(silentControlPlanes);
        }
    }

    private ServiceStep() {
    }

    static Service judge(DecisionInput in, QuorumPolicy.Verdict operatorsSilent) {
        Set<String> down = new LinkedHashSet<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        Map<String, SilentControlPlane> silent = new LinkedHashMap<>();
        for (String x : operatorsSilent.down()) {
            RegionObservation xo = in.observed(x);
            ServiceEvidence evidence = xo == null ? ServiceEvidence.UNKNOWN : xo.serviceOrUnknown();
            ServiceState state = ServiceState.of(evidence);
            if (state == ServiceState.DOWN) {
                down.add(x);
                reasons.put(x, operatorsSilent.reasons().get(x) + "; service down: " + evidence);
            } else {
                silent.put(x, new SilentControlPlane(x, state, evidence, operatorsSilent.reasons().get(x)));
            }
        }
        return new Service(operatorsSilent.onlyDown(down, reasons), silent);
    }
}
