package dev.lifeline.operator.policy;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import dev.lifeline.operator.policy.Observations.RegionObservation;

/**
 * Step 3b, service: of the peers the quorum finds silent or suspected ({@link QuorumStep.Quorums#suspected}), only
 * those whose service is down too ({@link ServiceState#DOWN}) are down; of the others, those silent by the stale-after
 * rule ({@link QuorumStep.Quorums#stale}) are a control-plane fault ({@link SilentControlPlane}), reported and never
 * drained, and those merely suspected (a leader change, a slow table call) are only noted. Every later step reads
 * the verdict this step returns: the stale-after rule's live regions and votes, with {@code down} as judged here.
 */
final class ServiceStep {

    /**
     * @param quorum the quorum verdict to act on: {@code down} holds only the regions whose service is down
     * @param silentControlPlanes peers whose operator is silent by quorum while their service is alive or in doubt
     * @param suspectedAlive peers whose operator is suspected by quorum, not yet stale, while their service is alive
     *        or in doubt: neither drained nor reported
     */
    record Service(QuorumPolicy.Verdict quorum, Map<String, SilentControlPlane> silentControlPlanes,
            Set<String> suspectedAlive) {
        Service {
            silentControlPlanes = Map.copyOf(silentControlPlanes);
            suspectedAlive = Set.copyOf(suspectedAlive);
        }
    }

    private ServiceStep() {
    }

    static Service judge(DecisionInput in, QuorumStep.Quorums quorums) {
        QuorumPolicy.Verdict suspected = quorums.suspected();
        QuorumPolicy.Verdict stale = quorums.stale();
        Set<String> candidates = new LinkedHashSet<>(suspected.down());
        candidates.addAll(stale.down());
        Set<String> down = new LinkedHashSet<>();
        Map<String, String> coordinator = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        Map<String, SilentControlPlane> silent = new LinkedHashMap<>();
        Set<String> suspectedAlive = new LinkedHashSet<>();
        for (String x : candidates) {
            QuorumPolicy.Verdict by = suspected.isDown(x) ? suspected : stale;
            RegionObservation xo = in.observed(x);
            ServiceEvidence evidence = xo == null ? ServiceEvidence.UNKNOWN : xo.serviceOrUnknown();
            ServiceState state = ServiceState.of(evidence);
            if (state == ServiceState.DOWN) {
                down.add(x);
                coordinator.put(x, by.coordinator().get(x));
                reasons.put(x, by.reasons().get(x) + "; service down: " + evidence);
            } else if (stale.isDown(x)) {
                silent.put(x, new SilentControlPlane(x, state, evidence, stale.reasons().get(x)));
            } else {
                suspectedAlive.add(x);
            }
        }
        Set<String> live = new LinkedHashSet<>(stale.live());
        live.removeAll(down);
        QuorumPolicy.Verdict verdict = new QuorumPolicy.Verdict(down, live, stale.isolated(), coordinator, reasons,
                stale.upVotes(), stale.need());
        return new Service(verdict, silent, suspectedAlive);
    }
}
