package dev.lifeline.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class PreScalePlannerTest {

    static final Instant T0 = TestClock.T0;

    @Test
    void survivorsAbsorbADrainedRegionsSessionsWithHeadroom() {
        // 3000 sessions of a drained region, two survivors of equal weight: 1500 each;
        // each already carries 1000: (1000 + 1500) × 1.2 / 500 = 6 replicas
        long share = PreScalePlanner.share(3000, 100, 200);
        assertThat(share).isEqualTo(1500);
        PreScalePlanner.Plan plan = PreScalePlanner.plan(1000, share, null, 2, 20, 500, 20);
        assertThat(plan.reactiveReplicas()).isEqualTo(6);
        assertThat(plan.desired()).isEqualTo(6);
        // never above max
        assertThat(PreScalePlanner.plan(1000, 100_000, null, 2, 20, 500, 20).desired()).isEqualTo(20);
        // never below min
        assertThat(PreScalePlanner.plan(0, 0, null, 2, 20, 500, 20).desired()).isEqualTo(2);
    }

    @Test
    void sharesFollowDnsWeights() {
        // weights 100 (us) and 50 (eu): us takes two thirds
        assertThat(PreScalePlanner.share(900, 100, 150)).isEqualTo(600);
        assertThat(PreScalePlanner.share(900, 50, 150)).isEqualTo(300);
        assertThat(PreScalePlanner.share(900, 0, 150)).isZero();
        assertThat(PreScalePlanner.share(900, 100, 0)).isZero();
    }

    @Test
    void forecastScalesAheadButNeverBelowTheReactiveNeed() {
        // forecast 4000 sessions at the horizon, 1000 now: predictive (4000 × 1.2 / 500 = 10) wins
        PreScalePlanner.Plan up = PreScalePlanner.plan(1000, 0, 4000.0, 2, 20, 500, 20);
        assertThat(up.reactiveReplicas()).isEqualTo(3);
        assertThat(up.predictiveReplicas()).isEqualTo(10);
        assertThat(up.desired()).isEqualTo(10);
        // a falling forecast does not scale below what is needed now
        PreScalePlanner.Plan down = PreScalePlanner.plan(4000, 0, 100.0, 2, 20, 500, 20);
        assertThat(down.desired()).isEqualTo(down.reactiveReplicas()).isEqualTo(10);
    }

    @Test
    void holtForecastFollowsARampAndStaysNonNegative() {
        HoltForecast f = HoltForecast.start(T0, 100);
        for (int i = 1; i <= 30; i++) {
            f = f.update(T0.plusSeconds(10L * i), 100 + 10.0 * i); // +1 session per second
        }
        assertThat(f.level()).isCloseTo(400, within(15.0));
        assertThat(f.trend()).isCloseTo(1.0, within(0.1));
        // damped: +1/s is believed for about a minute ahead: 400 + 60 × (1 - e^-5) ≈ 460 at 300 s, ≈ 438 at 60 s
        assertThat(f.forecast(Duration.ofSeconds(300))).isCloseTo(460, within(20.0));
        assertThat(f.forecast(Duration.ofSeconds(60))).isCloseTo(438, within(20.0));
        // a steep fall never forecasts negative sessions
        HoltForecast fall = HoltForecast.start(T0, 1000);
        for (int i = 1; i <= 10; i++) {
            fall = fall.update(T0.plusSeconds(i), Math.max(0, 1000 - 200.0 * i));
        }
        assertThat(fall.forecast(Duration.ofSeconds(300))).isZero();
        // out-of-order or repeated samples are ignored; garbage reads as zero
        assertThat(f.update(f.at(), 1e9)).isEqualTo(f);
        assertThat(HoltForecast.start(T0, Double.NaN).level()).isZero();
        // two samples give no trend yet
        HoltForecast two = HoltForecast.start(T0, 0).update(T0.plusSeconds(1), 1000);
        assertThat(two.forecast(Duration.ofSeconds(300))).isEqualTo(1000);
    }

    @Test
    void aStepInSessionsDoesNotProjectARunawayForecast() {
        // steady at 1000, sampled every 30 s as the engine does, then a step to 2000 that stays
        HoltForecast f = HoltForecast.start(T0, 1000);
        for (int i = 1; i <= 10; i++) {
            f = f.update(T0.plusSeconds(30L * i), 1000);
        }
        double highest = 0;
        for (int i = 11; i <= 30; i++) {
            f = f.update(T0.plusSeconds(30L * i), 2000);
            highest = Math.max(highest, f.forecast(Duration.ofSeconds(300)));
        }
        assertThat(highest).as("at most a little above the new level").isLessThan(3000);
        assertThat(f.forecast(Duration.ofSeconds(300))).isCloseTo(2000, within(100.0));
    }

    @Test
    void deletionCostRanksByBucketedSessionsWithHysteresis() {
        long q = DeletionCost.quantum(500);
        assertThat(q).isEqualTo(25);
        assertThat(DeletionCost.cost(0, q)).isZero();
        assertThat(DeletionCost.cost(124, q)).isEqualTo(4);
        assertThat(DeletionCost.cost(-5, q)).isZero();
        assertThat(DeletionCost.needsUpdate(null, 10, q)).isTrue();
        assertThat(DeletionCost.needsUpdate(4, 126, q)).isFalse(); // wobbling across a bucket edge: no write
        assertThat(DeletionCost.needsUpdate(4, 150, q)).isTrue();
        assertThat(DeletionCost.needsUpdate(-1, 0, q)).isTrue();
    }

    // ---- properties ------------------------------------------------------------------------------------------

    /** Pre-scale never exceeds max, never goes below min, and never below the reactive need (unless above max). */
    @Property(tries = 1000)
    void desiredIsWithinBoundsAndNeverBelowReactive(@ForAll @LongRange(min = 0, max = 10_000_000) long own,
            @ForAll @LongRange(min = 0, max = 10_000_000) long share,
            @ForAll @DoubleRange(min = -1000, max = 1e8) double forecast, @ForAll boolean forecasting,
            @ForAll @IntRange(min = 0, max = 1000) int min, @ForAll @IntRange(min = 1, max = 1000) int max,
            @ForAll @IntRange(min = 1, max = 100_000) int perReplica, @ForAll @IntRange(min = 0, max = 500) int headroom) {
        int lo = Math.min(min, max);
        PreScalePlanner.Plan plan = PreScalePlanner.plan(own, share, forecasting ? forecast : null, lo, max,
                perReplica, headroom);
        assertThat(plan.desired()).isBetween(lo, max);
        assertThat(plan.desired()).isGreaterThanOrEqualTo(Math.min(plan.reactiveReplicas(), max));
        assertThat(plan.predictiveReplicas()).isGreaterThanOrEqualTo(plan.reactiveReplicas());
        // and the reactive need really carries the sessions with the headroom
        assertThat((double) plan.reactiveReplicas() * perReplica)
                .isGreaterThanOrEqualTo((own + share) * (1 + headroom / 100.0) - 1e-6);
        assertThat((double) (plan.reactiveReplicas() - 1) * perReplica)
                .isLessThan((own + share) * (1 + headroom / 100.0));
    }

    @Provide
    Arbitrary<List<Integer>> weights() {
        return Arbitraries.integers().between(0, 255).list().ofMinSize(1).ofMaxSize(10);
    }

    /** The survivors' shares add up to at least the drained sessions; each is at most all of them. */
    @Property(tries = 500)
    void sharesCoverTheDrainedSessions(@ForAll @LongRange(min = 0, max = 100_000_000) long absorbed,
            @ForAll("weights") List<Integer> survivorWeights) {
        long sum = survivorWeights.stream().mapToLong(Integer::longValue).sum();
        long total = 0;
        for (int w : survivorWeights) {
            long s = PreScalePlanner.share(absorbed, w, sum);
            assertThat(s).isBetween(0L, absorbed);
            total += s;
        }
        if (sum > 0) {
            assertThat(total).isGreaterThanOrEqualTo(absorbed);
            assertThat(total).isLessThanOrEqualTo(absorbed + survivorWeights.size());
        }
    }

    /** Whatever the session series, the forecast is finite and non-negative. */
    @Property(tries = 300)
    void forecastIsFiniteAndNonNegative(@ForAll @Size(min = 1, max = 200) List<@IntRange(min = 0, max = 1_000_000) Integer> series,
            @ForAll @IntRange(min = 1, max = 60) int gap, @ForAll @IntRange(min = 0, max = 86_400) int horizon) {
        HoltForecast f = HoltForecast.start(T0, series.get(0));
        for (int i = 1; i < series.size(); i++) {
            f = f.update(T0.plusSeconds((long) gap * i), series.get(i));
        }
        double v = f.forecast(Duration.ofSeconds(horizon));
        assertThat(Double.isFinite(v)).isTrue();
        assertThat(v).isGreaterThanOrEqualTo(0);
    }

    /** Scale-down pods are chosen emptiest first: more sessions by three buckets never means a lower cost. */
    @Property(tries = 500)
    void deletionCostKeepsTheRanking(@ForAll @Size(min = 2, max = 30) List<@LongRange(min = 0, max = 100_000) Long> before,
            @ForAll @Size(min = 2, max = 30) List<@LongRange(min = 0, max = 100_000) Long> after,
            @ForAll @IntRange(min = 1, max = 100_000) int perReplica) {
        long q = DeletionCost.quantum(perReplica);
        int n = Math.min(before.size(), after.size());
        List<Integer> annotated = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c = DeletionCost.cost(before.get(i), q);
            // sessions move on; the annotation is rewritten only when needed
            if (DeletionCost.needsUpdate(c, after.get(i), q)) {
                c = DeletionCost.cost(after.get(i), q);
            }
            annotated.add(c);
            assertThat(Math.abs((long) c - DeletionCost.cost(after.get(i), q))).isLessThanOrEqualTo(1);
        }
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (after.get(a) + 3 * q <= after.get(b)) {
                    assertThat(annotated.get(a)).isLessThan(annotated.get(b));
                }
            }
        }
    }
}
