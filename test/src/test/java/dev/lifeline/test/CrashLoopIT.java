package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.test.harness.FaultInjection;

/**
 * Scenario a: us-east-1's media pods (real pods on kwok nodes, with a controller manager and a
 * scheduler) crash-loop. The operator restarts them within its budget first; when the budget is
 * spent the breaker opens and the region is drained in Route 53 while eu-west-1 keeps serving.
 * After the pods recover, the breaker closes and the weight comes back in steps.
 */
class CrashLoopIT {

    private static final Map<String, String> MEDIA_PODS = Map.of("app.kubernetes.io/name", "lifeline-media-server",
            "app.kubernetes.io/instance", "meet", "app.kubernetes.io/component", "media-server");
    private static RegionSet regions;

    @BeforeAll
    static void startRegions() {
        regions = RegionSet.start("crash", List.of("us-east-1", "eu-west-1"), List.of("us-east-1"), platform -> {
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
            failover.reroute.drainDeadlineSeconds = 5;
            // Step interval = max(TTL, health-check interval x threshold) = 10 s.
            platform.getSpec().dns.healthCheck.failureThreshold = 1;
        });
        await("both regions serving, us-east-1's pods running").atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> regions.weights().equals(regions.allAt(100))
                        && regions.seesEveryRegionHealthy("us-east-1"));
    }

    @AfterAll
    static void stopRegions() {
        if (regions != null) {
            regions.close();
        }
    }

    @Test
    void restartsFirstThenDrainsAndRestoresInStepsAfterRecovery() {
        FaultInjection crashLoop = regions.simulated.get("us-east-1").crashLoop("rtc", MEDIA_PODS);

        await("restarts within the budget").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !regions.history("Restart", "Applied", "us-east-1").isEmpty());
        await("breaker open, region drained").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Long.valueOf(0).equals(regions.weights().get("us-east-1")));
        assertThat(regions.weights()).containsEntry("eu-west-1", 100L);
        assertThat(regions.platformIn("us-east-1").getStatus().history).extracting(h -> h.action)
                .contains("Restart", "BreakerOpen", "Drain");
        assertThat(regions.history("Restart", "Applied", "us-east-1")).as("restart budget").hasSizeLessThanOrEqualTo(2);

        crashLoop.heal();

        await("weight restored after recovery").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Long.valueOf(100).equals(regions.weights().get("us-east-1")));
        assertThat(regions.platformIn("us-east-1").getStatus().history).extracting(h -> h.action)
                .contains("RestoreStep");
    }
}
