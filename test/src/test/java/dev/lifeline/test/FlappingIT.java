package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.test.harness.FaultInjection;
import dev.lifeline.test.harness.PodFault;
import dev.lifeline.test.harness.SimulatedRegion;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Flapping health must not flap DNS: us-east-1's media servers (pods on kwok's nodes, their
 * Deployment's status written by the real controller manager) fail their readiness probe and pass
 * it again every few seconds for a minute, and the number of Route 53 changes of its record stays
 * within the decision engine's bound (hysteresis; at most 2 per step interval plus 3).
 */
class FlappingIT {

    private static final Duration FLAPPING = Duration.ofSeconds(60);
    private static final Duration FLIP_EVERY = Duration.ofSeconds(3);
    private static final Map<String, String> MEDIA_PODS = Map.of("app.kubernetes.io/instance", "meet",
            "app.kubernetes.io/component", "media-server");
    private static RegionSet regions;

    @BeforeAll
    static void startRegions() {
        regions = RegionSet.start("flapping", List.of("us-east-1", "eu-west-1"), List.of("us-east-1"), platform -> {
            // Quick to react, so that flapping really exercises the breaker: 1 s samples, a 10 s
            // window, 4 samples minimum, 5 s open.
            platform.getSpec().failover.heartbeatIntervalSeconds = 1;
            platform.getSpec().failover.staleAfterSeconds = 4;
            platform.getSpec().failover.circuitBreaker.slidingWindowSeconds = 10;
            platform.getSpec().failover.circuitBreaker.minimumSamples = 4;
            platform.getSpec().failover.circuitBreaker.openSeconds = 5;
            platform.getSpec().failover.circuitBreaker.halfOpenProbes = 2;
        });
        await("both regions serving").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .until(() -> regions.weights().equals(regions.allAt(100)));
    }

    @AfterAll
    static void stopRegions() {
        if (regions != null) {
            regions.close();
        }
    }

    @Test
    void dnsChangesStayBoundedWhileHealthFlaps() {
        KubernetesClient client = regions.planes.get("us-east-1").client();
        regions.proxies.get("us-east-1").clearCalls();
        Instant end = Instant.now().plus(FLAPPING);
        boolean available = true;
        int flips = 0;
        // Each flip: kwok reports the media pods' readiness probe failing (or passing again), and the
        // controller manager reports the Deployment's ready replicas accordingly.
        SimulatedRegion east = regions.simulated.get("us-east-1");
        FaultInjection unready = null;
        while (Instant.now().isBefore(end)) {
            available = !available;
            if (available) {
                unready.heal();
            } else {
                unready = east.inject("rtc", MEDIA_PODS, PodFault.unready().existingPodsOnly());
            }
            flips++;
            boolean expected = available;
            await("flip observed by the API server").pollDelay(FLIP_EVERY).atMost(FLIP_EVERY.multipliedBy(4))
                    .until(() -> isAvailable(client) == expected);
        }
        if (unready != null) {
            unready.heal();
        }

        long dnsChanges = regions.proxies.get("us-east-1").count("route53:ChangeResourceRecordSets");
        // Step interval = max(TTL 5 s, health-check interval 10 s x threshold 3) = 30 s.
        long bound = 2 * (FLAPPING.toSeconds() / 30) + 3;
        assertThat(flips).isGreaterThanOrEqualTo(10);
        assertThat(dnsChanges).as("Route 53 changes during %d health flips", flips).isLessThanOrEqualTo(bound);
        assertThat(regions.platformIn("us-east-1").getStatus().history).as("the flapping was noticed")
                .anySatisfy(h -> assertThat(h.action).startsWith("Breaker"));
    }

    private static boolean isAvailable(KubernetesClient client) {
        var status = client.apps().deployments().inNamespace("rtc").withName("meet-media-server").get().getStatus();
        return status.getReadyReplicas() != null && status.getReadyReplicas() > 0;
    }
}
