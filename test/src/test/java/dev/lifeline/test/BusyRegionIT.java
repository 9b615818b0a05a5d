package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.test.RelayHeartbeats.Relay;
import dev.lifeline.test.harness.FaultInjection;
import dev.lifeline.test.harness.PodFault;
import dev.lifeline.test.harness.Teardown;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Issue 11, scenario 6d — busy is not broken: every media relay of us-east-1 (real pods on kwok nodes, with a
 * controller manager and a scheduler) reports itself full, so their readiness turns false, as the media-server's
 * does at capacity. The region scales its media-server up for its sessions, and for longer than the unready grace
 * after which an unready pod would be restarted, it restarts nothing, opens no breaker and is not drained.
 */
class BusyRegionIT {

    private static final Map<String, String> MEDIA_PODS = Map.of("app.kubernetes.io/name", "lifeline-media-server",
            "app.kubernetes.io/instance", "meet", "app.kubernetes.io/component", "media-server");
    private static final String MEDIA_DEPLOYMENT = "meet-media-server";
    private static final int SESSIONS_PER_REPLICA = 100;
    /** EngineSettings' unready grace (60 s) plus a few heartbeat intervals: an unready pod would be restarted by then. */
    private static final Duration WATCH = Duration.ofSeconds(75);
    private static RegionSet regions;
    private static RelayHeartbeats relays;

    @BeforeAll
    static void startRegions() {
        regions = RegionSet.start("busy", List.of("us-east-1", "eu-west-1"), List.of("us-east-1"), platform -> {
            var failover = platform.getSpec().failover;
            failover.heartbeatIntervalSeconds = 1;
            failover.staleAfterSeconds = 4;
            failover.restart.backoffSeconds = 1;
            failover.circuitBreaker.slidingWindowSeconds = 10;
            failover.circuitBreaker.minimumSamples = 4;
            failover.preScale.forecast = false;
            platform.getSpec().mediaServer.sessionsPerReplica = SESSIONS_PER_REPLICA;
        });
        regions.awaitServing("us-east-1", Duration.ofSeconds(180));
    }

    @AfterAll
    static void stopRegions() {
        Teardown.closeAll(relays, regions);
    }

    @Test
    void aRegionWhoseRelaysAreAllFullScalesUpAndIsNeitherRestartedNorDrained() {
        KubernetesClient us = regions.planes.get("us-east-1").client();
        List<String> pods = us.pods().inNamespace("rtc").withLabels(MEDIA_PODS).list().getItems().stream()
                .map(p -> p.getMetadata().getName()).sorted().toList();
        assertThat(pods).hasSize(2);
        int replicasBefore = mediaReplicas(us);

        // Each relay carries its capacity and says so; the kubelet (kwok here) reports it not ready.
        relays = RelayHeartbeats.start(regions.moto.endpoint(), "multi-sessions");
        relays.report("us-east-1", () -> pods.stream().map(p -> Relay.full(p, SESSIONS_PER_REPLICA)).toList());
        // Only the full relays: the pods added by the scale-up take sessions and become ready.
        try (FaultInjection unready = regions.simulated.get("us-east-1").inject("rtc", MEDIA_PODS,
                PodFault.unready().existingPodsOnly())) {
            // 2 × 100 sessions × 1.2 headroom / 100 per replica = 2.4 → 3 replicas
            await("us-east-1 scales its media-server up for its full relays").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> mediaReplicas(us) == 3);
            assertThat(replicasBefore).isEqualTo(2);

            await("nothing restarted, no breaker opened, no drain while the relays are full").during(WATCH)
                    .atMost(WATCH.plusSeconds(15)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> pods.stream().allMatch(p -> us.pods().inNamespace("rtc").withName(p).get() != null
                            && us.pods().inNamespace("rtc").withName(p).get().getMetadata()
                                    .getDeletionTimestamp() == null)
                            && regions.weights().equals(regions.allAt(100)));
            assertThat(unready.affectedPods()).as("the relays really were unready").containsAll(pods);
            List<String> actions = regions.platformIn("us-east-1").getStatus().history.stream().map(h -> h.action)
                    .toList();
            assertThat(actions).contains("PreScale").doesNotContain("Restart", "BreakerOpen", "Drain");
        }
    }

    private static int mediaReplicas(KubernetesClient client) {
        return client.apps().deployments().inNamespace("rtc").withName(MEDIA_DEPLOYMENT).get().getSpec().getReplicas();
    }
}
