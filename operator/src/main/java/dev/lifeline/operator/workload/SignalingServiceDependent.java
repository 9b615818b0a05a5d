package dev.lifeline.operator.workload;

import dev.lifeline.operator.cache.AppliedFieldsOnlyStore;
import dev.lifeline.operator.OperatorRegion;
import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.api.RealtimePlatform;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The signaling Service, of type LoadBalancer: its load-balancer address is the region's DNS
 * target unless {@code regions[].endpoint} overrides it.
 */
@KubernetesDependent(informer = @Informer(labelSelector = WorkloadLabels.SIGNALING_SELECTOR,
        itemStore = AppliedFieldsOnlyStore.class))
public class SignalingServiceDependent extends CRUDKubernetesDependentResource<Service, RealtimePlatform> {

    public SignalingServiceDependent() {
        super(Service.class);
    }

    /** Pure builder: the Service for the given platform in the given region. */
    public static Service build(RealtimePlatform platform, String region) {
        return new ServiceBuilder()
                .withMetadata(Owners.ownedMetadata(platform, Component.SIGNALING, region))
                .withNewSpec()
                .withType("LoadBalancer")
                // Keeps the client's source address (rate limits, logs) and skips a second hop.
                .withExternalTrafficPolicy("Local")
                .withSelector(WorkloadLabels.selector(platform, Component.SIGNALING))
                .addNewPort()
                .withName(PodTemplates.HTTP_PORT_NAME)
                .withProtocol("TCP")
                .withPort(platform.getSpec().signaling.port)
                .withTargetPort(new IntOrString(PodTemplates.HTTP_PORT_NAME))
                .endPort()
                .endSpec()
                .build();
    }

    @Override
    protected Service desired(RealtimePlatform platform, Context<RealtimePlatform> context) {
        return build(platform, OperatorRegion.current());
    }
}
