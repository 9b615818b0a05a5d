package dev.lifeline.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.DnsSpec;
import dev.lifeline.operator.api.RerouteSpec;
import dev.lifeline.operator.policy.ReroutePlanner.DrainRequest;
import dev.lifeline.operator.policy.ReroutePlanner.Input;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

class ReroutePlannerTest {

    static final Instant T0 = TestClock.T0;
    static final String R = "eu-west-1";
    /** step 25 %, deadline 60 s, step interval 30 s (TTL 30, health check 10 s × 3). */
    static final ReroutePolicy DEFAULTS = ReroutePolicy.from(new RerouteSpec(), new DnsSpec());
    static final DrainRequest BREAKER = new DrainRequest(DrainCause.BREAKER_OPEN, "mediaServer breaker open");

    static Input healthy() {
        return new Input(100, null, true, false, null, true, true);
    }

    static Input drain(boolean capacityReady) {
        return new Input(100, BREAKER, false, capacityReady, null, true, true);
    }

    @Test
    void policyFromSpec() {
        assertThat(DEFAULTS.stepInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(DEFAULTS.steps()).isEqualTo(4);
        assertThat(DEFAULTS.stepWeight(100, 1)).isEqualTo(25);
        assertThat(DEFAULTS.stepWeight(255, 3)).isEqualTo(192);
        assertThat(DEFAULTS.stepWeight(3, 1)).isEqualTo(1);
        RerouteSpec r = new RerouteSpec();
        r.stepPercent = 30;
        assertThat(ReroutePolicy.from(r, new DnsSpec()).steps()).isEqualTo(4);
        DnsSpec slow = new DnsSpec();
        slow.ttlSeconds = 300;
        assertThat(ReroutePolicy.from(r, slow).stepInterval()).isEqualTo(Duration.ofSeconds(300));
        assertThat(DEFAULTS.holdDown(0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(DEFAULTS.holdDown(2)).isEqualTo(Duration.ofSeconds(120));
        assertThat(DEFAULTS.holdDown(99)).isEqualTo(Duration.ofSeconds(480));
    }

    @Test
    void drainWaitsForCapacityThenDrains() {
        RerouteState s = RerouteState.serving(100, T0);
        ReroutePlanner.Step st = ReroutePlanner.tick(R, s, T0.plusSeconds(1), drain(false), DEFAULTS);
        assertThat(st.state().phase()).isEqualTo(Phase.PRE_SCALING);
        assertThat(st.state().weight()).isEqualTo(100);
        assertThat(st.action()).isEmpty();
        assertThat(st.reason()).contains("waits for the surviving regions' capacity");
        st = ReroutePlanner.tick(R, st.state(), T0.plusSeconds(20), drain(true), DEFAULTS);
        assertThat(st.action()).contains(new Action.Drain(R, 100, DrainCause.BREAKER_OPEN));
        assertThat(st.reason()).contains("have the capacity");
        assertThat(st.state().phase()).isEqualTo(Phase.DRAINED);
        assertThat(st.state().weight()).isZero();
        assertThat(st.state().lastChangeAt()).isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void drainGoesAheadAtTheDeadline() {
        ReroutePlanner.Step st = ReroutePlanner.tick(R, RerouteState.serving(100, T0), T0, drain(false), DEFAULTS);
        st = ReroutePlanner.tick(R, st.state(), T0.plusSeconds(59), drain(false), DEFAULTS);
        assertThat(st.action()).isEmpty();
        st = ReroutePlanner.tick(R, st.state(), T0.plusSeconds(60), drain(false), DEFAULTS);
        assertThat(st.action()).containsInstanceOf(Action.Drain.class);
        assertThat(st.reason()).contains("deadline of 60 s");
    }

    @Test
    void drainIsCancelledWhenTheCauseGoesAwayBeforeTrafficMoved() {
        ReroutePlanner.Step st = ReroutePlanner.tick(R, RerouteState.serving(100, T0), T0, drain(false), DEFAULTS);
        st = ReroutePlanner.tick(R, st.state(), T0.plusSeconds(5), healthy(), DEFAULTS);
        assertThat(st.state().phase()).isEqualTo(Phase.SERVING);
        assertThat(st.state().weight()).isEqualTo(100);
        assertThat(st.action()).isEmpty();
    }

    @Test
    void restoresInStepsWithHealthBetweenThem() {
        RerouteState drained = new RerouteState(Phase.DRAINED, 0, T0, T0, 0, 0, DrainCause.BREAKER_OPEN);
        // hold-down: not before 30 s after the drain
        assertThat(ReroutePlanner.tick(R, drained, T0.plusSeconds(29), healthy(), DEFAULTS).action()).isEmpty();
        List<Action> actions = new ArrayList<>();
        RerouteState s = drained;
        for (int t = 30; t <= 200; t += 5) {
            ReroutePlanner.Step st = ReroutePlanner.tick(R, s, T0.plusSeconds(t), healthy(), DEFAULTS);
            st.action().ifPresent(actions::add);
            s = st.state();
        }
        assertThat(actions).containsExactly(new Action.RestoreStep(R, 0, 25, 1, 4), new Action.RestoreStep(R, 25, 50, 2, 4),
                new Action.RestoreStep(R, 50, 75, 3, 4), new Action.RestoreStep(R, 75, 100, 4, 4));
        assertThat(s.phase()).isEqualTo(Phase.SERVING);
        assertThat(s.weight()).isEqualTo(100);
        assertThat(s.lastChangeAt()).isEqualTo(T0.plusSeconds(120));
    }

    @Test
    void unhealthyDuringRestoreRollsBackAndHoldsDownLonger() {
        RerouteState restoring = new RerouteState(Phase.RESTORING, 50, T0, T0, 2, 0, null);
        Input sick = new Input(100, null, false, false, null, true, true);
        ReroutePlanner.Step st = ReroutePlanner.tick(R, restoring, T0.plusSeconds(3), sick, DEFAULTS);
        assertThat(st.action()).contains(new Action.Rollback(R, 50));
        assertThat(st.reason()).contains("rolled back").contains("60 s");
        assertThat(st.state().phase()).isEqualTo(Phase.DRAINED);
        assertThat(st.state().rollbacks()).isEqualTo(1);
        assertThat(st.state().cause()).isEqualTo(DrainCause.ROLLBACK);
        // hold-down doubled: 60 s after the rollback
        assertThat(ReroutePlanner.tick(R, st.state(), T0.plusSeconds(62), healthy(), DEFAULTS).action()).isEmpty();
        ReroutePlanner.Step again = ReroutePlanner.tick(R, st.state(), T0.plusSeconds(63), healthy(), DEFAULTS);
        assertThat(again.action()).contains(new Action.RestoreStep(R, 0, 25, 1, 4));
        assertThat(again.state().rollbacks()).isEqualTo(1);
    }

    @Test
    void specDrainDuringRestoreDrainsAfterPreScaling() {
        RerouteState restoring = new RerouteState(Phase.RESTORING, 50, T0, T0, 2, 0, null);
        Input spec = new Input(100, new DrainRequest(DrainCause.SPEC_DRAIN, "manual"), true, true, null, true, true);
        ReroutePlanner.Step st = ReroutePlanner.tick(R, restoring, T0.plusSeconds(3), spec, DEFAULTS);
        assertThat(st.action()).contains(new Action.Drain(R, 50, DrainCause.SPEC_DRAIN));
    }

    @Test
    void externalDrainIsAdoptedAndRestoredOnlyWhenTheQuorumSeesTheRegion() {
        // the region's operator was silent; its peers drained its record; it comes back believing it serves
        RerouteState serving = RerouteState.serving(100, T0);
        Input seen0 = new Input(100, null, true, false, 0, true, false);
        ReroutePlanner.Step st = ReroutePlanner.tick(R, serving, T0.plusSeconds(1), seen0, DEFAULTS);
        assertThat(st.action()).isEmpty();
        assertThat(st.state().phase()).isEqualTo(Phase.DRAINED);
        assertThat(st.state().cause()).isEqualTo(DrainCause.EXTERNAL);
        // the peers do not see it yet (partition): it stays drained however long
        ReroutePlanner.Step blocked = ReroutePlanner.tick(R, st.state(), T0.plusSeconds(1000), seen0, DEFAULTS);
        assertThat(blocked.action()).isEmpty();
        assertThat(blocked.reason()).contains("quorum");
        Input seenUp = new Input(100, null, true, false, 0, true, true);
        assertThat(ReroutePlanner.tick(R, st.state(), T0.plusSeconds(1000), seenUp, DEFAULTS).action())
                .contains(new Action.RestoreStep(R, 0, 25, 1, 4));
        // in dry-run (no adoption) the observed 0 is ignored
        assertThat(ReroutePlanner.tick(R, serving, T0.plusSeconds(1), new Input(100, null, true, false, 0, false, true),
                DEFAULTS).state()).isEqualTo(serving);
    }

    @Test
    void ownRecentChangeIsNotMistakenForAnExternalDrain() {
        RerouteState restoring = new RerouteState(Phase.RESTORING, 25, T0, T0, 1, 0, null);
        // Route 53 still shows 0 five seconds after our step to 25: not yet propagated, not an external drain
        Input lagging = new Input(100, null, true, false, 0, true, true);
        assertThat(ReroutePlanner.tick(R, restoring, T0.plusSeconds(5), lagging, DEFAULTS).state()).isEqualTo(restoring);
    }

    @Test
    void aRefusedDrainIsNeverFollowedByARestoreThatLowersTheWeight() {
        // the DNS API refused the drain (last healthy region): Route 53 still shows 100
        RerouteState drained = new RerouteState(Phase.DRAINED, 0, T0, T0, 0, 0, DrainCause.BREAKER_OPEN);
        Input stillOpen = new Input(100, BREAKER, false, false, 100, true, true);
        assertThat(ReroutePlanner.tick(R, drained, T0.plusSeconds(60), stillOpen, DEFAULTS).state()).isEqualTo(drained);
        // healthy again: back to serving with no DNS change, instead of "restoring" 100 → 25
        ReroutePlanner.Step st = ReroutePlanner.tick(R, drained, T0.plusSeconds(60),
                new Input(100, null, true, false, 100, true, true), DEFAULTS);
        assertThat(st.action()).isEmpty();
        assertThat(st.state().phase()).isEqualTo(Phase.SERVING);
        assertThat(st.reason()).contains("drain refused or undone");
        // partly there (60): continue from 60, the next step goes to 75
        ReroutePlanner.Step part = ReroutePlanner.tick(R, drained, T0.plusSeconds(60),
                new Input(100, null, true, false, 60, true, true), DEFAULTS);
        assertThat(part.action()).contains(new Action.RestoreStep(R, 60, 75, 3, 4));
        // within the grace period after our own drain, a lagging 100 is not believed
        assertThat(ReroutePlanner.tick(R, drained, T0.plusSeconds(5), new Input(100, null, true, false, 100, true, true),
                DEFAULTS).action()).isEmpty();
    }

    @Test
    void specWeightChangesAreFollowedWhileServing() {
        ReroutePlanner.Step st = ReroutePlanner.tick(R, RerouteState.serving(100, T0), T0.plusSeconds(1),
                new Input(40, null, true, false, 100, true, true), DEFAULTS);
        assertThat(st.state().weight()).isEqualTo(40);
        assertThat(st.action()).isEmpty();
        // a zero-weight region has nothing to drain
        ReroutePlanner.Step zero = ReroutePlanner.tick(R, RerouteState.serving(0, T0), T0.plusSeconds(1),
                new Input(0, BREAKER, false, false, null, true, true), DEFAULTS);
        assertThat(zero.action()).isEmpty();
        assertThat(zero.state().phase()).isEqualTo(Phase.DRAINED);
    }

    // ---- properties ------------------------------------------------------------------------------------------

    record Tick(int gapSeconds, boolean breakerOpen, boolean healthy, boolean capacity, boolean specDrain,
            Integer observed) {
    }

    /**
     * Flapping as runs: each run holds one (breaker, health, capacity) situation for 1..20 ticks of 0..40 s, so that
     * restores get far enough to be rolled back, and drains happen again and again.
     */
    @Provide
    Arbitrary<List<Tick>> flapping() {
        Arbitrary<Boolean> coin = Arbitraries.of(true, false);
        Arbitrary<Boolean> rare = Arbitraries.of(true, false, false, false, false, false, false, false);
        // what Route 53 shows: mostly unknown, sometimes 0 (drained by others), sometimes any weight (refused, by hand)
        Arbitrary<Integer> observed = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, Arbitraries.just((Integer) null)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 255)));
        Arbitrary<List<Tick>> run = Combinators.combine(Arbitraries.integers().between(1, 20),
                Arbitraries.integers().between(0, 40), Arbitraries.of(true, false, false), Arbitraries.of(true, true, false),
                coin, rare, observed)
                .as((len, gap, open, healthy, cap, spec, seen) -> {
                    List<Tick> ticks = new ArrayList<>();
                    for (int i = 0; i < len; i++) {
                        ticks.add(new Tick(gap, open, healthy, cap, spec && i == 0, i == 0 ? seen : null));
                    }
                    return ticks;
                });
        return run.list().ofMinSize(5).ofMaxSize(60)
                .map(runs -> runs.stream().flatMap(List::stream).toList());
    }

    @Provide
    Arbitrary<ReroutePolicy> policies() {
        return Combinators.combine(Arbitraries.integers().between(1, 100), Arbitraries.integers().between(0, 120),
                Arbitraries.integers().between(1, 120), Arbitraries.integers().between(0, 5))
                .as((pct, deadline, step, doublings) -> new ReroutePolicy(pct, Duration.ofSeconds(deadline),
                        Duration.ofSeconds(step), doublings));
    }

    /**
     * Flapping health cannot flap DNS: under any sequence of breaker/health/capacity/spec/Route 53 flips, the DNS
     * changes the planner decides in any window W are at most 2·⌊W/stepInterval⌋ + 3; a raise is stepInterval after
     * the previous change; two changes closer than that are a raise and then a lowering; the weight never exceeds
     * the target.
     */
    @Property(tries = 300)
    void dnsChangesAreBoundedUnderFlapping(@ForAll("policies") ReroutePolicy p, @ForAll("flapping") List<Tick> ticks,
            @ForAll @IntRange(min = 1, max = 255) int target, @ForAll @IntRange(min = 1, max = 900) int windowSeconds) {
        RerouteState s = RerouteState.serving(target, T0);
        Instant t = T0;
        List<Instant> changes = new ArrayList<>();
        Boolean lastWasRaise = null;
        for (Tick tick : ticks) {
            t = t.plusSeconds(tick.gapSeconds());
            DrainRequest drain = tick.specDrain() ? new DrainRequest(DrainCause.SPEC_DRAIN, "spec")
                    : tick.breakerOpen() ? BREAKER : null;
            Input in = new Input(target, drain, tick.healthy() && !tick.breakerOpen(), tick.capacity(),
                    tick.observed(), true, true);
            ReroutePlanner.Step st = ReroutePlanner.tick(R, s, t, in, p);
            Optional<Action> a = st.action();
            if (a.isPresent()) {
                assertThat(a.get().changesDns()).isTrue();
                boolean raise = a.get() instanceof Action.RestoreStep;
                if (raise) {
                    Action.RestoreStep r = (Action.RestoreStep) a.get();
                    assertThat(r.toWeight()).isGreaterThan(r.fromWeight());
                    if (s.lastChangeAt() != null) {
                        assertThat(Duration.between(s.lastChangeAt(), t)).isGreaterThanOrEqualTo(p.stepInterval());
                    }
                }
                if (!changes.isEmpty() && Duration.between(changes.get(changes.size() - 1), t).compareTo(p.stepInterval()) < 0) {
                    // changes closer than the step interval come only as a raise followed by a lowering
                    assertThat(lastWasRaise).as("close changes: previous was a raise").isTrue();
                    assertThat(raise).as("close changes: this one lowers").isFalse();
                }
                lastWasRaise = raise;
                changes.add(t);
            }
            assertThat(st.state().weight()).isBetween(0, target);
            if (a.isPresent() && a.get() instanceof Action.RestoreStep r && tick.observed() != null
                    && (s.lastChangeAt() == null || !t.isBefore(s.lastChangeAt().plus(p.stepInterval())))) {
                // a restore step never lowers what Route 53 shows (once our own last change has had time to land)
                assertThat(r.toWeight()).isGreaterThan(Math.min(tick.observed(), target - 1));
            }
            s = st.state();
        }
        // not vacuous: most runs drain, restore and roll back several times
        Statistics.label("DNS changes > 3").collect(changes.size() > 3);
        Statistics.label("DNS changes > 3").coverage(c -> c.check(true).percentage(pc -> pc > 60));
        Duration w = Duration.ofSeconds(windowSeconds);
        long bound = ReroutePlanner.maxChanges(w, p.stepInterval());
        for (int i = 0; i < changes.size(); i++) {
            Instant end = changes.get(i).plus(w);
            long inWindow = changes.stream().filter(c -> !c.isBefore(changes.get(0)) && c.isBefore(end)).count()
                    - changes.subList(0, i).size();
            assertThat(inWindow).as("changes in [%s, +%s)", changes.get(i), w).isLessThanOrEqualTo(bound);
        }
    }

    /** A region left healthy long enough always comes back to its full weight, in at most `steps` raises. */
    @Property(tries = 200)
    void healthyRegionAlwaysComesBackFully(@ForAll("policies") ReroutePolicy p,
            @ForAll @IntRange(min = 1, max = 255) int target, @ForAll @IntRange(min = 0, max = 4) int rollbacks) {
        RerouteState s = new RerouteState(Phase.DRAINED, 0, T0, T0, 0, rollbacks, DrainCause.BREAKER_OPEN);
        Instant t = T0;
        int raises = 0;
        Input in = new Input(target, null, true, false, null, true, true);
        for (int i = 0; i < 200 && s.phase() != Phase.SERVING; i++) {
            t = t.plus(p.stepInterval());
            ReroutePlanner.Step st = ReroutePlanner.tick(R, s, t, in, p);
            if (st.action().isPresent()) {
                raises++;
            }
            s = st.state();
        }
        assertThat(s.phase()).isEqualTo(Phase.SERVING);
        assertThat(s.weight()).isEqualTo(target);
        assertThat(raises).isBetween(1, p.steps());
    }
}
