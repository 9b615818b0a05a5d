package dev.lifeline.operator.workload;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.api.RealtimePlatform;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

/** The Deployment shape both components share. */
final class Deployments {

    private Deployments() {
    }

    static Deployment build(RealtimePlatform platform, Component component, String region, int replicas,
            PodTemplates.ContainerShape shape) {
        return new DeploymentBuilder()
                .withMetadata(Owners.ownedMetadata(platform, component, region))
                .withNewSpec()
                .withReplicas(replicas)
                .withRevisionHistoryLimit(5)
                .withNewSelector().withMatchLabels(WorkloadLabels.selector(platform, component)).endSelector()
                // Roll one new pod in before an old one leaves: capacity never dips during a rollout.
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxSurge(new IntOrString(1))
                .withMaxUnavailable(new IntOrString(0))
                .endRollingUpdate()
                .endStrategy()
                .withTemplate(PodTemplates.build(platform, component, region, shape))
                .endSpec()
                .build();
    }
}
