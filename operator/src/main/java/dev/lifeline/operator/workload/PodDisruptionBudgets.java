package dev.lifeline.operator.workload;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.api.RealtimePlatform;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/** The PodDisruptionBudget shape both components share: voluntary evictions take one pod at a time. */
final class PodDisruptionBudgets {

    private PodDisruptionBudgets() {
    }

    static PodDisruptionBudget build(RealtimePlatform platform, Component component, String region) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(Owners.ownedMetadata(platform, component, region))
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(WorkloadLabels.selector(platform, component)).endSelector()
                .endSpec()
                .build();
    }
}
