package dev.lifeline.operator.workload;

import java.util.List;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.api.RealtimePlatform;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;

/**
 * The NetworkPolicy shape both components share: ingress only to the ports the component's pods
 * declare (signaling: its HTTP/WebSocket port; media: the relay's UDP port and the HTTP port of
 * health and metrics), from anywhere, since clients reach signaling through the load balancer and
 * relays at their pod addresses. Egress stays open: DynamoDB's endpoints have no fixed addresses.
 * The kubelet's probes are not subject to NetworkPolicy.
 */
final class NetworkPolicies {

    private NetworkPolicies() {
    }

    static NetworkPolicy build(RealtimePlatform platform, Component component, String region,
            List<ContainerPort> ports) {
        return new NetworkPolicyBuilder()
                .withMetadata(Owners.ownedMetadata(platform, component, region))
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(WorkloadLabels.selector(platform, component)).endPodSelector()
                .withPolicyTypes("Ingress")
                .addNewIngress().withPorts(ports.stream().map(NetworkPolicies::port).toList()).endIngress()
                .endSpec()
                .build();
    }

    private static NetworkPolicyPort port(ContainerPort port) {
        return new NetworkPolicyPortBuilder().withProtocol(port.getProtocol())
                .withPort(new IntOrString(port.getContainerPort())).build();
    }
}
