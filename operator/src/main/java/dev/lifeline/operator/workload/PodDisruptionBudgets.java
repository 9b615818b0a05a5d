package dev.lifeline.operator.workload;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.api.RealtimePlatform;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/**
 * The PodDisruptionBudget shape both components share: voluntary evictions (node drains, and the operator's own
 * restarts, which are evictions) take one ready pod at a time; unready pods may always be evicted.
 */
final class PodDisruptionBudgets {

    private PodDisruptionBudgets() {
    }

    static PodDisruptionBudget build(RealtimePlatform platform, Component component, String region) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(Owners.ownedMetadata(platform, component, region))
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                // A pod that is not ready serves no call: restarting it (an eviction) must not wait for the budget,
                // else a component whose pods all crash could never be restarted. The budget protects ready pods.
                .withUnhealthyPodEvictionPolicy("AlwaysAllow")
                .withNewSelector().withMatchLabels(WorkloadLabels.selector(platform, component)).endSelector()
                .endSpec()
                .build();
    }
}
