package dev.lifeline.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.RestartSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class RestartBudgetTest {

    static final Instant T0 = TestClock.T0;
    /** 5 per hour, 10 s doubling to 300 s: the spec defaults. */
    static final RestartPolicy DEFAULTS = RestartPolicy.from(new RestartSpec());

    @Test
    void backoffDoublesUpToTheCap() {
        assertThat(DEFAULTS.delayBefore(0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(DEFAULTS.delayBefore(1)).isEqualTo(Duration.ofSeconds(20));
        assertThat(DEFAULTS.delayBefore(4)).isEqualTo(Duration.ofSeconds(160));
        assertThat(DEFAULTS.delayBefore(5)).isEqualTo(Duration.ofSeconds(300));
        assertThat(DEFAULTS.delayBefore(500)).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void restartsWithBackoffUntilTheBudgetIsSpentThenRefills() {
        RestartBudget.State s = RestartBudget.observe(RestartBudget.State.EMPTY, T0, true);
        assertThat(RestartBudget.evaluate(s, T0, DEFAULTS)).isEqualTo(new RestartBudget.Wait(T0.plusSeconds(10), 0, 5));
        Instant t = T0.plusSeconds(10);
        List<Instant> done = new ArrayList<>();
        // expected restart times: 10, +20, +40, +80, +160
        long[] gaps = {0, 20, 40, 80, 160};
        for (int i = 0; i < 5; i++) {
            t = t.plusSeconds(gaps[i]);
            s = RestartBudget.observe(s, t.minusSeconds(1), true);
            assertThat(RestartBudget.evaluate(s, t.minusSeconds(1), DEFAULTS)).isInstanceOf(RestartBudget.Wait.class);
            s = RestartBudget.observe(s, t, true);
            assertThat(RestartBudget.evaluate(s, t, DEFAULTS)).isEqualTo(new RestartBudget.RestartNow(i + 1, 5));
            s = RestartBudget.recordRestart(s, t);
            done.add(t);
        }
        // the last restart gets its backoff (capped at 300 s) before the budget counts as spent
        s = RestartBudget.observe(s, t.plusSeconds(299), true);
        assertThat(RestartBudget.evaluate(s, t.plusSeconds(299), DEFAULTS))
                .isEqualTo(new RestartBudget.Wait(t.plusSeconds(300), 5, 5));
        Instant later = t.plusSeconds(300);
        s = RestartBudget.observe(s, later, true);
        assertThat(RestartBudget.evaluate(s, later, DEFAULTS))
                .isEqualTo(new RestartBudget.Exhausted(5, done.get(0).plus(Duration.ofHours(1))));
        // an hour after the first restart, one restart is possible again (after the capped backoff)
        Instant refill = done.get(0).plus(Duration.ofHours(1)).plusSeconds(1);
        s = RestartBudget.observe(s, refill, true);
        assertThat(s.restarts()).hasSize(4);
        assertThat(RestartBudget.evaluate(s, refill, DEFAULTS)).isInstanceOf(RestartBudget.RestartNow.class);
    }

    @Test
    void nothingToDoWhenHealthyOrDisabled() {
        RestartBudget.State s = RestartBudget.observe(RestartBudget.State.EMPTY, T0, false);
        assertThat(s.troubleSince()).isNull();
        assertThat(RestartBudget.evaluate(s, T0, DEFAULTS)).isEqualTo(new RestartBudget.Idle());
        RestartPolicy off = new RestartPolicy(0, Duration.ofSeconds(10), Duration.ofSeconds(300));
        RestartBudget.State trouble = RestartBudget.observe(RestartBudget.State.EMPTY, T0, true);
        assertThat(RestartBudget.evaluate(trouble, T0.plusSeconds(3600), off)).isEqualTo(new RestartBudget.Idle());
    }

    @Test
    void troubleClearingResetsTheBackoffAnchorButNotTheBudget() {
        RestartBudget.State s = RestartBudget.recordRestart(RestartBudget.observe(RestartBudget.State.EMPTY, T0, true),
                T0.plusSeconds(10));
        s = RestartBudget.observe(s, T0.plusSeconds(100), false);
        assertThat(s.troubleSince()).isNull();
        assertThat(s.restarts()).hasSize(1);
        s = RestartBudget.observe(s, T0.plusSeconds(200), true);
        // one restart in the hour: wait 20 s after the new trouble began
        assertThat(RestartBudget.evaluate(s, T0.plusSeconds(200), DEFAULTS))
                .isEqualTo(new RestartBudget.Wait(T0.plusSeconds(220), 1, 5));
    }

    // ---- properties ------------------------------------------------------------------------------------------

    record Tick(int gapSeconds, boolean trouble) {
    }

    @Provide
    Arbitrary<List<Tick>> ticks() {
        return Combinators.combine(Arbitraries.integers().between(1, 120), Arbitraries.of(true, true, true, false))
                .as(Tick::new).list().ofMinSize(1).ofMaxSize(400);
    }

    /** Restarting whenever allowed never exceeds the hourly budget and never beats the backoff. */
    @Property(tries = 200)
    void budgetAndBackoffHold(@ForAll("ticks") List<Tick> ticks, @ForAll @IntRange(min = 1, max = 8) int max,
            @ForAll @IntRange(min = 1, max = 60) int backoff, @ForAll @IntRange(min = 0, max = 600) int extra) {
        RestartPolicy p = new RestartPolicy(max, Duration.ofSeconds(backoff), Duration.ofSeconds(backoff + extra));
        RestartBudget.State s = RestartBudget.State.EMPTY;
        Instant t = T0;
        List<Instant> restarts = new ArrayList<>();
        for (Tick tick : ticks) {
            t = t.plusSeconds(tick.gapSeconds());
            s = RestartBudget.observe(s, t, tick.trouble());
            RestartBudget.Verdict v = RestartBudget.evaluate(s, t, p);
            if (!tick.trouble()) {
                assertThat(v).isEqualTo(new RestartBudget.Idle());
            }
            if (v instanceof RestartBudget.RestartNow) {
                Instant now = t;
                long inHour = restarts.stream().filter(r -> r.isAfter(now.minus(Duration.ofHours(1)))).count();
                assertThat(inHour).isLessThan(max);
                if (!restarts.isEmpty()) {
                    Instant last = restarts.get(restarts.size() - 1);
                    assertThat(Duration.between(last, t)).isGreaterThanOrEqualTo(p.delayBefore((int) inHour));
                }
                assertThat(Duration.between(s.troubleSince(), t)).isGreaterThanOrEqualTo(p.backoff());
                s = RestartBudget.recordRestart(s, t);
                restarts.add(t);
            }
            if (v instanceof RestartBudget.Exhausted e) {
                assertThat(e.used()).isGreaterThanOrEqualTo(max);
                assertThat(e.refillAt()).isAfter(t);
            }
        }
    }
}
