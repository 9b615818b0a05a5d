package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.test.harness.FaultInjection;
import dev.lifeline.test.harness.PodFault;
import dev.lifeline.test.harness.SimulatedRegion;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A simulated region (real kube-apiserver, etcd, kube-controller-manager, kube-scheduler; kwok
 * for the kubelets of fake nodes) behaves like a cluster: Deployments get ReplicaSets and Ready
 * Pods spread over zones, faults show in pod status as the kubelet would report them, and the
 * garbage collector removes dependents.
 */
class SimulatedRegionIT {

    private static final String NAMESPACE = "sim";
    private static final Duration SOON = Duration.ofSeconds(30);
    private static SimulatedRegion region;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        region = SimulatedRegion.start("us-east-1");
        client = region.client();
        createNamespace(client);
    }

    private static void createNamespace(KubernetesClient client) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .create();
    }

    @AfterAll
    static void stop() {
        if (region != null) {
            region.close();
        }
    }

    @Test
    void deploymentGetsReadyPodsOnFakeNodesSpreadOverZones() {
        assertThat(region.zones()).containsExactly("us-east-1a", "us-east-1b", "us-east-1c");
        for (String node : region.nodeNames()) {
            Lease lease = client.leases().inNamespace("kube-node-lease").withName(node).get();
            assertThat(lease).as("kwok renews the Lease of node %s", node).isNotNull();
            assertThat(lease.getSpec().getRenewTime()).isNotNull();
        }

        Deployment web = create(deployment("web", 3, true));

        await("3 ready replicas of web").atMost(SOON).until(() -> readyReplicas("web") == 3);
        Deployment status = client.apps().deployments().inNamespace(NAMESPACE).withName("web").get();
        assertThat(status.getStatus().getAvailableReplicas()).isEqualTo(3);
        assertThat(condition(status, "Available")).isEqualTo("True");

        List<ReplicaSet> replicaSets = client.apps().replicaSets().inNamespace(NAMESPACE).withLabel("app", "web").list()
                .getItems();
        assertThat(replicaSets).hasSize(1);
        ReplicaSet replicaSet = replicaSets.get(0);
        assertThat(controller(replicaSet.getMetadata().getOwnerReferences()).getUid())
                .isEqualTo(web.getMetadata().getUid());

        List<Pod> pods = pods("web");
        assertThat(pods).hasSize(3).allSatisfy(pod -> {
            assertThat(controller(pod.getMetadata().getOwnerReferences()).getUid())
                    .isEqualTo(replicaSet.getMetadata().getUid());
            assertThat(region.nodeNames()).contains(pod.getSpec().getNodeName());
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
            assertThat(podCondition(pod, "Ready")).isEqualTo("True");
            assertThat(pod.getStatus().getPodIP()).isNotBlank();
            assertThat(pod.getStatus().getHostIP()).isNotBlank();
            ContainerStatus container = pod.getStatus().getContainerStatuses().get(0);
            assertThat(container.getReady()).isTrue();
            assertThat(container.getState().getRunning().getStartedAt()).isNotBlank();
            assertThat(container.getRestartCount()).isZero();
        });
        Set<String> zones = pods.stream().map(pod -> region.zoneOf(pod.getSpec().getNodeName()))
                .collect(Collectors.toSet());
        assertThat(zones).as("one pod per zone (maxSkew 1, DoNotSchedule)")
                .containsExactlyInAnyOrderElementsOf(region.zones());
        assertThat(pods.stream().map(pod -> pod.getStatus().getPodIP()).distinct()).hasSize(3);
    }

    @Test
    void crashLoopShowsInPodStatusFollowsNewPodsAndHeals() {
        create(deployment("media", 2, false));
        await("2 ready replicas of media").atMost(SOON).until(() -> readyReplicas("media") == 2);

        FaultInjection fault = region.inject(NAMESPACE, Map.of("app", "media"),
                PodFault.crashLoop().every(Duration.ofSeconds(1)));
        await("media pods crash-looping").atMost(SOON).untilAsserted(() -> assertThat(pods("media"))
                .hasSize(2).allSatisfy(pod -> assertCrashLooping(pod, 2)));
        await("media Deployment has no ready replica").atMost(SOON).untilAsserted(() -> {
            Deployment media = client.apps().deployments().inNamespace(NAMESPACE).withName("media").get();
            assertThat(readyReplicas("media")).isZero();
            assertThat(condition(media, "Available")).isEqualTo("False");
        });

        // The restart count keeps growing while the fault lasts.
        Map<String, Integer> restarts = restartCounts("media");
        await("restart counts grow").atMost(SOON).untilAsserted(() -> assertThat(restartCounts("media"))
                .allSatisfy((pod, count) -> assertThat(count).isGreaterThan(restarts.get(pod))));

        // As the kubelet does, each crash leaves a BackOff warning on the pod.
        await("BackOff events").atMost(SOON).untilAsserted(() -> assertThat(events("BackOff"))
                .containsAll(restarts.keySet()));

        // The fault follows the component: the replacement of a deleted pod crash-loops too.
        String deleted = restarts.keySet().iterator().next();
        client.pods().inNamespace(NAMESPACE).withName(deleted).delete();
        await("replacement pod crash-looping").atMost(SOON).untilAsserted(() -> {
            List<Pod> pods = pods("media").stream().filter(pod -> !pod.getMetadata().getName().equals(deleted))
                    .filter(pod -> !restarts.containsKey(pod.getMetadata().getName())).toList();
            assertThat(pods).hasSize(1).allSatisfy(pod -> assertCrashLooping(pod, 1));
            assertThat(fault.affectedPods()).contains(pods.get(0).getMetadata().getName());
        });

        Map<String, Integer> beforeHeal = restartCounts("media");
        fault.heal();
        await("media ready again").atMost(SOON).until(() -> readyReplicas("media") == 2);
        await("healed pods running, restart counts kept").atMost(SOON).untilAsserted(() -> assertThat(pods("media"))
                .hasSize(2).allSatisfy(pod -> {
                    assertThat(pod.getMetadata().getLabels()).doesNotContainKey(PodFault.LABEL);
                    assertThat(podCondition(pod, "Ready")).isEqualTo("True");
                    ContainerStatus container = pod.getStatus().getContainerStatuses().get(0);
                    assertThat(container.getState().getRunning()).isNotNull();
                    assertThat(container.getRestartCount()).isGreaterThanOrEqualTo(
                            beforeHeal.get(pod.getMetadata().getName()));
                    assertThat(container.getLastState().getTerminated().getExitCode()).isEqualTo(1);
                }));
    }

    @Test
    void unreadyPodsKeepRunningAndAnExistingPodsFaultEndsWithTheirReplacement() {
        create(deployment("signaling", 2, false));
        await("2 ready replicas of signaling").atMost(SOON).until(() -> readyReplicas("signaling") == 2);

        try (FaultInjection fault = region.inject(NAMESPACE, Map.of("app", "signaling"),
                PodFault.unready().existingPodsOnly())) {
            await("signaling pods unready").atMost(SOON).untilAsserted(() -> assertThat(pods("signaling"))
                    .hasSize(2).allSatisfy(pod -> {
                        assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
                        assertThat(podCondition(pod, "Ready")).isEqualTo("False");
                        ContainerStatus container = pod.getStatus().getContainerStatuses().get(0);
                        assertThat(container.getReady()).isFalse();
                        assertThat(container.getState().getRunning()).as("still running").isNotNull();
                        assertThat(container.getRestartCount()).isZero();
                    }));
            await("signaling has no ready replica").atMost(SOON).until(() -> readyReplicas("signaling") == 0);
            await("Unhealthy events").atMost(SOON).untilAsserted(() -> assertThat(events("Unhealthy"))
                    .containsAll(fault.affectedPods()));

            // Only the pods that existed had the fault: a replacement is healthy.
            String deleted = fault.affectedPods().iterator().next();
            client.pods().inNamespace(NAMESPACE).withName(deleted).delete();
            await("a ready replacement").atMost(SOON).until(() -> readyReplicas("signaling") == 1);
            assertThat(pods("signaling")).filteredOn(pod -> "True".equals(podCondition(pod, "Ready")))
                    .singleElement().satisfies(pod -> assertThat(fault.affectedPods())
                            .doesNotContain(pod.getMetadata().getName()));
        }
        await("signaling ready again after heal").atMost(SOON).until(() -> readyReplicas("signaling") == 2);
    }

    @Test
    void loadBalancerServiceGetsAHostnameAndReadyEndpoints() {
        create(deployment("edge", 2, false));
        Service service = new ServiceBuilder().withNewMetadata().withName("edge").withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withType("LoadBalancer").addToSelector("app", "edge")
                .addNewPort().withName("http").withPort(8080).withNewTargetPort(8080).endPort().endSpec().build();
        client.services().inNamespace(NAMESPACE).resource(service).create();

        await("load balancer hostname").atMost(SOON).untilAsserted(() -> assertThat(
                client.services().inNamespace(NAMESPACE).withName("edge").get().getStatus().getLoadBalancer()
                        .getIngress()).extracting(LoadBalancerIngress::getHostname)
                .containsExactly("edge-sim.elb.us-east-1.lifeline.test"));
        assertThat(region.loadBalancerHostname(NAMESPACE, "edge")).isEqualTo("edge-sim.elb.us-east-1.lifeline.test");

        // The endpoint-slice controller lists the ready pods' IPs, as kube-proxy and load balancers see them.
        await("endpoints of the ready pods").atMost(SOON).untilAsserted(() -> {
            Set<String> podIps = pods("edge").stream().filter(pod -> "True".equals(podCondition(pod, "Ready")))
                    .map(pod -> pod.getStatus().getPodIP()).collect(Collectors.toSet());
            Set<String> ready = client.discovery().v1().endpointSlices().inNamespace(NAMESPACE)
                    .withLabel("kubernetes.io/service-name", "edge").list().getItems().stream()
                    // A slice has no endpoints until the controller has seen a ready pod.
                    .flatMap(slice -> slice.getEndpoints() == null ? java.util.stream.Stream.empty()
                            : slice.getEndpoints().stream())
                    .filter(endpoint -> Boolean.TRUE.equals(endpoint.getConditions().getReady()))
                    .flatMap(endpoint -> endpoint.getAddresses().stream()).collect(Collectors.toSet());
            assertThat(podIps).hasSize(2);
            assertThat(ready).isEqualTo(podIps);
        });
    }

    @Test
    void deletingTheOwnerGarbageCollectsReplicaSetsAndPods() {
        create(deployment("gc", 2, false));
        await("2 ready replicas of gc").atMost(SOON).until(() -> readyReplicas("gc") == 2);
        List<String> replicaSets = client.apps().replicaSets().inNamespace(NAMESPACE).withLabel("app", "gc").list()
                .getItems().stream().map(rs -> rs.getMetadata().getName()).toList();
        List<String> pods = pods("gc").stream().map(pod -> pod.getMetadata().getName()).toList();
        assertThat(replicaSets).hasSize(1);
        assertThat(pods).hasSize(2);

        // Background propagation: the Deployment goes at once, the garbage collector removes the rest.
        client.apps().deployments().inNamespace(NAMESPACE).withName("gc").withPropagationPolicy(
                io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
        await("ReplicaSet and Pods of gc collected").atMost(SOON).untilAsserted(() -> {
            assertThat(replicaSets).allSatisfy(rs -> assertThat(
                    client.apps().replicaSets().inNamespace(NAMESPACE).withName(rs).get()).isNull());
            assertThat(pods).allSatisfy(pod -> assertThat(
                    client.pods().inNamespace(NAMESPACE).withName(pod).get()).isNull());
        });
    }

    @Test
    void regionsStartTogetherAsSeparateClustersAndTheirKubeletsCanGoSilent() {
        List<SimulatedRegion> others = SimulatedRegion.startAll(
                SimulatedRegion.Options.defaults().withNodeMonitorGracePeriod(Duration.ofSeconds(16)),
                "eu-west-1", "ap-southeast-1");
        try {
            SimulatedRegion eu = others.get(0);
            SimulatedRegion ap = others.get(1);
            assertThat(eu.zones()).containsExactly("eu-west-1a", "eu-west-1b", "eu-west-1c");
            assertThat(ap.zones()).containsExactly("ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c");
            assertThat(eu.kubeconfig()).isNotEqualTo(ap.kubeconfig()).isNotEqualTo(region.kubeconfig());

            KubernetesClient euClient = eu.client();
            createNamespace(euClient);
            euClient.apps().deployments().inNamespace(NAMESPACE).resource(deployment("only-in-eu", 2, true)).create();
            await("only-in-eu ready in eu-west-1").atMost(SOON).until(() -> readyReplicas(euClient, "only-in-eu") == 2);
            assertThat(euClient.pods().inNamespace(NAMESPACE).withLabel("app", "only-in-eu").list().getItems())
                    .allSatisfy(pod -> assertThat(eu.nodeNames()).contains(pod.getSpec().getNodeName()));
            assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName("only-in-eu").get()).isNull();
            assertThat(ap.client().nodes().list().getItems()).extracting(n -> n.getMetadata().getName())
                    .containsExactlyInAnyOrderElementsOf(ap.nodeNames());

            // Every kubelet of ap-southeast-1 goes silent: once the grace period is over, the node
            // lifecycle controller marks the nodes and their pods not Ready; eu-west-1 is unaffected.
            KubernetesClient apClient = ap.client();
            createNamespace(apClient);
            apClient.apps().deployments().inNamespace(NAMESPACE).resource(deployment("in-ap", 3, true)).create();
            await("in-ap ready").atMost(SOON).until(() -> readyReplicas(apClient, "in-ap") == 3);
            ap.kwok().stop();
            await("ap-southeast-1 nodes NotReady").atMost(Duration.ofSeconds(60))
                    .until(() -> ap.nodeNames().stream().noneMatch(ap::nodeReady));
            await("in-ap has no ready replica").atMost(SOON).until(() -> readyReplicas(apClient, "in-ap") == 0);
            assertThat(eu.nodeNames()).allMatch(eu::nodeReady);
            assertThat(readyReplicas(euClient, "only-in-eu")).isEqualTo(2);

            ap.kwok().start();
            await("ap-southeast-1 back").atMost(SOON).until(() -> ap.nodeNames().stream().allMatch(ap::nodeReady)
                    && readyReplicas(apClient, "in-ap") == 3);
        } finally {
            others.forEach(SimulatedRegion::close);
        }
    }

    private static void assertCrashLooping(Pod pod, int minRestarts) {
        assertThat(pod.getMetadata().getLabels()).containsEntry(PodFault.LABEL, "crash-loop");
        assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        assertThat(podCondition(pod, "Ready")).isEqualTo("False");
        ContainerStatus container = pod.getStatus().getContainerStatuses().get(0);
        assertThat(container.getReady()).isFalse();
        assertThat(container.getState().getWaiting()).isNotNull();
        assertThat(container.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(container.getRestartCount()).isGreaterThanOrEqualTo(minRestarts);
        assertThat(container.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(container.getLastState().getTerminated().getReason()).isEqualTo("Error");
    }

    private static Deployment deployment(String name, int replicas, boolean spreadOverZones) {
        DeploymentBuilder builder = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .addToLabels("app", name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec()
                .addNewContainer().withName("server").withImage("ghcr.io/lifeline/media-server:0.1.0")
                .withNewResources().addToRequests("cpu", new Quantity("500m"))
                .addToRequests("memory", new Quantity("512Mi")).endResources()
                .endContainer()
                .endSpec().endTemplate().endSpec();
        if (spreadOverZones) {
            builder.editSpec().editTemplate().editSpec().addNewTopologySpreadConstraint().withMaxSkew(1)
                    .withTopologyKey(SimulatedRegion.ZONE_LABEL).withWhenUnsatisfiable("DoNotSchedule")
                    .withNewLabelSelector().addToMatchLabels("app", name).endLabelSelector()
                    .endTopologySpreadConstraint().endSpec().endTemplate().endSpec();
        }
        return builder.build();
    }

    private static Deployment create(Deployment deployment) {
        return client.apps().deployments().inNamespace(NAMESPACE).resource(deployment).create();
    }

    private static int readyReplicas(String deployment) {
        return readyReplicas(client, deployment);
    }

    private static int readyReplicas(KubernetesClient client, String deployment) {
        Deployment current = client.apps().deployments().inNamespace(NAMESPACE).withName(deployment).get();
        Integer ready = current.getStatus() == null ? null : current.getStatus().getReadyReplicas();
        return ready == null ? 0 : ready;
    }

    /** Pods of an app, without those being deleted. */
    private static List<Pod> pods(String app) {
        return client.pods().inNamespace(NAMESPACE).withLabel("app", app).list().getItems().stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static Map<String, Integer> restartCounts(String app) {
        Map<String, Integer> counts = new HashMap<>();
        for (Pod pod : pods(app)) {
            counts.put(pod.getMetadata().getName(), pod.getStatus().getContainerStatuses().get(0).getRestartCount());
        }
        return counts;
    }

    /** Names of the pods with a Warning event of this reason. */
    private static Set<String> events(String reason) {
        return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason()) && "Warning".equals(e.getType()))
                .map(Event::getInvolvedObject).filter(o -> "Pod".equals(o.getKind())).map(o -> o.getName())
                .collect(Collectors.toSet());
    }

    private static String condition(Deployment deployment, String type) {
        return deployment.getStatus().getConditions().stream().filter(c -> type.equals(c.getType()))
                .map(DeploymentCondition::getStatus).findFirst().orElse(null);
    }

    private static String podCondition(Pod pod, String type) {
        return pod.getStatus().getConditions() == null ? null : pod.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType())).map(c -> c.getStatus()).findFirst().orElse(null);
    }

    private static OwnerReference controller(List<OwnerReference> owners) {
        return owners.stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst().orElseThrow();
    }
}
