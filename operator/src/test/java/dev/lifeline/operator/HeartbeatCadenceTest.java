package dev.lifeline.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The reconciler comes back one heartbeat interval after the heartbeat, however long the step took. */
class HeartbeatCadenceTest {

    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final Instant HEARTBEAT = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void aSlowStepDoesNotStretchTheInterval() {
        assertThat(RealtimePlatformReconciler.untilNextHeartbeat(INTERVAL, HEARTBEAT, HEARTBEAT.plusMillis(1300)))
                .isEqualTo(Duration.ofMillis(700));
    }

    @Test
    void aStepLongerThanTheIntervalIsFollowedAlmostAtOnceButNotInABusyLoop() {
        assertThat(RealtimePlatformReconciler.untilNextHeartbeat(INTERVAL, HEARTBEAT, HEARTBEAT.plusSeconds(5)))
                .isEqualTo(RealtimePlatformReconciler.MIN_STEP_GAP);
    }

    @Test
    void aQuickStepWaitsAlmostTheWholeInterval() {
        assertThat(RealtimePlatformReconciler.untilNextHeartbeat(INTERVAL, HEARTBEAT, HEARTBEAT.plusMillis(30)))
                .isEqualTo(Duration.ofMillis(1970));
    }
}
