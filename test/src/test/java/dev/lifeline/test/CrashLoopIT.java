package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.operator.health.PodSignals;
import dev.lifeline.test.RelayHeartbeats.Relay;
import dev.lifeline.test.harness.FaultInjection;
import dev.lifeline.test.harness.Platforms;
import dev.lifeline.test.harness.Teardown;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Scenario a: us-east-1's media pods (real pods on kwok nodes, with a controller manager and a
 * scheduler) crash-loop. The operator restarts them within its budget first; when the budget is
 * spent the breaker opens, eu-west-1 pre-scales its media-server for us-east-1's sessions (from the
 * relays' instance heartbeats, which the test writes as the media-server would), and once that
 * capacity reports ready the region is drained in Route 53 while eu-west-1 keeps serving. After the
 * pods recover, the breaker closes and the weight comes back in steps.
 */
class CrashLoopIT {

    private static final Map<String, String> MEDIA_PODS = Map.of("app.kubernetes.io/name", "lifeline-media-server",
            "app.kubernetes.io/instance", "meet", "app.kubernetes.io/component", "media-server");
    private static final String MEDIA_DEPLOYMENT = "meet-media-server";
    private static final int SESSIONS_PER_REPLICA = 100;
    static final int HEADROOM_PERCENT = 20;
    /** Each region's two relays carry 80 sessions of 100: (80 + 80) × 1.2 / 100 → 2 replicas, the minimum. */
    private static final long SESSIONS_PER_RELAY = 80;
    private static final int RELAYS_BEFORE = 2;
    private static RegionSet regions;
    private static RelayHeartbeats relays;

    @BeforeAll
    static void startRegions() {
        regions = RegionSet.start("crash", List.of("us-east-1", "eu-west-1"), List.of("us-east-1"), platform -> {
            crashLoopPolicy(platform);
            platform.getSpec().mediaServer.sessionsPerReplica = SESSIONS_PER_REPLICA;
        });
        regions.awaitServing("us-east-1", Duration.ofSeconds(180));
    }

    /**
     * A failover policy that gets through a crash loop in a test's time: a restart budget of 2 with 1-2 s backoff,
     * a 10 s breaker window of at least 4 samples, open for 5 s, 2 probes to close; restore in steps of 50 %;
     * reactive pre-scale only (the survivor's replicas are exactly the formula's; predictive scaling is
     * unit-tested); a health check failing at once, so a restore step takes max(TTL, 10 s x 1) = 10 s.
     */
    static void crashLoopPolicy(dev.lifeline.operator.api.RealtimePlatform platform) {
        var failover = platform.getSpec().failover;
        failover.heartbeatIntervalSeconds = 1;
        failover.staleAfterSeconds = 4;
        failover.restart.maxRestartsPerHour = 2;
        failover.restart.backoffSeconds = 1;
        failover.restart.maxBackoffSeconds = 2;
        failover.circuitBreaker.slidingWindowSeconds = 10;
        failover.circuitBreaker.minimumSamples = 4;
        failover.circuitBreaker.openSeconds = 5;
        failover.circuitBreaker.halfOpenProbes = 2;
        failover.reroute.stepPercent = 50;
        // Long enough that the drain goes ahead because the survivor's new capacity is ready, not by the deadline.
        failover.reroute.drainDeadlineSeconds = 30;
        failover.preScale.headroomPercent = HEADROOM_PERCENT;
        failover.preScale.forecast = false;
        platform.getSpec().dns.healthCheck.failureThreshold = 1;
    }

    @AfterAll
    static void stopRegions() {
        Teardown.closeAll(relays, regions);
    }

    @Test
    void restartsFirstThenDrainsAndRestoresInStepsAfterRecovery() {
        KubernetesClient us = regions.planes.get("us-east-1").client();
        KubernetesClient eu = regions.planes.get("eu-west-1").client();
        reportRelays(us);
        int euReplicasBefore = mediaReplicas(eu);
        assertThat(euReplicasBefore).isEqualTo(RELAYS_BEFORE);
        // (eu's own 160 + us-east-1's 160 sessions) × 1.2 / 100 per replica = 3.84 → 4
        long absorbed = RELAYS_BEFORE * SESSIONS_PER_RELAY;
        long euOwn = RELAYS_BEFORE * SESSIONS_PER_RELAY;
        int needed = (int) (((euOwn + absorbed) * (100 + HEADROOM_PERCENT) + 100L * SESSIONS_PER_REPLICA - 1)
                / (100L * SESSIONS_PER_REPLICA));

        FaultInjection crashLoop = regions.simulated.get("us-east-1").crashLoop("rtc", MEDIA_PODS);

        await("restarts within the budget").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !regions.history("Restart", "Applied", "us-east-1").isEmpty());
        await("eu-west-1 pre-scaled for us-east-1's sessions").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1)).until(() -> mediaReplicas(eu) > euReplicasBefore);
        assertThat(mediaReplicas(eu)).as("the pre-scale formula").isEqualTo(needed);
        // The Deployment is scaled before the reconcile writes its history to status.
        await("eu-west-1's PreScale in its history").atMost(Duration.ofSeconds(10))
                .until(() -> regions.history("PreScale", "Applied", "eu-west-1"), h -> !h.isEmpty());
        // Plays eu-west-1's Deployment controller: the new pods come up, and their relays report (reportRelays).
        await("eu-west-1's new media pods ready").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> {
                    Platforms.markAvailable(eu, "rtc", MEDIA_DEPLOYMENT);
                    return readyMediaReplicas(eu) == needed;
                });

        await("breaker open, region drained").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Long.valueOf(0).equals(regions.weights().get("us-east-1")));
        assertThat(regions.weights()).containsEntry("eu-west-1", 100L);
        // The DNS change goes out before the status patch that records it.
        await("restart, breaker and drain in us-east-1's history").atMost(Duration.ofSeconds(30))
                .until(() -> regions.platformIn("us-east-1").getStatus().history.stream().map(h -> h.action).toList(),
                        actions -> actions.containsAll(List.of("Restart", "BreakerOpen", "Drain")));
        assertThat(regions.history("Restart", "Applied", "us-east-1")).as("restart budget").hasSizeLessThanOrEqualTo(2);
        assertThat(regions.history("Drain", "Applied", "us-east-1")).singleElement()
                .satisfies(h -> assertThat(h.reason).contains("surviving regions have the capacity"));
        assertThat(mediaReplicas(eu)).as("the survivor keeps its capacity while us-east-1 is drained")
                .isEqualTo(needed);

        crashLoop.heal();

        await("weight restored after recovery").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Long.valueOf(100).equals(regions.weights().get("us-east-1")));
        assertThat(regions.platformIn("us-east-1").getStatus().history).extracting(h -> h.action)
                .contains("RestoreStep");
    }

    /**
     * us-east-1's two media pods carry 80 sessions each, as their relays report; eu-west-1 has one relay per ready
     * replica of its media-server Deployment, the first two with 80 sessions each, new ones empty. Waits until the
     * us-east-1 operator has seen its relays' sessions: it sets the pods' deletion cost from them.
     */
    private static void reportRelays(KubernetesClient us) {
        List<String> usPods = us.pods().inNamespace("rtc").withLabels(MEDIA_PODS).list().getItems().stream()
                .map(p -> p.getMetadata().getName()).sorted().toList();
        assertThat(usPods).hasSize(RELAYS_BEFORE);
        KubernetesClient eu = regions.planes.get("eu-west-1").client();
        relays = RelayHeartbeats.start(regions.moto.endpoint(), "multi-sessions");
        List<Relay> usRelays = usPods.stream().map(p -> new Relay(p, SESSIONS_PER_RELAY, SESSIONS_PER_REPLICA)).toList();
        relays.report("us-east-1", () -> usRelays);
        relays.report("eu-west-1", () -> {
            List<Relay> euRelays = new ArrayList<>();
            IntStream.range(0, readyMediaReplicas(eu)).forEach(i -> euRelays.add(new Relay("meet-media-server-eu-" + i,
                    i < RELAYS_BEFORE ? SESSIONS_PER_RELAY : 0, SESSIONS_PER_REPLICA)));
            return euRelays;
        });
        // DeletionCost: buckets of 5 % of sessionsPerReplica, so 80 sessions cost 16
        await("us-east-1's pods carry a deletion cost from their relays' sessions").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> us.pods().inNamespace("rtc").withLabels(MEDIA_PODS).list().getItems().stream()
                        .filter(p -> usPods.contains(p.getMetadata().getName())).map(CrashLoopIT::deletionCost)
                        .toList(), costs -> costs.equals(List.of("16", "16")));
    }

    private static String deletionCost(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(PodSignals.DELETION_COST_ANNOTATION);
    }

    private static int mediaReplicas(KubernetesClient client) {
        return client.apps().deployments().inNamespace("rtc").withName(MEDIA_DEPLOYMENT).get().getSpec().getReplicas();
    }

    private static int readyMediaReplicas(KubernetesClient client) {
        Deployment d = client.apps().deployments().inNamespace("rtc").withName(MEDIA_DEPLOYMENT).get();
        return d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
    }
}
