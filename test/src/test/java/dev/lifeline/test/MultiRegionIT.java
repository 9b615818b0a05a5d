package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.operator.status.ConditionTypes;
import dev.lifeline.test.RelayHeartbeats.Relay;
import dev.lifeline.test.harness.Teardown;
import dev.lifeline.testkit.AwsService;
import dev.lifeline.testkit.Fault;

/**
 * Three regions (see {@link RegionSet}) sharing one session table and one Route 53, each with a
 * relay heartbeating into the table and public endpoints that answer. A region is drained only
 * when its service is down, never for a silent operator alone. Scenarios, in order:
 * <ol>
 *   <li>a partition: ap-southeast-2's operator loses the table while its service still answers;
 *       the majority reports its control plane silent and drains no one, and the isolated region
 *       drains no one either;</li>
 *   <li>a region's operator is stopped for good while its relays keep heartbeating (issue 11, 6b):
 *       no drain, no weight change, {@code ControlPlaneSilent} on the peers, a Warning Event, the
 *       gauge {@code lifeline_control_plane_silent};</li>
 *   <li>that region is then lost for real (its relays stop and its endpoints stop answering): the
 *       quorum of the others drains it.</li>
 * </ol>
 */
class MultiRegionIT {

    private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(120);
    /**
     * How long a silent operator is watched for a wrong drain once the peers report it: longer than the old rule took
     * from stale to drain (staleAfterSeconds 6 s plus one 2 s heartbeat interval), and two Route 53 health readings.
     */
    private static final Duration NO_DRAIN_WATCH = Duration.ofSeconds(20);
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-2");
    private static RegionSet regions;
    private static RelayHeartbeats relays;

    @BeforeAll
    static void startRegions() {
        regions = RegionSet.start("multi", REGIONS, platform -> {
        });
        relays = RelayHeartbeats.start(regions.moto.endpoint(), "multi-sessions");
        for (String region : REGIONS) {
            Relay relay = new Relay("meet-media-server-" + region, 10, 500, regions.endpoints.relayAddress(region));
            relays.report(region, () -> List.of(relay));
        }
        regions.awaitSteady("start", SCENARIO_TIMEOUT);
    }

    @AfterAll
    static void stopRegions() {
        Teardown.closeAll(relays, regions);
    }

    @Test
    void aSilentOperatorIsReportedNeverDrainedAndALostRegionIsDrainedByTheQuorum() {
        // 1. Partition: ap-southeast-2's operator can no longer reach the session table, but still reaches
        //    Route 53, so it could drain the others if it concluded wrongly. Its relays and endpoints still serve.
        regions.proxies.get("ap-southeast-2").inject(Fault.dropConnection().onService(AwsService.DYNAMODB));

        await("the majority reports ap-southeast-2's control plane silent").atMost(SCENARIO_TIMEOUT)
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> regions.conditionIs(ConditionTypes.CONTROL_PLANE_SILENT, "True", "us-east-1",
                        "eu-west-1"));
        assertThat(regions.condition("us-east-1", ConditionTypes.CONTROL_PLANE_SILENT).getMessage())
                .contains("ap-southeast-2").contains("service alive");
        await("no drain while ap-southeast-2's service answers").during(NO_DRAIN_WATCH)
                .atMost(NO_DRAIN_WATCH.plusSeconds(10)).pollInterval(Duration.ofSeconds(1))
                .until(() -> regions.weights().equals(regions.allAt(100)));
        assertThat(regions.history("Drain", "Applied", REGIONS.toArray(String[]::new))).isEmpty();

        regions.proxies.get("ap-southeast-2").clearFaults();
        await("ap-southeast-2's operator heard again").atMost(SCENARIO_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> regions.conditionIs(ConditionTypes.CONTROL_PLANE_SILENT, "False",
                        REGIONS.toArray(String[]::new)));

        // 2. eu-west-1's operator stops for good; its relay keeps heartbeating and its endpoints answer.
        regions.operators.get("eu-west-1").close();

        await("the peers report eu-west-1's control plane silent").atMost(SCENARIO_TIMEOUT)
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> regions.conditionIs(ConditionTypes.CONTROL_PLANE_SILENT, "True", "us-east-1",
                        "ap-southeast-2"));
        await("no drain, no weight change, while eu-west-1 serves").during(NO_DRAIN_WATCH)
                .atMost(NO_DRAIN_WATCH.plusSeconds(10)).pollInterval(Duration.ofSeconds(1))
                .until(() -> regions.weights().equals(regions.allAt(100)));
        assertThat(regions.history("Drain", "Applied", "us-east-1", "ap-southeast-2")).isEmpty();
        for (String peer : List.of("us-east-1", "ap-southeast-2")) {
            assertThat(regions.condition(peer, ConditionTypes.CONTROL_PLANE_SILENT).getReason())
                    .isEqualTo("ServiceAlive");
            assertThat(regions.warnings(peer, "ServiceAlive")).as("Warning Event in %s", peer).isNotEmpty();
            assertThat(regions.operators.get(peer).get("/q/metrics")).matches(
                    "(?s).*lifeline_control_plane_silent\\{[^}]*region=\"eu-west-1\"[^}]*\\} 1\\.0.*");
        }

        // 3. eu-west-1 is lost for real: its relay stops heartbeating and its endpoints stop answering.
        relays.silence("eu-west-1");
        regions.endpoints.stop("eu-west-1");

        await("the quorum drains the lost region").atMost(SCENARIO_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> Long.valueOf(0).equals(regions.weights().get("eu-west-1")));
        assertThat(regions.weights()).containsEntry("us-east-1", 100L).containsEntry("ap-southeast-2", 100L);
        await("the drain recorded by the quorum").atMost(Duration.ofSeconds(30)).ignoreExceptions()
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
