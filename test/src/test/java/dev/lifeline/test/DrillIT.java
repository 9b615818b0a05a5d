package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.DrillStatus;
import dev.lifeline.operator.api.RealtimePlatform;

/**
 * A failover drill started over REST in us-east-1 (two regions, see {@link RegionSet}): the
 * region's record is drained on purpose, held, restored in steps, and the drill's measured
 * times are in status, in the REST answer and in Events.
 */
class DrillIT {

    private static final String PLATFORM_PATH = "/api/v1/namespaces/rtc/realtimeplatforms/meet";
    private static RegionSet regions;

    @BeforeAll
    static void startRegions() {
        regions = RegionSet.start("drill", List.of("us-east-1", "eu-west-1"), List.of(), RegionSet::shortDrills);
        regions.awaitSteady("start", Duration.ofSeconds(120));
    }

    @AfterAll
    static void stopRegions() {
        if (regions != null) {
            regions.close();
        }
    }

    @Test
    void aDrillDrainsTheRegionHoldsRestoresInStepsAndRecordsItsTimes() {
        var operator = regions.operators.get("us-east-1");
        assertThat(operator.post(PLATFORM_PATH + "/drill?holdSeconds=0").statusCode()).as("invalid hold")
                .isEqualTo(400);

        HttpResponse<String> started = operator.post(PLATFORM_PATH + "/drill?holdSeconds=10");
        assertThat(started.statusCode()).isEqualTo(202);
        assertThat(started.body()).contains("\"region\":\"us-east-1\"", "\"holdSeconds\":\"10\"");
        RealtimePlatform annotated = regions.platformIn("us-east-1");
        String id = annotated.getMetadata().getAnnotations().get("lifeline.dev/drill");
        assertThat(id).startsWith("drill-");
        assertThat(started.body()).contains(id);

        await("us-east-1 drained on purpose").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> Long.valueOf(0).equals(regions.weights().get("us-east-1")));
        assertThat(regions.weights()).containsEntry("eu-west-1", 100L);

        DrillStatus drill = await("drill completed").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> regions.platformIn("us-east-1").getStatus().drill,
                        d -> d != null && "Completed".equals(d.phase));
        assertThat(regions.weights()).isEqualTo(regions.allAt(100));
        assertThat(drill.id).isEqualTo(id);
        assertThat(drill.region).isEqualTo("us-east-1");
        assertThat(drill.holdSeconds).isEqualTo(10);
        assertThat(drill.drainSubmittedMillis).isNotNull().isLessThan(10_000L);
        assertThat(drill.drainInSyncMillis).isNotNull().isGreaterThanOrEqualTo(drill.drainSubmittedMillis);
        assertThat(drill.restoredMillis).isNotNull().isGreaterThan(10_000L);
        assertThat(regions.history("RestoreStep", "Applied", "us-east-1")).extracting(h -> h.region)
                .containsOnly("us-east-1").hasSize(2);

        assertThat(operator.get(PLATFORM_PATH + "/drill")).contains("\"phase\":\"Completed\"", id);
        var events = regions.planes.get("us-east-1").client().v1().events().inNamespace("rtc").list().getItems();
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("DrillStarted");
            assertThat(e.getMessage()).contains(id);
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("DrillCompleted");
            assertThat(e.getMessage()).contains("INSYNC after");
        });
    }
}
