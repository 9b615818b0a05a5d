package dev.lifeline.operator.workload;

import dev.lifeline.operator.cache.AppliedFieldsOnlyStore;
import java.util.List;

import dev.lifeline.operator.OperatorRegion;
import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.api.MediaServerSpec;
import dev.lifeline.operator.api.RealtimePlatform;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The media-server (UDP relay) Deployment of the operator's region. */
@KubernetesDependent(informer = @Informer(labelSelector = WorkloadLabels.MEDIA_SERVER_SELECTOR,
        itemStore = AppliedFieldsOnlyStore.class))
public class MediaServerDeploymentDependent extends CRUDKubernetesDependentResource<Deployment, RealtimePlatform> {

    /** The media-server serves health and metrics on this port in the media role. */
    public static final int HTTP_PORT = 8080;
    public static final String MEDIA_PORT_NAME = "media";
    /** Time a relay gets on SIGTERM to move its sessions, on top of the drain deadline. */
    static final long SHUTDOWN_MARGIN_SECONDS = 15;

    public MediaServerDeploymentDependent() {
        super(Deployment.class);
    }

    /** Key under which the reconciler hands the replica target to this dependent. */
    public static final String REPLICAS_KEY = "media-server.replicas";

    /** Pure builder: the Deployment for the given platform in the given region, at its minimum replicas. */
    public static Deployment build(RealtimePlatform platform, String region) {
        return build(platform, region, platform.getSpec().mediaServer.replicas.min);
    }

    /** Pure builder with a replica target (pre-scaling); the target is kept within spec bounds. */
    public static Deployment build(RealtimePlatform platform, String region, int replicas) {
        MediaServerSpec media = platform.getSpec().mediaServer;
        var shape = new PodTemplates.ContainerShape(media.image, ports(media), HTTP_PORT, media.resources,
                platform.getSpec().failover.reroute.drainDeadlineSeconds + SHUTDOWN_MARGIN_SECONDS);
        int bounded = Math.max(media.replicas.min, Math.min(media.replicas.max, replicas));
        return Deployments.build(platform, Component.MEDIA_SERVER, region, bounded, shape);
    }

    /** The ports the media-server pods serve: the relay's UDP port, health and metrics over HTTP. */
    public static List<ContainerPort> ports(MediaServerSpec media) {
        return List.of(new ContainerPortBuilder().withName(MEDIA_PORT_NAME).withContainerPort(media.udpPort)
                .withProtocol("UDP").build(),
                new ContainerPortBuilder().withName(PodTemplates.HTTP_PORT_NAME).withContainerPort(HTTP_PORT)
                        .withProtocol("TCP").build());
    }

    @Override
    protected Deployment desired(RealtimePlatform platform, Context<RealtimePlatform> context) {
        int replicas = context.managedWorkflowAndDependentResourceContext().get(REPLICAS_KEY, Integer.class)
                .orElse(platform.getSpec().mediaServer.replicas.min);
        return build(platform, OperatorRegion.current(), replicas);
    }
}
