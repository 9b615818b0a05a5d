package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.operator.healing.StepCadence;
import dev.lifeline.test.harness.FaultInjection;
import dev.lifeline.test.harness.OperatorProcess;
import dev.lifeline.test.harness.Teardown;

/**
 * A quiet single-region platform is not stepped every heartbeat interval, yet a pod fault reaches it at once
 * (issue 13, item 4; {@code StepCadence}): on a simulated region (real API server, controller manager, scheduler;
 * kwok pods), with the operator's shipped AWS settings (drift check every 60 s), the operator's own reconcile
 * counter ({@code operator_sdk_reconciliations_started_total}) shows a handful of steps where the 2 s heartbeat
 * cadence would make ten in 20 s; then the media pods crash-loop right after a step, when the next resync is a
 * minute away, and the operator restarts one well within that minute: the pods' watch woke it.
 */
class QuietPlatformIT {

    private static final String REGION = "us-east-1";
    private static final Map<String, String> MEDIA_PODS = Map.of("app.kubernetes.io/name", "lifeline-media-server",
            "app.kubernetes.io/instance", "meet", "app.kubernetes.io/component", "media-server");
    /** Ten heartbeat intervals (2 s) of the default policy. */
    private static final Duration WINDOW = Duration.ofSeconds(20);
    private static RegionSet regions;

    @BeforeAll
    static void startRegion() {
        regions = RegionSet.start("quiet", List.of(REGION), List.of(REGION), platform -> {
            platform.getSpec().failover.restart.backoffSeconds = 1;
            platform.getSpec().failover.restart.maxBackoffSeconds = 2;
        }, RegionSet.OPERATOR_DEFAULTS);
        regions.awaitServing(REGION, Duration.ofSeconds(180));
    }

    @AfterAll
    static void stopRegion() {
        Teardown.closeAll(regions);
    }

    @Test
    void aQuietPlatformIsNotSteppedEveryIntervalButAPodFaultReachesItAtOnce() {
        OperatorProcess operator = regions.operators.get(REGION);
        Deque<Reading> readings = new ArrayDeque<>();
        await("at most 3 steps in " + WINDOW.toSeconds() + " s (the heartbeat cadence makes 10)")
                .atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    readings.addLast(new Reading(Instant.now(), reconciles(operator)));
                    while (Duration.between(readings.getFirst().at(), readings.getLast().at()).compareTo(WINDOW) > 0) {
                        readings.removeFirst();
                    }
                    Reading first = readings.getFirst();
                    Reading last = readings.getLast();
                    return Duration.between(first.at(), last.at()).compareTo(WINDOW.minusSeconds(2)) >= 0
                            && last.count() - first.count() <= 3;
                });

        // Right after a step: the next one without an event is StepCadence.SAFETY_RESYNC (60 s) away. The bound is
        // generous: on a loaded machine a step's AWS reads against the emulator can hold the platform for a while.
        double before = reconciles(operator);
        try {
            await("a step").atMost(StepCadence.SAFETY_RESYNC.plusSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> reconciles(operator) > before);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no step counted since " + before + " (at " + Instant.now() + "); the SDK's "
                    + "reconcile series now: " + operator.get("/q/metrics").lines()
                            .filter(l -> l.startsWith("operator_sdk_reconciliations")).toList(), e);
        }
        Instant stepped = Instant.now();
        FaultInjection crashLoop = regions.simulated.get(REGION).crashLoop("rtc", MEDIA_PODS);
        try {
            await("a crash-looping media pod restarted").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> !regions.history("Restart", "Applied", REGION).isEmpty());
            assertThat(Duration.between(stepped, Instant.now()))
                    .as("reacted before the quiet platform's next resync").isLessThan(StepCadence.SAFETY_RESYNC);
        } finally {
            crashLoop.heal();
        }
    }

    private record Reading(Instant at, double count) {
    }

    /** The operator SDK's count of reconciles started (one controller: the platforms). */
    private static double reconciles(OperatorProcess operator) {
        return operator.get("/q/metrics").lines()
                .filter(l -> l.startsWith("operator_sdk_reconciliations_started_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
