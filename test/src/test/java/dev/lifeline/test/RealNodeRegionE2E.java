package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.test.harness.RealNode;
import dev.lifeline.test.harness.SimulatedRegion;
import dev.lifeline.test.harness.Teardown;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A real node joins a simulated region (controller manager, scheduler, kwok's fake nodes): a
 * Deployment pinned to it gets its pods scheduled there and run as real containers with an exec
 * readiness probe, and a deleted pod is replaced by the ReplicaSet, again on the real node. This
 * is the setting for the operator's workloads on real pods.
 */
class RealNodeRegionE2E {

    private static final String REGION = "us-west-2";
    private static final String NODE = "us-west-2a-real-1";
    private static final Duration SOON = Duration.ofSeconds(60);
    private static SimulatedRegion region;
    private static RealNode node;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        region = SimulatedRegion.start(REGION, SimulatedRegion.Options.defaults().withZones("a").withRealNodes());
        node = RealNode.start(region, NODE, REGION + "a");
        client = region.client();
    }

    @AfterAll
    static void stop() {
        Teardown.closeAll(node, region);
    }

    @Test
    void deploymentRunsOnTheRealNodeAndReplacesDeletedPods() {
        assertThat(client.nodes().withName(NODE).get().getMetadata().getLabels())
                .containsEntry(SimulatedRegion.ZONE_LABEL, REGION + "a")
                .containsEntry(SimulatedRegion.REGION_LABEL, REGION);
        Map<String, String> labels = Map.of("app", "pause");
        client.apps().deployments().inNamespace("default").resource(new DeploymentBuilder()
                .withNewMetadata().withName("pause").endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withNodeSelector(Map.of(SimulatedRegion.HOSTNAME_LABEL, NODE))
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("main").withImage(RealNode.PAUSE_IMAGE).withImagePullPolicy("Never")
                .withNewReadinessProbe().withNewExec().withCommand("/pause", "-v").endExec()
                .withPeriodSeconds(1).endReadinessProbe()
                .endContainer()
                .endSpec().endTemplate().endSpec().build()).create();

        await("Deployment available on the real node").atMost(SOON).pollInterval(Duration.ofMillis(250))
                .until(() -> available(client.apps().deployments().inNamespace("default").withName("pause").get()));
        List<Pod> pods = pods(labels);
        assertThat(pods).hasSize(2).allSatisfy(pod -> {
            assertThat(pod.getSpec().getNodeName()).isEqualTo(NODE);
            assertThat(pod.getStatus().getPodIP()).startsWith("10.244.");
        });

        Pod victim = pods.get(0);
        client.pods().inNamespace("default").resource(victim).withGracePeriod(0).delete();
        await("replacement pod Ready on the real node").atMost(SOON).pollInterval(Duration.ofMillis(250))
                .until(() -> pods(labels).stream()
                        .filter(p -> !p.getMetadata().getName().equals(victim.getMetadata().getName()))
                        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                        .filter(RealNodeRegionE2E::ready).count() == 2);
        assertThat(pods(labels)).allSatisfy(pod -> assertThat(pod.getSpec().getNodeName()).isEqualTo(NODE));
        client.apps().deployments().inNamespace("default").withName("pause").delete();
    }

    private List<Pod> pods(Map<String, String> labels) {
        return client.pods().inNamespace("default").withLabels(labels).list().getItems();
    }

    private static boolean available(Deployment deployment) {
        return deployment != null && deployment.getStatus() != null
                && Integer.valueOf(2).equals(deployment.getStatus().getAvailableReplicas());
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
