package dev.lifeline.operator.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.lifeline.operator.policy.Observations.RegionObservation;

/**
 * Step 3, quorum: gathers the heartbeat views (the local one as read from the session table, and each peer's
 * published view) and lets {@link QuorumPolicy} decide which silent peers are down.
 */
final class QuorumStep {

    private QuorumStep() {
    }

    static QuorumPolicy.Verdict evaluate(DecisionInput in) {
        List<String> names = new ArrayList<>(in.policy().regions().keySet()); // spec order picks the coordinator
        Map<String, Instant> localView = new LinkedHashMap<>();
        Map<String, Map<String, Instant>> peerViews = new LinkedHashMap<>();
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
            }
        }
        return QuorumPolicy.evaluate(in.now(), names, in.local(), localView, peerViews, in.policy().staleAfter(),
                in.policy().quorum());
    }
}
