package dev.lifeline.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.BreakerStatus;
import dev.lifeline.operator.api.CircuitBreakerSpec;
import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.policy.BreakerState.Sample;
import dev.lifeline.operator.policy.BreakerState.State;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class CircuitBreakerTest {

    static final Instant T0 = TestClock.T0;
    /** threshold 50 %, window 30 s, min 10 samples, open 30 s, 3 probes: the spec defaults. */
    static final BreakerPolicy DEFAULTS = BreakerPolicy.from(new CircuitBreakerSpec());

    static CircuitBreaker.Step feed(BreakerState s, BreakerPolicy p, Instant start, long stepSeconds, boolean... samples) {
        CircuitBreaker.Step step = new CircuitBreaker.Step(s, List.of());
        Instant t = start;
        for (boolean good : samples) {
            step = step.then(CircuitBreaker.record(step.state(), new Sample(t, good), p));
            t = t.plusSeconds(stepSeconds);
        }
        return step;
    }

    static boolean[] repeat(boolean v, int n) {
        boolean[] a = new boolean[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void opensWhenFailureRateReachesThresholdWithMinimumSamples() {
        // 5 good then 5 bad, 2 s apart: the 10th sample makes 50 % of 10
        boolean[] samples = {true, true, true, true, true, false, false, false, false, false};
        CircuitBreaker.Step step = feed(BreakerState.closed(T0), DEFAULTS, T0, 2, samples);
        assertThat(step.state().state()).isEqualTo(State.OPEN);
        assertThat(step.state().since()).isEqualTo(T0.plusSeconds(18));
        assertThat(step.transitions()).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo(State.CLOSED);
            assertThat(t.to()).isEqualTo(State.OPEN);
            assertThat(t.reason()).contains("50%").contains("5 of 10");
        });
    }

    @Test
    void staysClosedBelowMinimumSamplesEvenAtHundredPercentFailures() {
        CircuitBreaker.Step step = feed(BreakerState.closed(T0), DEFAULTS, T0, 2, repeat(false, 9));
        assertThat(step.state().state()).isEqualTo(State.CLOSED);
        assertThat(step.transitions()).isEmpty();
        assertThat(CircuitBreaker.failureRatePercent(step.state(), T0.plusSeconds(16), Duration.ofSeconds(30)))
                .isEqualTo(100);
    }

    @Test
    void staysClosedBelowThreshold() {
        // 6 good, 4 bad = 40 %
        boolean[] samples = {false, true, false, true, false, true, false, true, true, true};
        assertThat(feed(BreakerState.closed(T0), DEFAULTS, T0, 2, samples).state().state()).isEqualTo(State.CLOSED);
    }

    @Test
    void oldSamplesSlideOutOfTheWindow() {
        // 9 failures 4 s apart span 32 s: the first ones have left the 30 s window when the 10th comes
        CircuitBreaker.Step step = feed(BreakerState.closed(T0), DEFAULTS, T0, 4, repeat(false, 10));
        assertThat(step.state().state()).isEqualTo(State.CLOSED);
        assertThat(step.state().window()).hasSizeLessThan(10);
    }

    @Test
    void openTurnsHalfOpenExactlyAfterOpenDuration() {
        BreakerState open = new BreakerState(State.OPEN, T0, 0, List.of());
        assertThat(CircuitBreaker.advance(open, T0.plusSeconds(29), DEFAULTS).state().state()).isEqualTo(State.OPEN);
        CircuitBreaker.Step step = CircuitBreaker.advance(open, T0.plusSeconds(45), DEFAULTS);
        assertThat(step.state().state()).isEqualTo(State.HALF_OPEN);
        // since is when it became half-open, not when we happened to look
        assertThat(step.state().since()).isEqualTo(T0.plusSeconds(30));
        // samples while open are ignored
        CircuitBreaker.Step ignored = CircuitBreaker.record(open, new Sample(T0.plusSeconds(5), true), DEFAULTS);
        assertThat(ignored.state()).isEqualTo(open);
    }

    @Test
    void halfOpenClosesAfterNGoodProbesAndReopensOnABadOne() {
        BreakerState half = new BreakerState(State.HALF_OPEN, T0, 0, List.of());
        CircuitBreaker.Step two = feed(half, DEFAULTS, T0.plusSeconds(1), 2, true, true);
        assertThat(two.state().state()).isEqualTo(State.HALF_OPEN);
        assertThat(two.state().halfOpenSuccesses()).isEqualTo(2);
        CircuitBreaker.Step three = feed(two.state(), DEFAULTS, T0.plusSeconds(5), 2, true);
        assertThat(three.state().state()).isEqualTo(State.CLOSED);
        assertThat(three.state().window()).isEmpty();

        CircuitBreaker.Step bad = feed(two.state(), DEFAULTS, T0.plusSeconds(5), 2, false);
        assertThat(bad.state().state()).isEqualTo(State.OPEN);
        assertThat(bad.state().since()).isEqualTo(T0.plusSeconds(5));
        assertThat(bad.transitions()).singleElement().satisfies(t -> assertThat(t.reason()).contains("probe failed"));
    }

    @Test
    void forceOpenOpensFromAnyStateButOpen() {
        BreakerState closed = BreakerState.closed(T0);
        CircuitBreaker.Step step = CircuitBreaker.forceOpen(closed, T0.plusSeconds(3), "restart budget spent");
        assertThat(step.state().state()).isEqualTo(State.OPEN);
        assertThat(step.transitions()).singleElement().satisfies(t -> assertThat(t.reason()).isEqualTo("restart budget spent"));
        assertThat(CircuitBreaker.forceOpen(step.state(), T0.plusSeconds(9), "again").transitions()).isEmpty();
    }

    @Test
    void statusRoundTripKeepsStateSinceAndProbes() {
        BreakerState half = new BreakerState(State.HALF_OPEN, T0.plusSeconds(7), 2, List.of());
        BreakerStatus st = BreakerStatusCodec.toStatus(Component.MEDIA_SERVER, half);
        assertThat(st.component).isEqualTo("mediaServer");
        assertThat(st.state).isEqualTo("HalfOpen");
        assertThat(st.since).isEqualTo("2026-01-01T00:00:07Z");
        assertThat(st.halfOpenSuccesses).isEqualTo(2);
        assertThat(BreakerStatusCodec.fromStatus(List.of(st), T0)).containsEntry(Component.MEDIA_SERVER, half);
    }

    @Test
    void statusReadingIsLenient() {
        BreakerStatus junk = new BreakerStatus();
        junk.component = "signaling";
        junk.state = "Exploded";
        BreakerStatus badTime = new BreakerStatus();
        badTime.component = "mediaServer";
        badTime.state = "Open";
        badTime.since = "yesterday";
        BreakerStatus offset = new BreakerStatus();
        offset.component = "unknown";
        var read = BreakerStatusCodec.fromStatus(java.util.Arrays.asList(junk, badTime, offset, null), T0);
        assertThat(read.get(Component.SIGNALING)).isEqualTo(BreakerState.closed(T0));
        assertThat(read.get(Component.MEDIA_SERVER)).isEqualTo(new BreakerState(State.OPEN, T0, 0, List.of()));
        assertThat(read).hasSize(2);
        BreakerStatus rfc = new BreakerStatus();
        rfc.component = "signaling";
        rfc.state = "Open";
        rfc.since = "2026-01-01T01:00:00+01:00";
        assertThat(BreakerStatusCodec.fromStatus(List.of(rfc), T0.plusSeconds(99)).get(Component.SIGNALING).since())
                .isEqualTo(T0);
    }

    // ---- properties ------------------------------------------------------------------------------------------

    record Tick(int gapSeconds, boolean good) {
    }

    @Provide
    Arbitrary<List<Tick>> flapping() {
        Arbitrary<Tick> tick = Combinators.combine(Arbitraries.integers().between(0, 20), Arbitraries.of(true, false))
                .as(Tick::new);
        return tick.list().ofMinSize(1).ofMaxSize(300);
    }

    @Provide
    Arbitrary<BreakerPolicy> policies() {
        return Combinators.combine(Arbitraries.integers().between(1, 100), Arbitraries.integers().between(1, 120),
                Arbitraries.integers().between(1, 20), Arbitraries.integers().between(0, 90),
                Arbitraries.integers().between(1, 6))
                .as((thr, win, min, open, probes) -> new BreakerPolicy(thr, Duration.ofSeconds(win), min,
                        Duration.ofSeconds(open), probes));
    }

    /** Replays the ticks; checks the invariants after every sample. */
    @Property(tries = 300)
    void breakerInvariantsUnderRandomSamples(@ForAll("policies") BreakerPolicy p, @ForAll("flapping") List<Tick> ticks) {
        BreakerState s = BreakerState.closed(T0);
        Instant t = T0;
        int goodProbesInARow = 0;
        List<Sample> recent = new ArrayList<>();
        for (Tick tick : ticks) {
            t = t.plusSeconds(tick.gapSeconds());
            Sample sample = new Sample(t, tick.good());
            BreakerState before = CircuitBreaker.advance(s, t, p).state();
            CircuitBreaker.Step step = CircuitBreaker.record(s, sample, p);
            if (before.state() == State.HALF_OPEN) {
                goodProbesInARow = tick.good() ? goodProbesInARow + 1 : 0;
            } else {
                goodProbesInARow = 0;
            }
            if (before.state() == State.CLOSED) {
                recent.add(sample);
            } else {
                recent.clear();
            }
            for (CircuitBreaker.Transition tr : step.transitions()) {
                if (tr.to() == State.CLOSED) {
                    // never closes without N consecutive good probes while half-open
                    assertThat(tr.from()).isEqualTo(State.HALF_OPEN);
                    assertThat(goodProbesInARow).isGreaterThanOrEqualTo(p.halfOpenProbes());
                }
                if (tr.from() == State.CLOSED && tr.to() == State.OPEN) {
                    // never opens from closed on fewer than minimumSamples in the window, nor below the threshold
                    Instant start = t.minus(p.slidingWindow());
                    List<Sample> inWindow = recent.stream().filter(x -> x.at().isAfter(start)).toList();
                    long bad = inWindow.stream().filter(x -> !x.good()).count();
                    assertThat(inWindow.size()).isGreaterThanOrEqualTo(p.minimumSamples());
                    assertThat(bad * 100).isGreaterThanOrEqualTo((long) p.failureRateThreshold() * inWindow.size());
                }
                if (tr.from() == State.OPEN) {
                    // stays open for the whole open duration
                    assertThat(tr.to()).isEqualTo(State.HALF_OPEN);
                }
            }
            if (step.state().state() != State.CLOSED) {
                recent.clear();
            }
            if (s.state() == State.OPEN && step.state().state() != State.OPEN) {
                assertThat(Duration.between(s.since(), step.state().since())).isGreaterThanOrEqualTo(p.openDuration());
            }
            assertThat(step.state().halfOpenSuccesses()).isLessThan(p.halfOpenProbes());
            s = step.state();
        }
    }

    /** What goes into the status and back is the same breaker (the window is not persisted, by design). */
    @Property(tries = 200)
    void persistedStateRoundTrips(@ForAll("policies") BreakerPolicy p, @ForAll("flapping") List<Tick> ticks,
            @ForAll @IntRange(min = 0, max = 1) int componentIndex) {
        Component c = Component.values()[componentIndex];
        BreakerState s = BreakerState.closed(T0);
        Instant t = T0;
        for (Tick tick : ticks) {
            t = t.plusSeconds(tick.gapSeconds());
            s = CircuitBreaker.record(s, new Sample(t, tick.good()), p).state();
            BreakerState back = BreakerStatusCodec.fromStatus(List.of(BreakerStatusCodec.toStatus(c, s)), t).get(c);
            assertThat(back.state()).isEqualTo(s.state());
            assertThat(back.since()).isEqualTo(s.since());
            assertThat(back.halfOpenSuccesses()).isEqualTo(s.halfOpenSuccesses());
        }
    }
}
