package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.HistoryEntry;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.test.harness.ControlPlane;
import dev.lifeline.test.harness.SingleRegion;
import dev.lifeline.test.harness.OperatorProcess;
import dev.lifeline.test.harness.Platforms;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The self-healing loop in one region on a real API server: a crash-looping media-server pod
 * (its status written as the kubelet would) is restarted by the operator, with an Event and a
 * history entry; with dryRun the same decision is recorded and nothing is deleted; while paused
 * nothing is decided or deleted, until the platform is resumed.
 */
class SelfHealingIT {

    private static SingleRegion region;
    private static ControlPlane plane;
    private static OperatorProcess operator;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        region = SingleRegion.start("self-healing", "us-east-1");
        plane = region.plane();
        operator = region.operator();
        client = plane.client();
    }

    @AfterAll
    static void stop() {
        if (region != null) {
            region.close();
        }
    }

    @Test
    void crashLoopingPodIsRestartedWithAnEventAndAHistoryEntry() {
        healthyPlatform("heal", false);
        crashLoopingPod("heal", "heal-media-server-7d9f-abcde");

        await("crash-looping pod deleted by the operator").atMost(Duration.ofSeconds(60))
                .until(() -> client.pods().inNamespace("heal").withName("heal-media-server-7d9f-abcde").get() == null);
        HistoryEntry restart = await("history entry").atMost(Platforms.RECONCILE_TIMEOUT)
                .until(() -> restartEntry("heal"), e -> e != null);
        assertThat(restart.outcome).isEqualTo("Applied");
        assertThat(restart.region).isEqualTo("us-east-1");
        assertThat(restart.component).isEqualTo("mediaServer");
        assertThat(restart.reason).contains("heal-media-server-7d9f-abcde");
        await("Restart Event").atMost(Platforms.RECONCILE_TIMEOUT)
                .until(() -> client.v1().events().inNamespace("heal").list().getItems().stream()
                        .anyMatch(e -> "Restart".equals(e.getReason()) && e.getMessage().contains("Applied")));

        assertThat(operator.get("/api/v1/namespaces/heal/realtimeplatforms/heal/health"))
                .contains("\"us-east-1\":\"Healthy\"", "\"phase\":\"Serving\"", "\"breakers\"");
        assertThat(operator.get("/api/v1/namespaces/heal/realtimeplatforms/heal/history"))
                .contains("\"action\":\"Restart\"", "\"outcome\":\"Applied\"");
        assertThat(operator.get("/q/metrics"))
                .containsPattern("lifeline_decisions_total\\{[^}]*action=\"Restart\"[^}]*outcome=\"Applied\"")
                .containsPattern("lifeline_breaker_state\\{[^}]*component=\"mediaServer\"[^}]*platform=\"heal\"");
    }

    @Test
    void dryRunRecordsTheRestartAndLeavesThePodAlone() {
        healthyPlatform("dry", true);
        crashLoopingPod("dry", "dry-media-server-7d9f-abcde");

        HistoryEntry restart = await("dry-run history entry").atMost(Duration.ofSeconds(60))
                .until(() -> restartEntry("dry"), e -> e != null);
        assertThat(restart.outcome).isEqualTo("DryRun");
        assertThat(client.pods().inNamespace("dry").withName("dry-media-server-7d9f-abcde").get()).isNotNull();
    }

    @Test
    void pausedTakesNoActionUntilResumed() {
        healthyPlatform("paused", false, true);
        crashLoopingPod("paused", "paused-media-server-7d9f-abcde");

        // The operator has looked at the pod and decided not to touch it.
        await("the paused operator notes the pod it would restart").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> operator.get("/api/v1/namespaces/paused/realtimeplatforms/paused/health")
                        .contains("[paused-media-server-7d9f-abcde] need a restart; not restarting them"));
        assertThat(client.pods().inNamespace("paused").withName("paused-media-server-7d9f-abcde").get()).isNotNull();
        assertThat(restartEntry("paused")).as("no restart decided, not even recorded").isNull();

        Platforms.editSpec(client, "paused", "paused", spec -> spec.paused = false);
        await("resumed: the pod is restarted").atMost(Duration.ofSeconds(60))
                .until(() -> client.pods().inNamespace("paused").withName("paused-media-server-7d9f-abcde").get() == null);
        await("the restart in the history").atMost(Platforms.RECONCILE_TIMEOUT)
                .until(() -> restartEntry("paused"), e -> e != null && "Applied".equals(e.outcome));
    }

    private void healthyPlatform(String name, boolean dryRun) {
        healthyPlatform(name, dryRun, false);
    }

    private void healthyPlatform(String name, boolean dryRun, boolean paused) {
        plane.createNamespace(name);
        RealtimePlatform platform = Platforms.typed(name, name, "us-east-1");
        platform.getSpec().failover.restart.backoffSeconds = 1;
        platform.getSpec().dryRun = dryRun;
        platform.getSpec().paused = paused;
        Platforms.of(client).resource(platform).create();
        Platforms.awaitDeployment(client, name, name + "-media-server");
        Platforms.awaitDeployment(client, name, name + "-signaling");
        Platforms.markAvailable(client, name, name + "-media-server");
        Platforms.markAvailable(client, name, name + "-signaling");
        Platforms.assignLoadBalancer(client, name, name, "192.0.2.30");
        Platforms.awaitCondition(client, name, name, "Ready", "True", "Ready");
    }

    /** A media-server pod in CrashLoopBackOff, its status written as the kubelet would write it. */
    private void crashLoopingPod(String namespace, String podName) {
        Pod pod = client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata()
                .withName(podName).withNamespace(namespace)
                .withLabels(Map.of("app.kubernetes.io/name", "lifeline-media-server",
                        "app.kubernetes.io/instance", namespace, "app.kubernetes.io/component", "media-server",
                        "app.kubernetes.io/managed-by", "lifeline-operator"))
                .endMetadata()
                .withNewSpec().addNewContainer().withName("server").withImage("ghcr.io/lifeline/media-server:0.1.0")
                .endContainer().endSpec().build()).create();
        client.pods().inNamespace(namespace).resource(new PodBuilder(pod).withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("False")
                .withLastTransitionTime("2026-01-01T00:00:00Z").endCondition()
                .addNewContainerStatus().withName("server").withImage("ghcr.io/lifeline/media-server:0.1.0")
                .withImageID("").withReady(false).withRestartCount(6)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                .withMessage("back-off 5m0s restarting failed container").endWaiting().endState()
                .endContainerStatus().endStatus().build()).updateStatus();
    }

    private static HistoryEntry restartEntry(String name) {
        RealtimePlatform platform = Platforms.of(client).inNamespace(name).withName(name).get();
        if (platform == null || platform.getStatus() == null) {
            return null;
        }
        return platform.getStatus().history.stream().filter(h -> "Restart".equals(h.action)).findFirst().orElse(null);
    }
}
