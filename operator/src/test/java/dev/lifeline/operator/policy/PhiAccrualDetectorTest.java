package dev.lifeline.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The phi-accrual detector: monotone in silence, adaptive to jitter, silent within its history's spread. */
class PhiAccrualDetectorTest {

    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    private static final Duration INTERVAL = Duration.ofMillis(500);
    private static final Duration MIN_SD = Duration.ofMillis(50);
    private static final Duration MAX_INTERVAL = Duration.ofSeconds(6);
    private static final double THRESHOLD = 8;

    private static PhiAccrualDetector fed(List<Integer> intervalsMillis) {
        PhiAccrualDetector d = PhiAccrualDetector.start(INTERVAL, MIN_SD, MAX_INTERVAL).heartbeat(T0);
        Instant at = T0;
        for (int i : intervalsMillis) {
            at = at.plusMillis(i);
            d = d.heartbeat(at);
        }
        return d;
    }

    @Property
    void phiNeverFallsAsTheSilenceGrows(@ForAll @Size(max = 150) List<@IntRange(min = 1, max = 5000) Integer> history,
            @ForAll @IntRange(min = 0, max = 60_000) int silence, @ForAll @IntRange(min = 1, max = 60_000) int more) {
        PhiAccrualDetector d = fed(history);
        Instant last = d.lastArrival().orElseThrow();
        double before = d.phi(last.plusMillis(silence)).orElseThrow();
        double after = d.phi(last.plusMillis(silence + more)).orElseThrow();
        assertThat(after).isGreaterThanOrEqualTo(before);
        assertThat(before).isFinite().isGreaterThanOrEqualTo(0);
    }

    @Property
    void neverSuspectsWithinTheMeanPlusFiveDeviationsOfItsHistory(
            @ForAll @Size(max = 150) List<@IntRange(min = 1, max = 5000) Integer> history,
            @ForAll @IntRange(min = 0, max = 1000) int permille) {
        PhiAccrualDetector d = fed(history);
        double bound = d.meanMillis() + 5 * d.stdDeviationMillis();
        Instant within = d.lastArrival().orElseThrow().plusMillis((long) Math.floor(bound * permille / 1000.0));
        assertThat(d.suspects(within, THRESHOLD)).as("%s at %s", d, within).isFalse();
    }

    @Property
    void aLongEnoughSilenceIsAlwaysSuspected(@ForAll @Size(max = 150) List<@IntRange(min = 1, max = 5000) Integer> history) {
        PhiAccrualDetector d = fed(history);
        Instant at = d.suspectedAt(THRESHOLD).orElseThrow();
        assertThat(d.suspects(at, THRESHOLD)).isTrue();
        assertThat(d.suspects(at.minusMillis(2), THRESHOLD)).isFalse();
        assertThat(at).isBefore(d.lastArrival().orElseThrow().plusMillis((long) (d.meanMillis() + 7 * d.stdDeviationMillis())));
    }

    @Property
    void jitteredArrivalsPushSuspicionLater(@ForAll @IntRange(min = 60, max = 150) int count,
            @ForAll @IntRange(min = 150, max = 1000) int jitter) {
        // The same mean interval, regular vs. alternating +-jitter/2 (the spread of a jittery network).
        List<Integer> regular = java.util.Collections.nCopies(count, 500 + jitter / 2);
        List<Integer> jittered = java.util.stream.IntStream.range(0, count).mapToObj(i -> i % 2 == 0 ? 500 : 500 + jitter)
                .toList();
        Duration regularWait = waitUntilSuspected(fed(regular));
        Duration jitteredWait = waitUntilSuspected(fed(jittered));
        assertThat(jitteredWait).isGreaterThan(regularWait);
    }

    @Property
    void noVerdictFromAnEmptyHistory(@ForAll @IntRange(min = 0, max = 3_600_000) int anyTime) {
        PhiAccrualDetector fresh = PhiAccrualDetector.start(INTERVAL, MIN_SD, MAX_INTERVAL);
        assertThat(fresh.phi(T0.plusMillis(anyTime))).isEmpty();
        assertThat(fresh.suspects(T0.plusMillis(anyTime), THRESHOLD)).isFalse();
        assertThat(fresh.suspectedAt(THRESHOLD)).isEmpty();
    }

    @Test
    void bootstrapsOnTheExpectedIntervalAndSuspectsARegularPeerWithinAboutTwoIntervals() {
        PhiAccrualDetector d = fed(java.util.Collections.nCopies(20, 500));
        Duration wait = waitUntilSuspected(d);
        assertThat(wait).isBetween(Duration.ofMillis(600), Duration.ofMillis(1500));
        // The first arrival alone is judged against the configured interval, not suspected at once.
        PhiAccrualDetector first = PhiAccrualDetector.start(INTERVAL, MIN_SD, MAX_INTERVAL).heartbeat(T0);
        assertThat(first.suspects(T0.plusMillis(500), THRESHOLD)).isFalse();
        assertThat(first.suspects(T0.plusSeconds(5), THRESHOLD)).isTrue();
    }

    @Test
    void anOutageIsNoSampleOfJitterAndDoesNotSlowTheNextDetection() {
        List<Integer> history = new java.util.ArrayList<>(java.util.Collections.nCopies(40, 500));
        history.add(30_000); // the peer cut off for 30 s, then back
        history.addAll(java.util.Collections.nCopies(10, 500));
        assertThat(waitUntilSuspected(fed(history))).isEqualTo(waitUntilSuspected(fed(
                java.util.Collections.nCopies(50, 500))));
    }

    @Test
    void anArrivalOutOfOrderIsIgnoredAndTheWindowIsBounded() {
        PhiAccrualDetector d = fed(java.util.Collections.nCopies(300, 500));
        assertThat(d.heartbeat(T0)).isSameAs(d);
        assertThat(d.meanMillis()).isEqualTo(500.0);
    }

    private static Duration waitUntilSuspected(PhiAccrualDetector d) {
        return Duration.between(d.lastArrival().orElseThrow(), d.suspectedAt(THRESHOLD).orElseThrow());
    }
}
