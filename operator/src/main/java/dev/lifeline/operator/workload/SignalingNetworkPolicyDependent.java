package dev.lifeline.operator.workload;

import dev.lifeline.operator.cache.AppliedFieldsOnlyStore;
import dev.lifeline.operator.OperatorRegion;
import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.api.RealtimePlatform;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The NetworkPolicy of the signaling pods: their HTTP port (WebSocket signaling, health, metrics). */
@KubernetesDependent(informer = @Informer(labelSelector = WorkloadLabels.SIGNALING_SELECTOR,
        itemStore = AppliedFieldsOnlyStore.class))
public class SignalingNetworkPolicyDependent extends CRUDKubernetesDependentResource<NetworkPolicy, RealtimePlatform> {

    public SignalingNetworkPolicyDependent() {
        super(NetworkPolicy.class);
    }

    /** Pure builder: the NetworkPolicy for the given platform in the given region. */
    public static NetworkPolicy build(RealtimePlatform platform, String region) {
        return NetworkPolicies.build(platform, Component.SIGNALING, region,
                SignalingDeploymentDependent.ports(platform.getSpec().signaling));
    }

    @Override
    protected NetworkPolicy desired(RealtimePlatform platform, Context<RealtimePlatform> context) {
        return build(platform, OperatorRegion.current());
    }
}
