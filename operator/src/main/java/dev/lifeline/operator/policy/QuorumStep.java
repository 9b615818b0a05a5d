package dev.lifeline.operator.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.lifeline.operator.policy.Observations.RegionObservation;

/**
 * Step 3, quorum: gathers the heartbeat views (the local one as read from the session table, and each peer's
 * published view) and lets {@link QuorumPolicy} decide which peers' operators are silent, twice: by the failure
 * detectors' suspicions or the stale-after rule ({@link Quorums#suspected}: the fast path to a drain, which the
 * service step still confirms from the data plane), and by the stale-after rule alone ({@link Quorums#stale}: what is
 * reported as a silent control plane, so that a leader change that only raises a suspicion is never one).
 */
final class QuorumStep {

    /**
     * @param suspected operators silent by quorum, counting suspicions
     * @param stale operators silent by quorum, counting stale heartbeats only (the rule before failure detection)
     */
    record Quorums(QuorumPolicy.Verdict suspected, QuorumPolicy.Verdict stale) {
    }

    private QuorumStep() {
    }

    static Quorums evaluate(DecisionInput in) {
        List<String> names = new ArrayList<>(in.policy().regions().keySet()); // spec order picks the coordinator
        Map<String, Instant> localView = new LinkedHashMap<>();
        Map<String, Map<String, Instant>> peerViews = new LinkedHashMap<>();
        Map<String, Suspicion> suspicions = new LinkedHashMap<>();
        Map<String, Set<String>> peerSuspects = new LinkedHashMap<>();
        for (String r : names) {
            RegionObservation ro = in.observed(r);
            if (r.equals(in.local())) {
                localView.put(r, in.now());
            } else if (ro != null) {
                if (ro.lastHeartbeat() != null) {
                    localView.put(r, ro.lastHeartbeat());
                }
                if (ro.peerView() != null) {
                    peerViews.put(r, ro.peerView());
                }
                if (ro.suspicion() != null) {
                    suspicions.put(r, ro.suspicion());
                }
                if (ro.suspects() != null) {
                    peerSuspects.put(r, ro.suspects());
                }
            }
        }
        EffectivePolicy p = in.policy();
        return new Quorums(
                QuorumPolicy.evaluate(in.now(), names, in.local(), localView, peerViews, p.staleAfter(), p.quorum(),
                        suspicions, peerSuspects),
                QuorumPolicy.evaluate(in.now(), names, in.local(), localView, peerViews, p.staleAfter(), p.quorum()));
    }
}
