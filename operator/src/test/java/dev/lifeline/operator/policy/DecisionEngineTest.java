package dev.lifeline.operator.policy;

import static dev.lifeline.operator.policy.Fixtures.AP;
import static dev.lifeline.operator.policy.Fixtures.EU;
import static dev.lifeline.operator.policy.Fixtures.US;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.api.HistoryEntry;
import dev.lifeline.operator.api.RealtimePlatformSpec;
import dev.lifeline.operator.api.RegionHealth;
import dev.lifeline.operator.policy.BreakerState.State;
import dev.lifeline.operator.policy.Decision.Execution;
import dev.lifeline.operator.policy.Fixtures.Snapshot;
import dev.lifeline.operator.policy.Observations.PodObservation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

class DecisionEngineTest {

    static final List<String> ALL = List.of(US, EU, AP);

    /** Drives the engine tick by tick, remembering state and every decision. */
    static final class Driver {
        final TestClock clock = new TestClock();
        final DecisionEngine engine = new DecisionEngine(clock);
        final RealtimePlatformSpec spec;
        EngineState state = EngineState.initial();
        Decisions last;
        final List<Decision> log = new ArrayList<>();
        final List<Instant> logTimes = new ArrayList<>();

        Driver(RealtimePlatformSpec spec) {
            this.spec = spec;
        }

        Decisions tick(Observations obs) {
            last = engine.decide(obs, spec, state);
            state = last.state();
            for (Decision d : last.decisions()) {
                log.add(d);
                logTimes.add(last.at());
            }
            return last;
        }

        /** Ticks every {@code every} seconds for {@code seconds}, building each snapshot at the current time. */
        void run(long seconds, long every, Function<Instant, Observations> obs) {
            for (long t = 0; t < seconds; t += every) {
                tick(obs.apply(clock.instant()));
                clock.advanceSeconds(every);
            }
        }

        <A extends Action> List<A> logged(Class<A> type) {
            return log.stream().map(Decision::action).filter(type::isInstance).map(type::cast).toList();
        }

        Instant timeOf(Action a) {
            for (int i = 0; i < log.size(); i++) {
                if (log.get(i).action().equals(a)) {
                    return logTimes.get(i);
                }
            }
            return null;
        }
    }

    /** us-east-1 local; peers alive with plenty of capacity; media pods as given. */
    static Observations usWith(Instant now, List<PodObservation> media, int ready, Integer usWeight) {
        Snapshot s = new Snapshot(US).allAlive(now, ALL, 1000, 5000);
        s.healthyLocal(4, 250);
        s.component(Component.MEDIA_SERVER, 4, ready, media);
        s.region(US, now, Phase.SERVING, 1000L, 2000L, null, true, usWeight);
        return s.build();
    }

    static List<PodObservation> crashLoopingMedia() {
        List<PodObservation> pods = new ArrayList<>(Fixtures.healthyPods("media", 3, 250));
        pods.add(new PodObservation("media-3", false, null, true, false, null, null));
        return pods;
    }

    @Test
    void crashLoopRestartsWithBackoffThenBudgetOpensBreakerDrainsAndRestoresInSteps() {
        Driver d = new Driver(Fixtures.spec(US, EU, AP));
        Instant t0 = d.clock.instant();
        d.run(620, 2, now -> usWith(now, crashLoopingMedia(), 3, 100));

        List<Action.Restart> restarts = d.logged(Action.Restart.class);
        assertThat(restarts).hasSize(5).allSatisfy(r -> assertThat(r.pods()).containsExactly("media-3"));
        // 10 s after the trouble, then 20, 40, 80, 160 s after each previous restart
        List<Long> at = restarts.stream().map(r -> Duration.between(t0, d.timeOf(r)).toSeconds()).toList();
        assertThat(at).containsExactly(10L, 30L, 70L, 150L, 310L);

        // when the sixth restart would be due (300 s, the capped backoff, after the fifth) and the pod still crash-loops,
        // the budget is spent: the breaker opens, and the region drains in the same decision
        Action.BreakerTransition open = new Action.BreakerTransition(US, Component.MEDIA_SERVER, State.CLOSED, State.OPEN);
        assertThat(d.logged(Action.BreakerTransition.class)).containsExactly(open);
        Instant openedAt = d.timeOf(open);
        assertThat(Duration.between(t0, openedAt).toSeconds()).isEqualTo(610);
        Decision openDecision = d.log.stream().filter(x -> x.action().equals(open)).findFirst().orElseThrow();
        assertThat(openDecision.reason()).contains("restart budget spent").contains("5 restarts");
        assertThat(openDecision.execution()).isEqualTo(Execution.RECORD);
        assertThat(d.logged(Action.Drain.class)).containsExactly(new Action.Drain(US, 100, DrainCause.BREAKER_OPEN));
        assertThat(d.timeOf(new Action.Drain(US, 100, DrainCause.BREAKER_OPEN))).isEqualTo(openedAt);
        assertThat(d.last.localPhase()).isEqualTo(Phase.DRAINED);
        assertThat(d.last.localWeight()).isZero();
        assertThat(d.last.health()).containsEntry(US, RegionHealth.DOWN).containsEntry(EU, RegionHealth.HEALTHY);
        assertThat(d.state.breakerStatuses()).anySatisfy(b -> {
            assertThat(b.component).isEqualTo("mediaServer");
            assertThat(b.state).isEqualTo("Open");
        });

        // recovery: all pods fine. Half-open after 30 s, closed after 3 good probes, then 4 restore steps 30 s apart
        d.log.clear();
        d.logTimes.clear();
        Instant recovery = d.clock.instant();
        d.run(400, 2, now -> usWith(now, Fixtures.healthyPods("media", 4, 250), 4, null));
        assertThat(d.logged(Action.BreakerTransition.class)).containsExactly(
                new Action.BreakerTransition(US, Component.MEDIA_SERVER, State.OPEN, State.HALF_OPEN),
                new Action.BreakerTransition(US, Component.MEDIA_SERVER, State.HALF_OPEN, State.CLOSED));
        List<Action.RestoreStep> steps = d.logged(Action.RestoreStep.class);
        assertThat(steps).extracting(Action.RestoreStep::toWeight).containsExactly(25, 50, 75, 100);
        for (int i = 1; i < steps.size(); i++) {
            assertThat(Duration.between(d.timeOf(steps.get(i - 1)), d.timeOf(steps.get(i))))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        }
        assertThat(d.timeOf(steps.get(0))).isAfter(recovery);
        assertThat(d.logged(Action.Restart.class)).isEmpty();
        assertThat(d.logged(Action.Rollback.class)).isEmpty();
        assertThat(d.last.localPhase()).isEqualTo(Phase.SERVING);
        assertThat(d.last.localWeight()).isEqualTo(100);
        assertThat(d.last.health()).containsEntry(US, RegionHealth.HEALTHY);
    }

    @Test
    void replicasStillStartingAreNoBadSampleSoANewRegionIsNeitherRestartedNorDrained() {
        Driver d = new Driver(Fixtures.spec(US, EU, AP));
        // A new platform on a busy node: all four relays run but their startup probes take two minutes to pass.
        List<PodObservation> starting = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            starting.add(new PodObservation("media-" + i, false, null, false, false, null, null));
        }
        d.run(120, 2, now -> usWith(now, starting, 0, 100));
        // then one of them is up while three still start
        List<PodObservation> oneUp = new ArrayList<>(Fixtures.healthyPods("media", 1, 250));
        oneUp.addAll(starting.subList(1, 4));
        d.run(30, 2, now -> usWith(now, oneUp, 1, 100));

        assertThat(d.logged(Action.BreakerTransition.class)).isEmpty();
        assertThat(d.logged(Action.Restart.class)).isEmpty();
        assertThat(d.logged(Action.Drain.class)).isEmpty();
        assertThat(d.last.localWeight()).isEqualTo(100);
    }

    @Test
    void lowReadinessOpensTheBreakerByFailureRate() {
        Driver d = new Driver(Fixtures.spec(US, EU, AP));
        // 1 of 4 media pods ready (others starting, unready for less than the grace): bad samples every 2 s
        List<PodObservation> starting = new ArrayList<>(Fixtures.healthyPods("media", 1, 250));
        for (int i = 1; i < 4; i++) {
            starting.add(new PodObservation("media-" + i, false, d.clock.instant(), false, false, null, null));
        }
        d.run(30, 2, now -> usWith(now, starting, 1, 100));
        Action.BreakerTransition open = new Action.BreakerTransition(US, Component.MEDIA_SERVER, State.CLOSED, State.OPEN);
        assertThat(d.logged(Action.BreakerTransition.class)).containsExactly(open);
        // the 10th sample, 18 s in, reaches minimumSamples at 100 % failures
        assertThat(Duration.between(TestClock.T0, d.timeOf(open)).toSeconds()).isEqualTo(18);
        assertThat(d.logged(Action.Restart.class)).isEmpty(); // unready within the grace period is not a restart case
        assertThat(d.last.notes()).noneMatch(n -> n.contains("minimumSamples"));
        assertThat(d.logged(Action.Drain.class)).singleElement().satisfies(x -> assertThat(x.cause())
                .isEqualTo(DrainCause.BREAKER_OPEN));
    }

    @Test
    void drainWaitsForTheSurvivorsCapacityOrTheDeadline() {
        Driver d = new Driver(Fixtures.spec(US, EU, AP));
        List<PodObservation> none = List.of();
        // survivors full: capacity = sessions, so nothing spare for us-east-1's 1000 sessions
        Function<Instant, Observations> full = now -> {
            Snapshot s = new Snapshot(US).allAlive(now, ALL, 1000, 1000);
            s.healthyLocal(4, 250).component(Component.MEDIA_SERVER, 4, 0, none);
            s.region(US, now, Phase.SERVING, 1000L, 2000L, null, true, 100);
            return s.build();
        };
        d.run(20, 2, full); // breaker opens at 18 s
        assertThat(d.last.localPhase()).isEqualTo(Phase.PRE_SCALING);
        assertThat(d.last.notes()).anySatisfy(n -> assertThat(n).contains("waits for the surviving regions' capacity"));
        d.run(58, 2, full);
        assertThat(d.logged(Action.Drain.class)).isEmpty();
        d.run(4, 2, full);
        assertThat(d.log).filteredOn(x -> x.action() instanceof Action.Drain).singleElement()
                .satisfies(x -> assertThat(x.reason()).contains("deadline of 60 s"));
    }

    @Test
    void drainGoesAheadAsSoonAsTheSurvivorsCapacityIsReadyBeforeTheDeadline() {
        Driver d = new Driver(Fixtures.spec(US, EU, AP));
        long[] survivorCapacity = {1000}; // full at first: nothing spare for us-east-1's 1000 sessions
        Function<Instant, Observations> obs = now -> {
            Snapshot s = new Snapshot(US).allAlive(now, ALL, 1000, survivorCapacity[0]);
            s.healthyLocal(4, 250).component(Component.MEDIA_SERVER, 4, 0, List.of());
            s.region(US, now, Phase.SERVING, 1000L, 2000L, null, true, 100);
            return s.build();
        };
        d.run(30, 2, obs); // breaker opens at 18 s
        assertThat(d.last.localPhase()).isEqualTo(Phase.PRE_SCALING);
        assertThat(d.logged(Action.Drain.class)).isEmpty();

        // the survivors' new relays report ready: 500 spare each, 1000 together
        survivorCapacity[0] = 1500;
        Instant ready = d.clock.instant();
        d.run(2, 2, obs);

        assertThat(d.log).filteredOn(x -> x.action() instanceof Action.Drain).singleElement()
                .satisfies(x -> assertThat(x.reason()).contains("have the capacity for its sessions"));
        assertThat(d.timeOf(d.logged(Action.Drain.class).get(0))).isEqualTo(ready);
        assertThat(Duration.between(TestClock.T0, ready)).isLessThan(Duration.ofSeconds(18 + 60));
    }

    @Test
    void anIntervalWithoutASessionReadingLeavesTheForecastAlone() {
        Driver d = new Driver(Fixtures.spec(US, EU, AP));
        Function<Long, Observations> withSessions = sessions -> {
            Snapshot s = new Snapshot(EU).allAlive(d.clock.instant(), ALL, 1000, 5000);
            s.healthyLocal(2, 0).component(Component.MEDIA_SERVER, 2, 2, List.of(
                    new PodObservation("media-0", true, null, false, false, null, null)));
            s.region(EU, d.clock.instant(), Phase.SERVING, sessions, null, null, true, 100);
            return s.build();
        };
        long every = EngineSettings.DEFAULTS.forecastSampling().toSeconds(); // one forecast sample per 30 s
        for (int i = 0; i < 3; i++) {
            d.tick(withSessions.apply(1000L));
            d.clock.advanceSeconds(every);
        }
        HoltForecast known = d.state.forecast();

        d.tick(withSessions.apply(null)); // relays unreadable this interval
        assertThat(d.state.forecast()).isEqualTo(known);

        d.clock.advanceSeconds(every);
        d.tick(withSessions.apply(0L)); // a real zero is a sample
        assertThat(d.state.forecast().at()).isAfter(known.at());
    }

    @Test
    void survivorsPreScaleForAPeerAboutToDrainSpreadByWeight() {
        RealtimePlatformSpec spec = Fixtures.spec(US, EU, AP);
        spec.regions.get(2).weight = 50; // ap-south-1 takes half as much traffic as eu-west-1
        Driver d = new Driver(spec);
        Instant now = d.clock.instant();
        Snapshot s = new Snapshot(EU).allAlive(now, ALL, 1000, 5000);
        s.healthyLocal(2, 500);
        s.region(US, now, Phase.PRE_SCALING, 3000L, 4000L, Map.of(US, now, EU, now, AP, now), true, 100);
        Decisions out = d.tick(s.build());
        // eu's share of us' 3000 sessions: 3000 × 100 / 150 = 2000; (1000 + 2000) × 1.2 / 500 = 7.2 → 8
        assertThat(out.actions(Action.ScaleTo.class)).containsExactly(new Action.ScaleTo(EU, Component.MEDIA_SERVER, 2, 8));
        assertThat(out.decisions()).filteredOn(x -> x.action() instanceof Action.ScaleTo).singleElement()
                .satisfies(x -> {
                    assertThat(x.reason()).contains("share 2000 of 3000");
                    assertThat(x.action().kind()).isEqualTo("PreScale");
                });
        assertThat(out.health()).containsEntry(US, RegionHealth.DEGRADED);
    }

    @Test
    void survivorsPreScaleForTheSessionsAFailingPeerHadBeforeItsRelaysWentSilent() {
        RealtimePlatformSpec spec = Fixtures.spec(US, EU, AP);
        spec.regions.get(2).weight = 50;
        Driver d = new Driver(spec);
        java.util.function.BiFunction<Phase, Long, Observations> usReports = (phase, sessions) -> {
            Instant now = d.clock.instant();
            Snapshot s = new Snapshot(EU).allAlive(now, ALL, 1000, 5000);
            s.healthyLocal(2, 500);
            s.region(US, now, phase, sessions, 4000L, Map.of(US, now, EU, now, AP, now), true, 100);
            return s.build();
        };
        d.tick(usReports.apply(Phase.SERVING, 3000L));
        d.clock.advanceSeconds(2);
        d.tick(usReports.apply(Phase.SERVING, 0L)); // its relays crash: their heartbeats age out
        d.clock.advanceSeconds(2);
        Decisions out = d.tick(usReports.apply(Phase.PRE_SCALING, 0L)); // then its breaker opens
        // sized from the 3000 sessions it had, as if it had reported them: share 2000, (1000 + 2000) × 1.2 / 500 → 8
        assertThat(out.actions(Action.ScaleTo.class)).containsExactly(new Action.ScaleTo(EU, Component.MEDIA_SERVER, 2, 8));
    }

    @Test
    void scaleDownWaitsForAFullStabilizationWindow() {
        Driver d = new Driver(Fixtures.spec(US, EU, AP));
        // eu runs 10 replicas but needs only 3 for its 1000 sessions
        Function<Instant, Observations> calm = now -> {
            Snapshot s = new Snapshot(EU).allAlive(now, ALL, 1000, 5000);
            s.healthyLocal(10, 100);
            return s.build();
        };
        d.run(298, 2, calm);
        assertThat(d.logged(Action.ScaleTo.class)).isEmpty();
        d.run(4, 2, calm);
        assertThat(d.logged(Action.ScaleTo.class)).containsExactly(new Action.ScaleTo(EU, Component.MEDIA_SERVER, 10, 3));
    }

    /** Two media pods unready since {@code since}, each saying in its heartbeat it is {@code busy}. */
    private static Function<Instant, Observations> mediaUnready(Instant since, Busy busy) {
        return now -> {
            Snapshot s = new Snapshot(US).allAlive(now, List.of(US, EU), 1000, 1000);
            s.healthyLocal(2, 500);
            s.component(Component.MEDIA_SERVER, 2, 0, List.of(
                    new PodObservation("media-0", false, since, false, false, 500L, null, busy),
                    new PodObservation("media-1", false, since, false, false, 500L, null, busy)));
            return s.build();
        };
    }

    @Test
    void fullRelaysAreNeverRestartedNeverABadSampleAndAskForMoreReplicas() {
        Driver d = new Driver(Fixtures.spec(US, EU));
        d.run(600, 2, mediaUnready(d.clock.instant(), Busy.FULL));
        assertThat(d.logged(Action.Restart.class)).isEmpty();
        assertThat(d.logged(Action.BreakerTransition.class)).isEmpty();
        assertThat(d.logged(Action.Drain.class)).isEmpty();
        // 1000 sessions × 1.2 / 500 per replica = 3 replicas
        assertThat(d.logged(Action.ScaleTo.class)).contains(new Action.ScaleTo(US, Component.MEDIA_SERVER, 2, 3));
    }

    @Test
    void theSameRelaysUnreadyWithoutSayingWhyAreRestarted() {
        Driver d = new Driver(Fixtures.spec(US, EU));
        d.run(600, 2, mediaUnready(d.clock.instant(), Busy.NO));
        assertThat(d.logged(Action.Restart.class)).isNotEmpty();
        assertThat(d.logged(Action.BreakerTransition.class)).isNotEmpty();
    }

    @Test
    void aDrainingRelayIsBusyUntilTheDrainDeadlineThenAStuckDrainIsRestarted() {
        Driver d = new Driver(Fixtures.spec(US, EU));
        Instant since = d.clock.instant();
        Duration deadline = Duration.ofSeconds(d.spec.failover.reroute.drainDeadlineSeconds);
        d.run(deadline.toSeconds() - 2, 2, mediaUnready(since, Busy.DRAINING));
        assertThat(d.logged(Action.Restart.class)).as("within the drain deadline").isEmpty();
        assertThat(d.logged(Action.BreakerTransition.class)).isEmpty();
        d.run(600, 2, mediaUnready(since, Busy.DRAINING));
        assertThat(d.logged(Action.Restart.class)).as("a drain stuck past its deadline").isNotEmpty();
    }

    /** Two media pods, each reporting this loss and lag in its heartbeat. */
    private static Function<Instant, Observations> relaysReporting(boolean ready, double loss, double lagMillis) {
        return now -> {
            Snapshot s = new Snapshot(US).allAlive(now, List.of(US, EU), 100, 1000);
            s.healthyLocal(2, 50);
            RelayReport report = new RelayReport(Busy.NO, loss, lagMillis);
            s.component(Component.MEDIA_SERVER, 2, ready ? 2 : 0, List.of(
                    new PodObservation("media-0", ready, ready ? null : Instant.EPOCH, false, false, 50L, null, report),
                    new PodObservation("media-1", ready, ready ? null : Instant.EPOCH, false, false, 50L, null,
                            report)));
            return s.build();
        };
    }

    @Test
    void sustainedPacketLossOnMostRelaysIsABadSampleAndOpensTheBreaker() {
        Driver lossy = new Driver(Fixtures.spec(US, EU));
        lossy.run(120, 2, relaysReporting(true, 0.20, 1));
        assertThat(lossy.logged(Action.BreakerTransition.class))
                .anySatisfy(t -> assertThat(t.to()).isEqualTo(State.OPEN));

        Driver fine = new Driver(Fixtures.spec(US, EU));
        fine.run(120, 2, relaysReporting(true, 0.04, 1)); // under the default 5 %
        assertThat(fine.logged(Action.BreakerTransition.class)).isEmpty();
    }

    @Test
    void sustainedEventLoopLagScalesUpOneReplicaPerPeriodAndRestartsNothing() {
        Driver d = new Driver(Fixtures.spec(US, EU));
        Instant start = d.clock.instant();
        d.run(28, 2, relaysReporting(false, 0, 500));
        assertThat(d.logged(Action.ScaleTo.class)).as("not sustained for 30 s yet").isEmpty();
        d.run(100, 2, relaysReporting(false, 0, 500));
        List<Action.ScaleTo> scaled = d.logged(Action.ScaleTo.class);
        // the Deployment stays at 2 here (nothing applies the decision): at most one replica more per 30 s
        assertThat(scaled).isNotEmpty().allSatisfy(x -> assertThat(x).isEqualTo(
                new Action.ScaleTo(US, Component.MEDIA_SERVER, 2, 3)));
        assertThat(scaled).hasSizeBetween(3, 5);
        assertThat(d.timeOf(scaled.get(0))).isAfterOrEqualTo(start.plusSeconds(30));
        assertThat(d.logged(Action.Restart.class)).as("lagging relays are busy, not broken").isEmpty();
        assertThat(d.logged(Action.BreakerTransition.class)).isEmpty();
    }

    @Test
    void aSilentOperatorWhoseServiceAnswersIsAControlPlaneFaultNeverADrain() {
        Driver us = new Driver(Fixtures.spec(US, EU, AP));
        us.run(120, 2, now -> {
            Instant old = now.minusSeconds(60);
            Snapshot s = new Snapshot(US);
            Map<String, Instant> v = Map.of(US, now, EU, now, AP, old);
            s.region(US, now, Phase.SERVING, 1000L, 5000L, v, true, 100);
            s.region(EU, now, Phase.SERVING, 1000L, 5000L, v, true, 100);
            s.region(AP, old, Phase.SERVING, 2000L, 5000L, Map.of(US, old, EU, old, AP, old), null, 100);
            // only the relays' own heartbeats say AP serves; Route 53 and the probe have no verdict
            s.service(AP, new ServiceEvidence(ServiceSignal.ANSWERS, ServiceSignal.UNKNOWN, ServiceSignal.UNKNOWN));
            s.healthyLocal(2, 500);
            return s.build();
        });
        assertThat(us.logged(Action.Drain.class)).isEmpty();
        // its own 1000 sessions need ⌈1000 × 1.2 / 500⌉ = 3; absorbing half of AP's 2000 would need 5
        assertThat(us.logged(Action.ScaleTo.class)).as("AP's sessions stay where they are")
                .extracting(Action.ScaleTo::replicas).containsOnly(3);
        assertThat(us.last.quorum().down()).isEmpty();
        assertThat(us.last.silentControlPlanes()).containsOnlyKeys(AP);
        assertThat(us.last.silentControlPlanes().get(AP).service()).isEqualTo(ServiceState.ALIVE);
        assertThat(us.last.health()).containsEntry(AP, RegionHealth.DEGRADED);
    }

    @Test
    void aSilentOperatorWhoseServiceCannotBeJudgedIsADoubtNeverADrain() {
        Driver us = new Driver(Fixtures.spec(US, EU, AP));
        us.run(120, 2, now -> {
            Instant old = now.minusSeconds(60);
            Snapshot s = new Snapshot(US);
            Map<String, Instant> v = Map.of(US, now, EU, now, AP, old);
            s.region(US, now, Phase.SERVING, 1000L, 5000L, v, true, 100);
            s.region(EU, now, Phase.SERVING, 1000L, 5000L, v, true, 100);
            s.region(AP, old, Phase.SERVING, 2000L, 5000L, Map.of(US, old, EU, old, AP, old), null, 100);
            // the table shows no fresh instance, but nothing could be probed: not enough to drain
            s.service(AP, new ServiceEvidence(ServiceSignal.SILENT, ServiceSignal.SILENT, ServiceSignal.UNKNOWN));
            s.healthyLocal(2, 500);
            return s.build();
        });
        assertThat(us.logged(Action.Drain.class)).isEmpty();
        assertThat(us.last.silentControlPlanes().get(AP).service()).isEqualTo(ServiceState.IN_DOUBT);
        assertThat(us.last.health()).containsEntry(AP, RegionHealth.UNKNOWN);
    }

    @Test
    void aMomentOfDoubtDuringAnOutageDoesNotMakeItANewOne() {
        Driver us = new Driver(Fixtures.spec(US, EU, AP));
        Function<ServiceEvidence, Function<Instant, Observations>> view = evidence -> now -> {
            Instant old = now.minusSeconds(60);
            Snapshot s = new Snapshot(US);
            Map<String, Instant> v = Map.of(US, now, EU, now, AP, old);
            s.region(US, now, Phase.SERVING, 1000L, 5000L, v, true, 100);
            s.region(EU, now, Phase.SERVING, 1000L, 5000L, v, true, 100);
            s.region(AP, old, Phase.SERVING, 2000L, 5000L, Map.of(US, old, EU, old, AP, old), false, 100);
            s.service(AP, evidence);
            s.healthyLocal(2, 500);
            return s.build();
        };
        us.run(4, 2, view.apply(Fixtures.SERVICE_DOWN));
        assertThat(us.logged(Action.Drain.class)).hasSize(1);
        // one interval the instance heartbeats could not be read: in doubt, not drained again, not forgotten
        us.run(2, 2, view.apply(new ServiceEvidence(ServiceSignal.UNKNOWN, ServiceSignal.SILENT, ServiceSignal.SILENT)));
        assertThat(us.state.peerDrainsIssued()).containsKey(AP);
        us.run(4, 2, view.apply(Fixtures.SERVICE_DOWN));
        assertThat(us.logged(Action.Drain.class)).as("re-asserted only after the step interval").hasSize(1);
    }

    /**
     * A region lost a second ago: its last heartbeat is far inside the 6 s stale-after, but both survivors' detectors
     * suspect it (the peer's vote published in its heartbeat) and its data plane is gone.
     */
    private static Function<Instant, Observations> lostASecondAgo(ServiceEvidence apService, boolean euVotes,
            boolean usSuspects) {
        return now -> {
            Instant lastAp = now.minusMillis(1200);
            Snapshot s = new Snapshot(US);
            Map<String, Instant> v = Map.of(US, now, EU, now, AP, lastAp);
            s.region(US, now, Phase.SERVING, 1000L, 5000L, v, true, 100);
            s.region(EU, now, Phase.SERVING, 1000L, 5000L, v, true, 100);
            s.region(AP, lastAp, Phase.SERVING, 2000L, 5000L, Map.of(US, lastAp, EU, lastAp, AP, lastAp), false, 100);
            s.service(AP, apService);
            s.detected(AP, new Suspicion(usSuspects ? 9.5 : 2.0, 8, Duration.ofMillis(1200)), null);
            s.detected(EU, new Suspicion(0.3, 8, Duration.ofMillis(200)), euVotes ? java.util.Set.of(AP)
                    : java.util.Set.of());
            s.healthyLocal(2, 500);
            return s.build();
        };
    }

    @Test
    void aSuspectedPeerWhoseServiceIsGoneIsDrainedBeforeItsHeartbeatIsStaleAndTheReasonSaysSo() {
        Driver us = new Driver(Fixtures.spec(US, EU, AP));
        us.run(1, 2, lostASecondAgo(Fixtures.SERVICE_DOWN, true, true));
        assertThat(us.logged(Action.Drain.class)).containsExactly(new Action.Drain(AP, 100, DrainCause.QUORUM_DOWN));
        assertThat(us.log.stream().filter(x -> x.action() instanceof Action.Drain).findFirst().orElseThrow().reason())
                .contains("suspected by the failure detector (phi 9.5 >= 8 after 1.2 s without a heartbeat) as seen")
                .contains("2 of 3 regions").contains("service down").doesNotContain("older than");
        assertThat(us.last.health()).containsEntry(AP, RegionHealth.DOWN);
    }

    @Test
    void aSuspicionAloneIsNeverADrainNorAReportedControlPlaneFault() {
        // The service answers (a leader change, a slow table call): no drain, and no ControlPlaneSilent either.
        Driver alive = new Driver(Fixtures.spec(US, EU, AP));
        alive.run(1, 2, lostASecondAgo(Fixtures.SERVICE_ALIVE, true, true));
        assertThat(alive.logged(Action.Drain.class)).isEmpty();
        assertThat(alive.last.silentControlPlanes()).isEmpty();
        assertThat(alive.last.health()).doesNotContainEntry(AP, RegionHealth.DOWN);
        // The data plane is gone, but the other survivor does not suspect it (yet): no quorum, no drain.
        Driver noQuorum = new Driver(Fixtures.spec(US, EU, AP));
        noQuorum.run(1, 2, lostASecondAgo(Fixtures.SERVICE_DOWN, false, true));
        assertThat(noQuorum.logged(Action.Drain.class)).isEmpty();
        // Nor when only the peer suspects it and this region's detector does not.
        Driver notHere = new Driver(Fixtures.spec(US, EU, AP));
        notHere.run(1, 2, lostASecondAgo(Fixtures.SERVICE_DOWN, true, false));
        assertThat(notHere.logged(Action.Drain.class)).isEmpty();
        // A doubt about the data plane (the probe could not run) is no drain either.
        Driver doubt = new Driver(Fixtures.spec(US, EU, AP));
        doubt.run(1, 2, lostASecondAgo(new ServiceEvidence(ServiceSignal.SILENT, ServiceSignal.SILENT,
                ServiceSignal.UNKNOWN), true, true));
        assertThat(doubt.logged(Action.Drain.class)).isEmpty();
    }

    @Test
    void aSilentPeerIsDrainedByQuorumByExactlyOneRegion() {
        Driver us = new Driver(Fixtures.spec(US, EU, AP));
        Driver eu = new Driver(Fixtures.spec(US, EU, AP));
        Function<String, Function<Instant, Observations>> view = local -> now -> {
            Instant old = now.minusSeconds(60);
            Snapshot s = new Snapshot(local);
            Map<String, Instant> v = Map.of(US, now, EU, now, AP, old);
            s.region(US, now, Phase.SERVING, 1000L, 5000L, v, true, 100);
            s.region(EU, now, Phase.SERVING, 1000L, 5000L, v, true, 100);
            s.region(AP, old, Phase.SERVING, 2000L, 5000L, Map.of(US, old, EU, old, AP, old), false, 100);
            s.service(AP, Fixtures.SERVICE_DOWN);
            s.healthyLocal(2, 500);
            return s.build();
        };
        us.run(60, 2, view.apply(US));
        eu.run(60, 2, view.apply(EU));
        // us-east-1 (first in spec order) drains ap-south-1; re-asserted once per step interval (30 s) while
        // Route 53 still shows its weight; eu-west-1 leaves it to us-east-1
        assertThat(us.logged(Action.Drain.class)).containsExactly(new Action.Drain(AP, 100, DrainCause.QUORUM_DOWN),
                new Action.Drain(AP, 100, DrainCause.QUORUM_DOWN));
        assertThat(us.log.stream().filter(x -> x.action() instanceof Action.Drain).findFirst().orElseThrow().reason())
                .contains("2 of 3 regions");
        assertThat(eu.logged(Action.Drain.class)).isEmpty();
        assertThat(eu.last.notes()).anySatisfy(n -> assertThat(n).contains("us-east-1 drains its record"));
        assertThat(us.last.health()).containsEntry(AP, RegionHealth.DOWN);
        // both survivors pre-scale for half of ap's 2000 sessions: (1000 + 1000) × 1.2 / 500 = 5
        assertThat(us.logged(Action.ScaleTo.class)).contains(new Action.ScaleTo(US, Component.MEDIA_SERVER, 2, 5));
        assertThat(eu.logged(Action.ScaleTo.class)).contains(new Action.ScaleTo(EU, Component.MEDIA_SERVER, 2, 5));

        // once Route 53 shows weight 0, nothing more is sent
        Driver again = new Driver(Fixtures.spec(US, EU, AP));
        again.run(60, 2, now -> {
            Observations o = view.apply(US).apply(now);
            Map<String, Observations.RegionObservation> regions = new HashMap<>(o.regions());
            Observations.RegionObservation ap = regions.get(AP);
            regions.put(AP, new Observations.RegionObservation(AP, ap.lastHeartbeat(), ap.phase(), ap.activeSessions(),
                    ap.capacity(), ap.peerView(), false, 0));
            return new Observations(US, o.components(), regions, null);
        });
        assertThat(again.logged(Action.Drain.class)).isEmpty();
    }

    @Test
    void anIsolatedRegionDrainsNoOneAndDoesNotUndoItsOwnDrain() {
        Driver ap = new Driver(Fixtures.spec(US, EU, AP));
        boolean[] partitioned = {true};
        Function<Instant, Observations> apView = now -> {
            Instant seen = partitioned[0] ? now.minusSeconds(120) : now;
            Snapshot s = new Snapshot(AP);
            Map<String, Instant> theirView = Map.of(US, seen, EU, seen, AP, seen);
            s.region(US, seen, Phase.SERVING, 1000L, 5000L, theirView, true, 100);
            s.region(EU, seen, Phase.SERVING, 1000L, 5000L, theirView, true, 100);
            // the majority drained ap-south-1's record meanwhile; ap still reads Route 53
            s.region(AP, now, Phase.SERVING, 1000L, 5000L, null, true, partitioned[0] ? 0 : 25);
            s.healthyLocal(2, 500);
            return s.build();
        };
        ap.run(600, 2, apView);
        assertThat(ap.logged(Action.Drain.class)).isEmpty();
        assertThat(ap.logged(Action.RestoreStep.class)).isEmpty();
        assertThat(ap.last.quorum().isolated()).isTrue();
        assertThat(ap.last.localPhase()).isEqualTo(Phase.DRAINED);
        assertThat(ap.last.health()).containsEntry(US, RegionHealth.UNKNOWN).containsEntry(EU, RegionHealth.UNKNOWN);
        assertThat(ap.last.notes()).anySatisfy(n -> assertThat(n).contains("a quorum of regions does not see it alive"));

        // the partition heals: the others see ap again, so it comes back in steps (Route 53 follows the steps)
        partitioned[0] = false;
        int[] weight = {0};
        for (int i = 0; i < 100; i++) {
            Observations o = apView.apply(ap.clock.instant());
            Map<String, Observations.RegionObservation> regions = new HashMap<>(o.regions());
            Observations.RegionObservation self = regions.get(AP);
            regions.put(AP, new Observations.RegionObservation(AP, self.lastHeartbeat(), self.phase(),
                    self.activeSessions(), self.capacity(), null, true, weight[0]));
            for (Decision x : ap.tick(new Observations(AP, o.components(), regions, null)).decisions()) {
                if (x.action() instanceof Action.RestoreStep r) {
                    weight[0] = r.toWeight();
                }
            }
            ap.clock.advanceSeconds(2);
        }
        assertThat(ap.logged(Action.RestoreStep.class)).extracting(Action.RestoreStep::toWeight)
                .containsExactly(25, 50, 75, 100);
        assertThat(ap.last.localPhase()).isEqualTo(Phase.SERVING);
    }

    @Test
    void pausedTakesNoActionAtAll() {
        RealtimePlatformSpec spec = Fixtures.spec(US, EU, AP);
        spec.paused = true;
        Driver d = new Driver(spec);
        d.run(600, 2, now -> {
            Observations o = usWith(now, crashLoopingMedia(), 0, 100);
            Map<String, Observations.RegionObservation> regions = new HashMap<>(o.regions());
            Instant old = now.minusSeconds(60);
            regions.put(AP, new Observations.RegionObservation(AP, old, Phase.SERVING, 5000L, 5000L,
                    Map.of(US, old, EU, old, AP, old), false, 100));
            regions.put(EU, new Observations.RegionObservation(EU, now, Phase.PRE_SCALING, 5000L, 5000L,
                    Map.of(US, now, EU, now, AP, old), true, 100));
            return new Observations(US, o.components(), regions, null);
        });
        assertThat(d.log).isNotEmpty().allSatisfy(x -> {
            assertThat(x.execution()).isEqualTo(Execution.RECORD);
            assertThat(x.action()).isInstanceOf(Action.BreakerTransition.class);
        });
        // the breaker still tracks reality, so that status is truthful
        assertThat(d.logged(Action.BreakerTransition.class)).contains(
                new Action.BreakerTransition(US, Component.MEDIA_SERVER, State.CLOSED, State.OPEN));
        assertThat(d.last.localPhase()).isEqualTo(Phase.SERVING);
        assertThat(d.last.notes()).anySatisfy(n -> assertThat(n).contains("paused"));
        assertThat(d.last.notes()).as("says what it would have restarted")
                .anySatisfy(n -> assertThat(n).contains("need a restart").contains("the platform is paused"));
    }

    @Test
    void dryRunRecordsTheSamePlanWithoutApplyingIt() {
        Driver real = new Driver(Fixtures.spec(US, EU, AP));
        RealtimePlatformSpec drySpec = Fixtures.spec(US, EU, AP);
        drySpec.dryRun = true;
        Driver dry = new Driver(drySpec);
        real.run(620, 2, now -> usWith(now, crashLoopingMedia(), 3, 100));
        dry.run(620, 2, now -> usWith(now, crashLoopingMedia(), 3, 100));
        assertThat(dry.log).extracting(Decision::action).containsExactlyElementsOf(
                real.log.stream().map(Decision::action).toList());
        assertThat(dry.log).allSatisfy(x -> assertThat(x.execution()).isIn(Execution.DRY_RUN, Execution.RECORD));
        assertThat(dry.log).filteredOn(x -> !(x.action() instanceof Action.BreakerTransition))
                .isNotEmpty().allSatisfy(x -> assertThat(x.toApply()).isFalse());
        assertThat(real.log).filteredOn(x -> !(x.action() instanceof Action.BreakerTransition))
                .allSatisfy(x -> assertThat(x.execution()).isEqualTo(Execution.APPLY));
        Decision drain = dry.log.stream().filter(x -> x.action() instanceof Action.Drain).findFirst().orElseThrow();
        HistoryEntry h = drain.toHistoryEntry(Instant.parse("2026-01-01T00:10:10Z"));
        assertThat(h.action).isEqualTo("Drain");
        assertThat(h.region).isEqualTo(US);
        assertThat(h.outcome).isEqualTo("DryRun");
        assertThat(h.reason).contains("breaker");
        assertThat(h.time).isEqualTo("2026-01-01T00:10:10Z");
        // a record at weight 0 is not adopted in dry-run: the plan is not mixed with what happened
        Driver dry2 = new Driver(drySpec);
        dry2.run(10, 2, now -> usWith(now, Fixtures.healthyPods("media", 4, 250), 4, 0));
        assertThat(dry2.last.localPhase()).isEqualTo(Phase.SERVING);
    }

    @Test
    void manualDrainFromTheSpec() {
        RealtimePlatformSpec spec = Fixtures.spec(US, EU, AP);
        spec.regions.get(0).drain = true;
        Driver d = new Driver(spec);
        Decisions out = d.tick(usWith(d.clock.instant(), Fixtures.healthyPods("media", 4, 250), 4, 100));
        assertThat(out.actions(Action.Drain.class)).containsExactly(new Action.Drain(US, 100, DrainCause.SPEC_DRAIN));
        assertThat(out.decisions()).filteredOn(x -> x.action() instanceof Action.Drain).singleElement()
                .satisfies(x -> assertThat(x.reason()).contains("manual failover").contains("have the capacity"));
        // a peer sees us-east-1 drained by spec and takes its share
        Driver eu = new Driver(spec);
        Instant now = eu.clock.instant();
        Snapshot s = new Snapshot(EU).allAlive(now, ALL, 1000, 5000);
        s.healthyLocal(2, 500);
        assertThat(eu.tick(s.build()).actions(Action.ScaleTo.class))
                .containsExactly(new Action.ScaleTo(EU, Component.MEDIA_SERVER, 2, 4)); // (1000 + 500) × 1.2 / 500
    }

    @Test
    void aDrillDrainsTheLocalRegionForItsHoldThenRestoresInSteps() {
        Driver d = new Driver(Fixtures.spec(US, EU, AP));
        Instant t0 = d.clock.instant();
        Observations.Drill drill = new Observations.Drill("drill-1", t0.plusSeconds(40));
        d.run(200, 2, now -> {
            Observations o = usWith(now, Fixtures.healthyPods("media", 4, 250), 4, null);
            return new Observations(o.localRegion(), o.components(), o.regions(), null, drill);
        });
        assertThat(d.logged(Action.Drain.class)).containsExactly(new Action.Drain(US, 100, DrainCause.DRILL));
        assertThat(d.timeOf(new Action.Drain(US, 100, DrainCause.DRILL))).isEqualTo(t0);
        List<Action.RestoreStep> steps = d.logged(Action.RestoreStep.class);
        assertThat(steps).extracting(Action.RestoreStep::toWeight).containsExactly(25, 50, 75, 100);
        assertThat(d.timeOf(steps.get(0))).isAfterOrEqualTo(t0.plusSeconds(40));
        assertThat(d.last.localPhase()).isEqualTo(Phase.SERVING);
        assertThat(d.last.localWeight()).isEqualTo(100);
    }

    @Test
    void restartReasonsNameEachPodAndWhy() {
        Driver d = new Driver(Fixtures.spec(US, EU, AP));
        Instant t0 = d.clock.instant();
        List<PodObservation> pods = List.of(
                new PodObservation("media-0", true, null, false, false, 100L, 4),
                new PodObservation("media-1", false, null, true, false, null, null),
                new PodObservation("media-2", false, null, false, true, null, null),
                new PodObservation("media-3", false, t0.minusSeconds(75), false, false, null, null),
                new PodObservation("media-4", false, t0.minusSeconds(5), false, false, null, null),
                new PodObservation("media-5", true, null, false, true, 100L, 4)); // OOM-killed once, fine now
        d.run(12, 2, now -> usWith(now, pods, 2, 100));
        assertThat(d.log).filteredOn(x -> x.action() instanceof Action.Restart).singleElement().satisfies(x -> {
            assertThat(((Action.Restart) x.action()).pods()).containsExactly("media-1", "media-2", "media-3");
            assertThat(x.reason()).contains("media-1 (CrashLoopBackOff)", "media-2 (OOMKilled)",
                    "media-3 (unready for 85 s)", "restart 1 of at most 5 per hour", "20 s later");
        });
    }

    @Test
    void warnsWhenTheWindowCannotHoldMinimumSamples() {
        RealtimePlatformSpec spec = Fixtures.spec(US, EU, AP);
        spec.failover.circuitBreaker.minimumSamples = 20; // 30 s window, one sample per 2 s: 15 at most
        Driver d = new Driver(spec);
        assertThat(d.tick(usWith(d.clock.instant(), Fixtures.healthyPods("media", 4, 250), 4, 100)).notes())
                .anySatisfy(n -> assertThat(n).contains("minimumSamples (20)").contains("(15)"));
    }

    @Test
    void noRestartsForARegionWideProblem() {
        Driver d = new Driver(Fixtures.spec(US, EU, AP));
        d.run(120, 2, now -> {
            Observations o = usWith(now, crashLoopingMedia(), 1, 100); // media mostly down too
            Map<Component, Observations.ComponentObservation> comps = new HashMap<>(o.components());
            comps.put(Component.SIGNALING, new Observations.ComponentObservation(2, 0, List.of(
                    new PodObservation("sig-0", false, null, true, false, null, null))));
            return new Observations(US, comps, o.regions(), null);
        });
        assertThat(d.logged(Action.Restart.class)).isEmpty();
        assertThat(d.last.notes()).anySatisfy(n -> assertThat(n).contains("regional problem"));
    }

    @Test
    void breakersSurviveAnOperatorRestartThroughTheStatus() {
        Driver before = new Driver(Fixtures.spec(US, EU, AP));
        before.run(620, 2, now -> usWith(now, crashLoopingMedia(), 3, 100));
        assertThat(before.last.localPhase()).isEqualTo(Phase.DRAINED);
        var statuses = before.state.breakerStatuses();

        // a new leader starts with only the status; Route 53 shows the record at 0
        Driver after = new Driver(Fixtures.spec(US, EU, AP));
        after.clock.advance(Duration.between(after.clock.instant(), before.clock.instant()));
        after.state = EngineState.fromStatus(statuses, after.clock.instant());
        assertThat(after.state.breaker(Component.MEDIA_SERVER).state()).isEqualTo(State.OPEN);
        after.run(10, 2, now -> usWith(now, Fixtures.healthyPods("media", 4, 250), 4, 0));
        assertThat(after.last.localPhase()).isEqualTo(Phase.DRAINED);
        assertThat(after.logged(Action.Drain.class)).isEmpty(); // already at 0, not drained twice
        assertThat(after.logged(Action.RestoreStep.class)).isEmpty(); // not before the breaker has closed
        after.run(200, 2, now -> usWith(now, Fixtures.healthyPods("media", 4, 250), 4, 0));
        assertThat(after.logged(Action.RestoreStep.class)).isNotEmpty();
    }

    @Test
    void podDeletionCostsAreWrittenOnlyWhenOff() {
        Driver d = new Driver(Fixtures.spec(US, EU, AP));
        List<PodObservation> pods = List.of(
                new PodObservation("media-0", true, null, false, false, 0L, null),
                new PodObservation("media-1", true, null, false, false, 480L, 19),
                new PodObservation("media-2", true, null, false, false, 300L, 2));
        Decisions out = d.tick(usWith(d.clock.instant(), pods, 3, 100));
        assertThat(out.actions(Action.SetPodDeletionCost.class)).containsExactly(
                new Action.SetPodDeletionCost(US, Component.MEDIA_SERVER, "media-0", 0),
                new Action.SetPodDeletionCost(US, Component.MEDIA_SERVER, "media-2", 12));
    }

    @Test
    void sameInputsSameDecisions() {
        Driver a = new Driver(Fixtures.spec(US, EU, AP));
        Driver b = new Driver(Fixtures.spec(US, EU, AP));
        a.run(400, 2, now -> usWith(now, crashLoopingMedia(), 3, 100));
        b.run(400, 2, now -> usWith(now, crashLoopingMedia(), 3, 100));
        assertThat(a.last).isEqualTo(b.last);
        assertThat(a.log).isEqualTo(b.log);
    }

    @Test
    void timeNeverRunsBackwards() {
        Driver d = new Driver(Fixtures.spec(US, EU, AP));
        d.clock.advanceSeconds(100);
        d.tick(usWith(d.clock.instant(), crashLoopingMedia(), 3, 100));
        d.clock.advanceSeconds(-50);
        Decisions out = d.tick(usWith(d.clock.instant(), crashLoopingMedia(), 3, 100));
        assertThat(out.at()).isEqualTo(TestClock.T0.plusSeconds(100));
    }

    @Test
    void localRegionMustBeInTheSpec() {
        DecisionEngine engine = new DecisionEngine(new TestClock());
        assertThatThrownBy(() -> engine.decide(new Snapshot("mars-1").build(), Fixtures.spec(US, EU),
                EngineState.initial())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mars-1");
    }

    // ---- properties ------------------------------------------------------------------------------------------

    /** Builds the flapping snapshots of {@link #engineBoundsDnsChangesAndScaleUnderFlapping}, with a silent peer now and then. */
    static Observations flappingSnapshot(Instant now, Tick t, boolean apSilent) {
        List<PodObservation> pods = new ArrayList<>(Fixtures.healthyPods("media", t.ready(), t.sessions() / 4));
        if (t.crashLoop()) {
            pods.add(new PodObservation("media-x", false, null, true, false, null, null));
        }
        Snapshot s = new Snapshot(US).allAlive(now, ALL, t.sessions(), 1_000_000);
        s.healthyLocal(4, 0).component(Component.MEDIA_SERVER, 4, t.ready(), pods);
        s.region(US, now, Phase.SERVING, t.sessions(), 1_000_000L, null, t.r53(), null);
        if (apSilent) {
            Instant old = now.minusSeconds(60);
            s.region(AP, old, Phase.SERVING, 3000L, 5000L, Map.of(US, old, EU, old, AP, old), false, 100);
            s.region(EU, now, Phase.SERVING, 1000L, 5000L, Map.of(US, now, EU, now, AP, old), true, 100);
        }
        return s.build();
    }

    /**
     * Under random flapping, paused emits nothing but breaker transitions, and dry-run decides exactly the actions
     * that apply mode decides, all marked DRY_RUN (the observed weights being unknown here, nothing differs).
     */
    @Property(tries = 40)
    void pausedDoesNothingAndDryRunMirrorsApply(@ForAll("flapping") List<Tick> ticks, @ForAll boolean apSilent) {
        RealtimePlatformSpec apply = Fixtures.spec(US, EU, AP);
        RealtimePlatformSpec dry = Fixtures.spec(US, EU, AP);
        dry.dryRun = true;
        RealtimePlatformSpec paused = Fixtures.spec(US, EU, AP);
        paused.paused = true;
        Driver a = new Driver(apply);
        Driver d = new Driver(dry);
        Driver p = new Driver(paused);
        for (Tick t : ticks) {
            for (Driver x : List.of(a, d, p)) {
                x.tick(flappingSnapshot(x.clock.instant(), t, apSilent));
                x.clock.advanceSeconds(t.gapSeconds());
            }
        }
        assertThat(p.log).allSatisfy(x -> {
            assertThat(x.execution()).isEqualTo(Execution.RECORD);
            assertThat(x.action()).isInstanceOf(Action.BreakerTransition.class);
        });
        assertThat(d.log).extracting(Decision::action)
                .containsExactlyElementsOf(a.log.stream().map(Decision::action).toList());
        assertThat(d.log).allSatisfy(x -> assertThat(x.execution()).isIn(Execution.DRY_RUN, Execution.RECORD));
        assertThat(a.log).allSatisfy(x -> assertThat(x.execution()).isIn(Execution.APPLY, Execution.RECORD));
        Statistics.label("apply mode acted").collect(a.log.stream().anyMatch(Decision::toApply));
        Statistics.label("apply mode acted").coverage(c -> c.check(true).percentage(pc -> pc > 50));
    }

    /** A partition of 3..7 regions into groups that see only their own members; some operators dead. */
    record Partition(int n, List<Integer> groupOf, List<Boolean> dead) {
        String name(int i) {
            return "r" + i + "-x-1";
        }

        boolean sees(int a, int b) {
            return a == b || (!dead.get(b) && groupOf.get(a).equals(groupOf.get(b)));
        }
    }

    @Provide
    Arbitrary<Partition> partitions() {
        return Arbitraries.integers().between(3, 7).flatMap(n -> Combinators.combine(
                Arbitraries.of(0, 0, 0, 0, 1, 2).list().ofSize(n),
                Arbitraries.of(false, false, false, false, true).list().ofSize(n))
                .as((g, d) -> new Partition(n, g, d)));
    }

    /**
     * The whole engine, run by every live region of a random partition: a region that sees less than a majority
     * never drains anyone, and regions that cannot see each other never both drain — so a partition never drains
     * the majority from the minority side, and the two sides never drain each other.
     */
    @Property(tries = 150)
    void partitionsNeverDrainFromBothSides(@ForAll("partitions") Partition p) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < p.n(); i++) {
            names.add(p.name(i));
        }
        RealtimePlatformSpec spec = Fixtures.spec(names.toArray(String[]::new));
        List<Integer> drainers = new ArrayList<>();
        for (int me = 0; me < p.n(); me++) {
            if (p.dead().get(me)) {
                continue;
            }
            Driver d = new Driver(spec);
            final int self = me;
            d.run(60, 2, now -> {
                Snapshot s = new Snapshot(p.name(self));
                Instant old = now.minusSeconds(600);
                for (int r = 0; r < p.n(); r++) {
                    Map<String, Instant> view = new HashMap<>();
                    for (int o = 0; o < p.n(); o++) {
                        view.put(p.name(o), p.sees(r, o) ? now : old);
                    }
                    // what self reads of r: fresh if it sees r, else r's last replicated heartbeat and view are old
                    Map<String, Instant> replicated = new HashMap<>();
                    for (int o = 0; o < p.n(); o++) {
                        replicated.put(p.name(o), p.sees(self, r) ? view.get(p.name(o)) : old);
                    }
                    s.region(p.name(r), p.sees(self, r) ? now : old, Phase.SERVING, 1000L, 5000L, replicated, null, 100);
                    if (!p.sees(self, r)) {
                        // the worst case for a split brain: each side finds the other's service gone too
                        s.service(p.name(r), Fixtures.SERVICE_DOWN);
                    }
                }
                s.healthyLocal(2, 500);
                return s.build();
            });
            int visible = 0;
            for (int o = 0; o < p.n(); o++) {
                visible += p.sees(me, o) ? 1 : 0;
            }
            List<Action.Drain> drains = d.logged(Action.Drain.class);
            if (visible < p.n() / 2 + 1) {
                assertThat(drains).as("%s sees %d of %d regions", p.name(me), visible, p.n()).isEmpty();
            }
            if (!drains.isEmpty()) {
                drainers.add(me);
            }
            for (Action.Drain x : drains) {
                assertThat(x.cause()).isEqualTo(DrainCause.QUORUM_DOWN);
                int target = names.indexOf(x.region());
                assertThat(p.sees(me, target)).as("%s drained %s which it sees", p.name(me), x.region()).isFalse();
            }
        }
        for (int a : drainers) {
            for (int b : drainers) {
                assertThat(p.sees(a, b)).as("%s and %s drain from different sides", p.name(a), p.name(b)).isTrue();
            }
        }
        Statistics.label("some region drained").collect(!drainers.isEmpty());
        Statistics.label("some region drained").coverage(c -> c.check(true).percentage(pc -> pc > 10));
    }

    record Tick(int gapSeconds, int ready, boolean crashLoop, boolean r53, long sessions) {
    }

    @Provide
    Arbitrary<List<Tick>> flapping() {
        Arbitrary<List<Tick>> run = Combinators.combine(Arbitraries.integers().between(1, 30),
                Arbitraries.integers().between(1, 10), Arbitraries.integers().between(0, 4),
                Arbitraries.of(false, false, false, true), Arbitraries.of(true, true, false),
                Arbitraries.longs().between(0, 50_000))
                .as((len, gap, ready, crash, r53, sessions) -> {
                    List<Tick> ticks = new ArrayList<>();
                    for (int i = 0; i < len; i++) {
                        ticks.add(new Tick(gap, ready, crash, r53, sessions));
                    }
                    return ticks;
                });
        return run.list().ofMinSize(5).ofMaxSize(40).map(runs -> runs.stream().flatMap(List::stream).toList());
    }

    /**
     * The whole engine under flapping local health (readiness, crash loops, Route 53) and load: the local record's
     * DNS changes stay within 2·⌊W/stepInterval⌋ + 3 for any window W, and every ScaleTo is within [min, max].
     */
    @Property(tries = 60)
    void engineBoundsDnsChangesAndScaleUnderFlapping(@ForAll("flapping") List<Tick> ticks,
            @ForAll @IntRange(min = 1, max = 100) int stepPercent, @ForAll @IntRange(min = 60, max = 1200) int window,
            @ForAll @IntRange(min = 1, max = 30) int max) {
        RealtimePlatformSpec spec = Fixtures.spec(US, EU, AP);
        spec.failover.reroute.stepPercent = stepPercent;
        spec.failover.reroute.drainDeadlineSeconds = 0;
        spec.failover.circuitBreaker.minimumSamples = 3;
        spec.failover.circuitBreaker.openSeconds = 5;
        spec.failover.circuitBreaker.halfOpenProbes = 1;
        spec.mediaServer.replicas.max = max;
        spec.mediaServer.replicas.min = Math.min(2, max);
        Driver d = new Driver(spec);
        for (Tick t : ticks) {
            d.tick(flappingSnapshot(d.clock.instant(), t, false));
            d.clock.advanceSeconds(t.gapSeconds());
        }
        List<Instant> changes = new ArrayList<>();
        for (int i = 0; i < d.log.size(); i++) {
            Action a = d.log.get(i).action();
            if (a.changesDns() && a.region().equals(US)) {
                changes.add(d.logTimes.get(i));
            }
            if (a instanceof Action.ScaleTo sc) {
                assertThat(sc.replicas()).isBetween(spec.mediaServer.replicas.min, max);
            }
        }
        // restarts per component never exceed the hourly budget (5) in any hour
        for (Component c : Component.values()) {
            List<Instant> restarts = new ArrayList<>();
            for (int i = 0; i < d.log.size(); i++) {
                if (d.log.get(i).action() instanceof Action.Restart r && r.component() == c) {
                    restarts.add(d.logTimes.get(i));
                }
            }
            for (int i = 0; i < restarts.size(); i++) {
                Instant end = restarts.get(i).plus(Duration.ofHours(1));
                assertThat(restarts.subList(i, restarts.size()).stream().filter(x -> x.isBefore(end)).count())
                        .isLessThanOrEqualTo(spec.failover.restart.maxRestartsPerHour);
            }
        }
        Statistics.label("local DNS changes > 3").collect(changes.size() > 3);
        Statistics.label("local DNS changes > 3").coverage(c -> c.check(true).percentage(p -> p > 40));
        Duration w = Duration.ofSeconds(window);
        Duration stepInterval = ReroutePolicy.from(spec.failover.reroute, spec.dns).stepInterval();
        long bound = ReroutePlanner.maxChanges(w, stepInterval);
        for (int i = 0; i < changes.size(); i++) {
            Instant end = changes.get(i).plus(w);
            long in = changes.subList(i, changes.size()).stream().filter(c -> c.isBefore(end)).count();
            assertThat(in).isLessThanOrEqualTo(bound);
        }
    }
}
