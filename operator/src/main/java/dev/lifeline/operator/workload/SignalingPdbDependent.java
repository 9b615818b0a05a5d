package dev.lifeline.operator.workload;

import dev.lifeline.operator.cache.AppliedFieldsOnlyStore;
import dev.lifeline.operator.OperatorRegion;
import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.api.RealtimePlatform;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The PodDisruptionBudget of the signaling pods: node drains evict one pod at a time. */
@KubernetesDependent(informer = @Informer(labelSelector = WorkloadLabels.SIGNALING_SELECTOR,
        itemStore = AppliedFieldsOnlyStore.class))
public class SignalingPdbDependent extends CRUDKubernetesDependentResource<PodDisruptionBudget, RealtimePlatform> {

    public SignalingPdbDependent() {
        super(PodDisruptionBudget.class);
    }

    /** Pure builder: the PodDisruptionBudget for the given platform in the given region. */
    public static PodDisruptionBudget build(RealtimePlatform platform, String region) {
        return PodDisruptionBudgets.build(platform, Component.SIGNALING, region);
    }

    @Override
    protected PodDisruptionBudget desired(RealtimePlatform platform, Context<RealtimePlatform> context) {
        return build(platform, OperatorRegion.current());
    }
}
