package dev.lifeline.operator.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.DrillStatus;
import dev.lifeline.operator.policy.Observations;
import dev.lifeline.operator.policy.Phase;

class DrillProgressTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void aNewAnnotationValueStartsADrillOnceWithItsHold() {
        Map<String, String> annotations = Map.of(DrillProgress.ANNOTATION, "d1", DrillProgress.HOLD_ANNOTATION, "30");
        DrillStatus drill = DrillProgress.requested(annotations, null, "us-east-1", T0).orElseThrow();
        assertThat(drill.id).isEqualTo("d1");
        assertThat(drill.region).isEqualTo("us-east-1");
        assertThat(drill.phase).isEqualTo(DrillProgress.DRAINING);
        assertThat(drill.holdSeconds).isEqualTo(30);
        assertThat(DrillProgress.active(drill)).contains(new Observations.Drill("d1", T0.plusSeconds(30)));

        assertThat(DrillProgress.requested(annotations, drill, "us-east-1", T0.plusSeconds(500)))
                .as("the same id never runs twice").isEmpty();
        assertThat(DrillProgress.requested(Map.of(), null, "us-east-1", T0)).isEmpty();
    }

    @Test
    void anInvalidHoldFallsBackToTheDefaultAndSaysSo() {
        DrillStatus drill = DrillProgress.requested(Map.of(DrillProgress.ANNOTATION, "d1",
                DrillProgress.HOLD_ANNOTATION, "soon"), null, "eu-west-1", T0).orElseThrow();
        assertThat(drill.holdSeconds).isEqualTo(DrillProgress.DEFAULT_HOLD_SECONDS);
        assertThat(drill.message).contains("'soon' is not 1..3600");
    }

    @Test
    void measuresSubmittedInSyncAndRestoredFromTheStart() {
        DrillStatus drill = DrillProgress.requested(Map.of(DrillProgress.ANNOTATION, "d1",
                DrillProgress.HOLD_ANNOTATION, "30"), null, "us-east-1", T0).orElseThrow();
        drill = DrillProgress.drainCarriedOut(drill, "Applied", "weight 0", T0.plusMillis(1200));
        drill = DrillProgress.drainInSync(drill, T0.plusMillis(3400));
        drill = DrillProgress.afterStep(drill, Phase.DRAINED, T0.plusSeconds(10));
        assertThat(drill.phase).isEqualTo(DrillProgress.DRAINING);
        drill = DrillProgress.afterStep(drill, Phase.DRAINED, T0.plusSeconds(30));
        assertThat(drill.phase).isEqualTo(DrillProgress.RESTORING);
        assertThat(DrillProgress.active(drill)).isEmpty();
        drill = DrillProgress.afterStep(drill, Phase.RESTORING, T0.plusSeconds(60));
        assertThat(drill.phase).isEqualTo(DrillProgress.RESTORING);
        drill = DrillProgress.afterStep(drill, Phase.SERVING, T0.plusSeconds(125));

        assertThat(drill.phase).isEqualTo(DrillProgress.COMPLETED);
        assertThat(drill.drainSubmittedMillis).isEqualTo(1200);
        assertThat(drill.drainInSyncMillis).isEqualTo(3400);
        assertThat(drill.restoredMillis).isEqualTo(125_000);
        assertThat(drill.message).contains("1200 ms", "3400 ms", "125000 ms");
    }

    @Test
    void aRefusedDrainEndsTheDrill() {
        DrillStatus drill = DrillProgress.requested(Map.of(DrillProgress.ANNOTATION, "d1"), null, "us-east-1", T0)
                .orElseThrow();
        drill = DrillProgress.drainCarriedOut(drill, "Skipped", "Refused: us-east-1 is the last healthy region",
                T0.plusSeconds(1));
        assertThat(drill.phase).isEqualTo(DrillProgress.REFUSED);
        assertThat(drill.message).contains("last healthy region");
        assertThat(DrillProgress.active(drill)).isEmpty();
        assertThat(DrillProgress.isRunning(drill)).isFalse();
    }
}
