package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.testkit.AwsService;
import dev.lifeline.testkit.Fault;

/**
 * Three regions (see {@link RegionSet}) sharing one session table and one Route 53. Scenarios,
 * in order:
 * <ol>
 *   <li>a partition: ap-southeast-2 loses the table while the others still see each other; the
 *       majority drains it, and it never drains the majority;</li>
 *   <li>a region goes silent (its operator stops): the quorum of the others drains it.</li>
 * </ol>
 */
class MultiRegionIT {

    private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(120);
    private static RegionSet regions;

    @BeforeAll
    static void startRegions() {
        regions = RegionSet.start("multi", List.of("us-east-1", "eu-west-1", "ap-southeast-2"), platform -> {
        });
        regions.awaitSteady("start", SCENARIO_TIMEOUT);
    }

    @AfterAll
    static void stopRegions() {
        if (regions != null) {
            regions.close();
        }
    }

    @Test
    void partitionDrainsOnlyTheIsolatedRegionThenASilentRegionIsDrainedByTheQuorum() {
        // 1. Partition: ap-southeast-2 can no longer reach the session table (heartbeats), but
        //    still reaches Route 53, so it could drain the others if it concluded wrongly.
        regions.proxies.get("ap-southeast-2").inject(Fault.dropConnection().onService(AwsService.DYNAMODB));

        await("the majority drains the isolated region").atMost(SCENARIO_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> Long.valueOf(0).equals(regions.weights().get("ap-southeast-2")));
        assertThat(regions.weights()).containsEntry("us-east-1", 100L).containsEntry("eu-west-1", 100L);
        assertThat(regions.history("Drain", "Applied", "ap-southeast-2")).as("the isolated region drains no one")
                .isEmpty();
        // The DNS change goes out before the status patch that records it.
        await("the drain recorded by the majority").atMost(Duration.ofSeconds(30))
                .until(() -> !regions.history("Drain", "Applied", "us-east-1", "eu-west-1").isEmpty());
        assertThat(regions.history("Drain", "Applied", "us-east-1", "eu-west-1")).extracting(h -> h.region)
                .containsOnly("ap-southeast-2");

        regions.proxies.get("ap-southeast-2").clearFaults();

        // 2. eu-west-1's operator stops: its heartbeat goes stale; us-east-1 and ap-southeast-2
        //    (a majority of all three) agree it is down, and one of them drains its record.
        regions.operators.get("eu-west-1").close();

        await("the quorum drains the silent region").atMost(SCENARIO_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> Long.valueOf(0).equals(regions.weights().get("eu-west-1")));
        assertThat(regions.weights()).containsEntry("us-east-1", 100L);
        await("the drain recorded by the quorum").atMost(Duration.ofSeconds(30))
                .until(() -> regions.history("Drain", "Applied", "us-east-1", "ap-southeast-2").stream()
                        .anyMatch(h -> "eu-west-1".equals(h.region)));
        // Detection latency (last heartbeat -> drain decided) once, and the drain's INSYNC time, as metrics.
        await("detection and INSYNC timers of the drainer").atMost(Duration.ofSeconds(30)).until(() -> {
            String metrics = regions.operators.get("us-east-1").get("/q/metrics")
                    + regions.operators.get("ap-southeast-2").get("/q/metrics");
            return metrics.matches("(?s).*lifeline_failover_detection_seconds_count\\{[^}]*region=\"eu-west-1\"[^}]*\\} 1(\\.0)?\\s.*")
                    && metrics.matches("(?s).*lifeline_dns_change_insync_seconds_count\\{[^}]*region=\"eu-west-1\"[^}]*\\} [1-9].*");
        });
    }
}
