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

/** The media-server Service: the UDP media port and the HTTP port (health, metrics, admin). */
@KubernetesDependent(informer = @Informer(labelSelector = WorkloadLabels.MEDIA_SERVER_SELECTOR,
        itemStore = AppliedFieldsOnlyStore.class))
public class MediaServerServiceDependent extends CRUDKubernetesDependentResource<Service, RealtimePlatform> {

    public MediaServerServiceDependent() {
        super(Service.class);
    }

    /** Pure builder: the Service for the given platform in the given region. */
    public static Service build(RealtimePlatform platform, String region) {
        return new ServiceBuilder()
                .withMetadata(Owners.ownedMetadata(platform, Component.MEDIA_SERVER, region))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(WorkloadLabels.selector(platform, Component.MEDIA_SERVER))
                .addNewPort()
                .withName(MediaServerDeploymentDependent.MEDIA_PORT_NAME)
                .withProtocol("UDP")
                .withPort(platform.getSpec().mediaServer.udpPort)
                .withTargetPort(new IntOrString(MediaServerDeploymentDependent.MEDIA_PORT_NAME))
                .endPort()
                .addNewPort()
                .withName(PodTemplates.HTTP_PORT_NAME)
                .withProtocol("TCP")
                .withPort(MediaServerDeploymentDependent.HTTP_PORT)
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
