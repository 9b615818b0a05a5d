package dev.lifeline.operator.policy;

import java.util.ArrayList;
import java.util.List;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.policy.Observations.ComponentObservation;
import dev.lifeline.operator.policy.Observations.PodObservation;

/**
 * Step 8, pod deletion cost: each local media-server pod's {@code pod-deletion-cost} from its sessions
 * ({@link DeletionCost}), rewritten only when it is off by two buckets, so a scale-down removes the emptiest pods.
 */
final class DeletionCostStep {

    private DeletionCostStep() {
    }

    /** The annotations to write, in pod order; none while paused or when the media-server was not observed. */
    static List<Decision> plan(DecisionInput in) {
        ComponentObservation co = in.observed(Component.MEDIA_SERVER);
        if (in.paused() || co == null) {
            return List.of();
        }
        long q = DeletionCost.quantum(in.policy().mediaServer().sessionsPerReplica());
        List<Decision> out = new ArrayList<>();
        for (PodObservation p : co.pods()) {
            if (p.activeSessions() == null || !DeletionCost.needsUpdate(p.deletionCost(), p.activeSessions(), q)) {
                continue;
            }
            int cost = DeletionCost.cost(p.activeSessions(), q);
            out.add(new Decision(new Action.SetPodDeletionCost(in.local(), Component.MEDIA_SERVER, p.name(), cost),
                    "pod " + p.name() + " carries " + p.activeSessions() + " sessions", in.mode()));
        }
        return out;
    }
}
