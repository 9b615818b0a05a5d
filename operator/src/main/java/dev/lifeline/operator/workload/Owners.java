package dev.lifeline.operator.workload;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.api.RealtimePlatform;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/**
 * The owner reference on everything Lifeline creates: the platform is the controller, so
 * kubectl shows "Controlled By" and the garbage collector removes the object with the platform.
 */
public final class Owners {

    private Owners() {
    }

    public static OwnerReference controller(RealtimePlatform platform) {
        return new OwnerReferenceBuilder()
                .withApiVersion(platform.getApiVersion())
                .withKind(platform.getKind())
                .withName(platform.getMetadata().getName())
                .withUid(platform.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    /** Metadata of one component's Deployment, Service or PodDisruptionBudget: owned by the platform, labelled. */
    public static ObjectMeta ownedMetadata(RealtimePlatform platform, Component component, String region) {
        return new ObjectMetaBuilder()
                .withName(component.resourceName(platform.getMetadata().getName()))
                .withNamespace(platform.getMetadata().getNamespace())
                .withOwnerReferences(controller(platform))
                .withLabels(WorkloadLabels.of(platform, component, region))
                .build();
    }
}
