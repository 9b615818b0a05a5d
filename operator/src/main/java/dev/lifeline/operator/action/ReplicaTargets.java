package dev.lifeline.operator.action;

import java.util.Optional;

import dev.lifeline.operator.api.ReplicaRange;
import dev.lifeline.operator.policy.Action;
import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.policy.Decision;
import dev.lifeline.operator.policy.Decisions;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * Pure: how many media-server replicas the Deployment should have. A scale decision of this
 * reconcile wins; otherwise the Deployment keeps its current count (so a pre-scale survives an
 * operator restart), always within the spec's bounds.
 */
public final class ReplicaTargets {

    private ReplicaTargets() {
    }

    public static int mediaServer(ReplicaRange bounds, Optional<Deployment> current, Optional<Decisions> decisions) {
        Optional<Integer> decided = decisions.flatMap(d -> d.decisions().stream()
                .filter(Decision::toApply)
                .map(Decision::action)
                .filter(a -> a instanceof Action.ScaleTo s && s.component() == Component.MEDIA_SERVER)
                .map(a -> ((Action.ScaleTo) a).replicas())
                .reduce((first, second) -> second));
        int replicas = decided.orElseGet(() -> current.map(Deployment::getSpec).map(s -> s.getReplicas())
                .orElse(bounds.min));
        return Math.max(bounds.min, Math.min(bounds.max, replicas));
    }
}
