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
import dev.lifeline.test.harness.OperatorProcess;
import dev.lifeline.test.harness.Platforms;
import dev.lifeline.test.harness.PodFault;
import dev.lifeline.test.harness.SimulatedRegion;
import dev.lifeline.test.harness.Teardown;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The self-healing loop in one simulated region (real API server, controller manager and scheduler; kwok plays the
 * kubelet and reports what {@code kwok/stages.yaml} says): a media-server pod that crash-loops is restarted by the
 * operator, with an Event and a history entry; with dryRun the same decision is recorded and nothing is deleted;
 * while paused nothing is decided or deleted, until the platform is resumed.
 */
class SelfHealingIT {

    /** Marks the one pod a test makes crash-loop, so the fault reaches no other replica. */
    private static final String VICTIM_LABEL = "test.lifeline.dev/victim";
    private static SimulatedRegion region;
    private static OperatorProcess operator;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        region = SimulatedRegion.start("us-east-1");
        region.controlPlane().installCrds();
        client = region.client();
        region.controlPlane().createNamespace(OperatorProcess.OPERATOR_NAMESPACE);
        operator = OperatorProcess.start("self-healing", region.kubeconfig(), "us-east-1",
                OperatorProcess.WITHOUT_AWS);
    }

    @AfterAll
    static void stop() {
        Teardown.closeAll(operator, region);
    }

    @Test
    void crashLoopingPodIsRestartedWithAnEventAndAHistoryEntry() {
        healthyPlatform("heal", false);
        String victim = crashLoopOneMediaPod("heal");

        await("crash-looping pod deleted by the operator").atMost(Duration.ofSeconds(60))
                .until(() -> client.pods().inNamespace("heal").withName(victim).get() == null);
        HistoryEntry restart = await("history entry").atMost(Platforms.RECONCILE_TIMEOUT)
                .until(() -> restartEntry("heal"), e -> e != null);
        assertThat(restart.outcome).isEqualTo("Applied");
        assertThat(restart.region).isEqualTo("us-east-1");
        assertThat(restart.component).isEqualTo("mediaServer");
        assertThat(restart.reason).contains(victim);
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
        String victim = crashLoopOneMediaPod("dry");

        HistoryEntry restart = await("dry-run history entry").atMost(Duration.ofSeconds(60))
                .until(() -> restartEntry("dry"), e -> e != null);
        assertThat(restart.outcome).isEqualTo("DryRun");
        assertThat(restart.reason).contains(victim);
        assertThat(client.pods().inNamespace("dry").withName(victim).get().getMetadata().getDeletionTimestamp())
                .as("the pod is left alone").isNull();
    }

    @Test
    void pausedTakesNoActionUntilResumed() {
        healthyPlatform("paused", false, true);
        String victim = crashLoopOneMediaPod("paused");

        // The operator has looked at the pod and decided not to touch it.
        await("the paused operator notes the pod it would restart").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> operator.get("/api/v1/namespaces/paused/realtimeplatforms/paused/health")
                        .contains(victim + "] need a restart; not restarting them"));
        assertThat(client.pods().inNamespace("paused").withName(victim).get().getMetadata().getDeletionTimestamp())
                .as("the pod is left alone").isNull();
        assertThat(restartEntry("paused")).as("no restart decided, not even recorded").isNull();

        Platforms.editSpec(client, "paused", "paused", spec -> spec.paused = false);
        await("resumed: the pod is restarted").atMost(Duration.ofSeconds(60))
                .until(() -> client.pods().inNamespace("paused").withName(victim).get() == null);
        await("the restart in the history").atMost(Platforms.RECONCILE_TIMEOUT)
                .until(() -> restartEntry("paused"), e -> e != null && "Applied".equals(e.outcome));
    }

    private void healthyPlatform(String name, boolean dryRun) {
        healthyPlatform(name, dryRun, false);
    }

    private void healthyPlatform(String name, boolean dryRun, boolean paused) {
        region.controlPlane().createNamespace(name);
        RealtimePlatform platform = Platforms.typed(name, name, "us-east-1");
        platform.getSpec().failover.restart.backoffSeconds = 1;
        platform.getSpec().dryRun = dryRun;
        platform.getSpec().paused = paused;
        Platforms.of(client).resource(platform).create();
        // Ready once the controller manager reports the rollouts done on kwok's nodes and the region's
        // load-balancer controller gives signaling its address.
        Platforms.awaitCondition(client, name, name, "Ready", "True", "Ready");
    }

    /**
     * One of the platform's ready media-server pods starts crash-looping: kwok reports it as the kubelet would
     * (restartCount + 1 every 2 s, waiting CrashLoopBackOff). Returns its name.
     */
    private String crashLoopOneMediaPod(String namespace) {
        Map<String, String> mediaPods = Map.of("app.kubernetes.io/instance", namespace,
                "app.kubernetes.io/component", "media-server");
        Pod pod = await("a ready media-server pod").atMost(Duration.ofSeconds(60))
                .until(() -> client.pods().inNamespace(namespace).withLabels(mediaPods).list().getItems().stream()
                        .filter(SelfHealingIT::ready).findFirst(), java.util.Optional::isPresent).orElseThrow();
        String name = pod.getMetadata().getName();
        client.pods().inNamespace(namespace).withName(name).edit(p -> {
            p.getMetadata().getLabels().put(VICTIM_LABEL, "true");
            return p;
        });
        region.inject(namespace, Map.of(VICTIM_LABEL, "true"), PodFault.crashLoop().existingPodsOnly());
        return name;
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static HistoryEntry restartEntry(String name) {
        RealtimePlatform platform = Platforms.of(client).inNamespace(name).withName(name).get();
        if (platform == null || platform.getStatus() == null) {
            return null;
        }
        return platform.getStatus().history.stream().filter(h -> "Restart".equals(h.action)).findFirst().orElse(null);
    }
}
