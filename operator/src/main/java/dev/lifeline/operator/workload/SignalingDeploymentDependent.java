package dev.lifeline.operator.workload;

import dev.lifeline.operator.cache.AppliedFieldsOnlyStore;
import java.util.List;

import dev.lifeline.operator.OperatorRegion;
import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.SignalingSpec;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The signaling (WebSocket) Deployment of the operator's region. */
@KubernetesDependent(informer = @Informer(labelSelector = WorkloadLabels.SIGNALING_SELECTOR,
        itemStore = AppliedFieldsOnlyStore.class))
public class SignalingDeploymentDependent extends CRUDKubernetesDependentResource<Deployment, RealtimePlatform> {

    /** Clients get a moved message and reconnect within this time on shutdown. */
    static final long SHUTDOWN_GRACE_SECONDS = 30;

    public SignalingDeploymentDependent() {
        super(Deployment.class);
    }

    /** Pure builder: the Deployment for the given platform in the given region. */
    public static Deployment build(RealtimePlatform platform, String region) {
        SignalingSpec signaling = platform.getSpec().signaling;
        var shape = new PodTemplates.ContainerShape(signaling.image, ports(signaling), signaling.port, signaling.resources, SHUTDOWN_GRACE_SECONDS);
        return Deployments.build(platform, Component.SIGNALING, region, signaling.replicas.min, shape);
    }

    /** The port the signaling pods serve: WebSocket signaling, health and metrics over HTTP. */
    public static List<ContainerPort> ports(SignalingSpec signaling) {
        return List.of(new ContainerPortBuilder().withName(PodTemplates.HTTP_PORT_NAME)
                .withContainerPort(signaling.port).withProtocol("TCP").build());
    }

    @Override
    protected Deployment desired(RealtimePlatform platform, Context<RealtimePlatform> context) {
        return build(platform, OperatorRegion.current());
    }
}
