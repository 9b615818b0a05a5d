package dev.lifeline.operator.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.lifeline.operator.policy.Observations.RegionObservation;

/**
 * Step 5, peer drains: a peer that is down by quorum is drained by one region, the first agreeing voter in spec
 * order (so only one operator changes that record), at most once per step interval while Route 53 still shows a
 * weight. The peer's own operator restores its record when it comes back.
 */
final class PeerDrainStep {

    /**
     * @param issued when this operator last decided to drain each peer that is still down, for the next decision
     * @param decisions the drains of peer records
     * @param notes drains left to another region, or not made because the platform is paused
     */
    record PeerDrains(Map<String, Instant> issued, List<Decision> decisions, List<String> notes) {
        PeerDrains {
            issued = Collections.unmodifiableMap(new LinkedHashMap<>(issued));
            decisions = List.copyOf(decisions);
            notes = List.copyOf(notes);
        }
    }

    private PeerDrainStep() {
    }

    /**
     * @param previouslyIssued the previous decision's {@link PeerDrains#issued}
     * @param quorum the verdict of the service step: down = operator silent and service down
     * @param stillSilent peers whose operator is still silent (down or not): a drain issued for one of them is
     *        remembered through a moment of doubt (a read that failed), so the same outage is not counted twice
     */
    static PeerDrains plan(DecisionInput in, Map<String, Instant> previouslyIssued, QuorumPolicy.Verdict quorum,
            Set<String> stillSilent) {
        Map<String, Instant> issued = new LinkedHashMap<>();
        previouslyIssued.forEach((region, at) -> {
            if (quorum.isDown(region) || stillSilent.contains(region)) {
                issued.put(region, at); // forget regions whose operator is heard again
            }
        });
        List<Decision> decisions = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String x : quorum.down()) {
            String coordinator = quorum.coordinator().get(x);
            if (!in.local().equals(coordinator)) {
                notes.add(x + " is down by quorum; " + coordinator + " drains its record");
                continue;
            }
            RegionObservation xo = in.observed(x);
            Integer w = xo == null ? null : xo.dnsWeight();
            if (w != null && w == 0) {
                continue;
            }
            Instant last = issued.get(x);
            if (last != null && in.now().isBefore(last.plus(in.policy().reroute().stepInterval()))) {
                continue;
            }
            if (in.paused()) {
                notes.add(x + " is down by quorum but the platform is paused: not draining it");
                continue;
            }
            int from = w != null ? w : Math.max(0, in.policy().region(x).weight());
            decisions.add(new Decision(new Action.Drain(x, from, DrainCause.QUORUM_DOWN), quorum.reasons().get(x),
                    in.mode()));
            issued.put(x, in.now());
        }
        return new PeerDrains(issued, decisions, notes);
    }
}
