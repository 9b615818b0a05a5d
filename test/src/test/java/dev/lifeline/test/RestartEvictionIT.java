package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.api.HistoryEntry;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.action.DecisionEffector;
import dev.lifeline.operator.aws.AwsResources;
import dev.lifeline.operator.aws.dns.InMemoryDnsProvider;
import dev.lifeline.operator.aws.table.InMemoryTableProvider;
import dev.lifeline.operator.drill.Drills;
import dev.lifeline.operator.events.EventRecorder;
import dev.lifeline.operator.memory.PlatformMemory;
import dev.lifeline.operator.policy.Action;
import dev.lifeline.operator.policy.Decision;
import dev.lifeline.operator.policy.Decisions;
import dev.lifeline.operator.policy.EngineState;
import dev.lifeline.operator.policy.Phase;
import dev.lifeline.operator.policy.QuorumPolicy;
import dev.lifeline.test.harness.SimulatedRegion;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Restarts go through the Eviction API, so PodDisruptionBudgets hold: on a simulated region (real API server,
 * controller manager with its disruption controller, scheduler, kwok nodes making pods ready), a restart of a pod
 * no budget covers and of a pod whose PDB allows no disruption evicts the first and reports the second as blocked,
 * never deleting it by force.
 */
class RestartEvictionIT {

    private static final String NAMESPACE = "rtc";
    private static SimulatedRegion region;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        region = SimulatedRegion.start("us-east-1");
        client = region.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                .build()).create();
    }

    @AfterAll
    static void stop() {
        if (region != null) {
            region.close();
        }
    }

    @Test
    void aRestartThePodDisruptionBudgetRefusesIsReportedBlockedNotForced() {
        client.apps().deployments().inNamespace(NAMESPACE).resource(deployment("meet-media-server", "media", 2))
                .create();
        client.apps().deployments().inNamespace(NAMESPACE).resource(deployment("free", "free", 1)).create();
        // a budget that allows no disruption of the media pods while both are needed; the "free" pod has none
        client.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("meet-media-server").endMetadata().withNewSpec()
                .withMinAvailable(new IntOrString(2)).withNewSelector().addToMatchLabels("app", "media")
                .endSelector().endSpec().build()).create();
        await("pods ready and the budget computed by the disruption controller").atMost(Duration.ofSeconds(60))
                .ignoreExceptions().until(() -> readyPods("media").size() == 2 && readyPods("free").size() == 1
                        && client.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE)
                                .withName("meet-media-server").get().getStatus().getCurrentHealthy() == 2);
        String free = readyPods("free").get(0).getMetadata().getName();
        String media = readyPods("media").get(0).getMetadata().getName();

        RealtimePlatform platform = new RealtimePlatform();
        platform.getMetadata().setName("meet");
        platform.getMetadata().setNamespace(NAMESPACE);
        platform.getMetadata().setUid("uid-meet");
        List<HistoryEntry> history = effector().carryOut(platform, restartOf(List.of(free, media)));

        assertThat(history).singleElement().satisfies(h -> {
            assertThat(h.action).isEqualTo("Restart");
            assertThat(h.outcome).isEqualTo("Blocked");
        });
        await("the pod without a budget evicted").atMost(Duration.ofSeconds(30)).until(() -> gone(free));
        assertThat(client.pods().inNamespace(NAMESPACE).withName(media).get().getMetadata().getDeletionTimestamp())
                .as("the pod the budget protects is not deleted").isNull();
        assertThat(client.v1().events().inNamespace(NAMESPACE).list().getItems())
                .anySatisfy(e -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getReason()).isEqualTo("Restart");
                    assertThat(e.getMessage()).contains("Blocked").contains("not evicted [" + media + "]")
                            .contains("evicted [" + free + "]");
                });
    }

    private static io.fabric8.kubernetes.api.model.apps.Deployment deployment(String name, String app, int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withReplicas(replicas).withNewSelector().addToMatchLabels("app", app).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", app).endMetadata().withNewSpec()
                .addNewContainer().withName(app).withImage("ghcr.io/lifeline/media-server:0.1.0")
                .withNewResources().addToRequests("cpu", new Quantity("100m")).endResources().endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    private static DecisionEffector effector() {
        PlatformMemory memory = new PlatformMemory(new SimpleMeterRegistry(), aws());
        EventRecorder events = new EventRecorder(client);
        return new DecisionEffector(client, aws(), events, new SimpleMeterRegistry(), new Drills(events, memory));
    }

    private static AwsResources aws() {
        return new AwsResources(new InMemoryTableProvider(), new InMemoryDnsProvider(), Duration.ofSeconds(60),
                Duration.ofSeconds(5), Clock.systemUTC());
    }

    private static Decisions restartOf(List<String> pods) {
        Decision restart = new Decision(new Action.Restart("us-east-1", Component.MEDIA_SERVER, pods, 1, 5),
                "unready for 61 s", Decision.Execution.APPLY);
        return new Decisions(Instant.now(), List.of(restart), EngineState.initial(), Phase.SERVING, 100, Map.of(),
                new QuorumPolicy.Verdict(Set.of(), Set.of(), false, Map.of(), Map.of(), Map.of(), 0), Map.of(),
                List.of());
    }

    private static List<Pod> readyPods(String app) {
        return client.pods().inNamespace(NAMESPACE).withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
                        && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
                .toList();
    }

    private static boolean gone(String pod) {
        Pod p = client.pods().inNamespace(NAMESPACE).withName(pod).get();
        return p == null || p.getMetadata().getDeletionTimestamp() != null;
    }
}
