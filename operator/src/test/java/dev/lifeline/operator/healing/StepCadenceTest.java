package dev.lifeline.operator.healing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.api.RealtimePlatformSpec;
import dev.lifeline.operator.api.RegionSpec;
import dev.lifeline.operator.policy.Busy;
import dev.lifeline.operator.policy.DecisionEngine;
import dev.lifeline.operator.policy.Decisions;
import dev.lifeline.operator.policy.DeletionCost;
import dev.lifeline.operator.policy.EngineState;
import dev.lifeline.operator.policy.Observations;
import dev.lifeline.operator.policy.Observations.ComponentObservation;
import dev.lifeline.operator.policy.Observations.PodObservation;
import dev.lifeline.operator.policy.Observations.RegionObservation;
import dev.lifeline.operator.policy.Phase;

/**
 * Which platforms may skip heartbeat-interval steps: decisions come from the real (pure) decision engine on the
 * observations given, so the cadence follows what the engine does with them.
 */
class StepCadenceTest {

    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final DecisionEngine engine = new DecisionEngine(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aHealthySingleRegionPlatformWithoutReportingRelaysWaitsForTheSafetyResync() {
        assertThat(wait(spec(US), healthy(readyPods("media", 2, null)))).contains(StepCadence.SAFETY_RESYNC);
    }

    @Test
    void aHealthySingleRegionPlatformWhoseRelaysReportIsSampledForLoadLagAndLoss() {
        assertThat(wait(spec(US), healthy(readyPods("media", 2, 40L)))).contains(StepCadence.RELAY_SAMPLING);
        assertThat(StepCadence.RELAY_SAMPLING).isLessThan(StepCadence.SAFETY_RESYNC);
    }

    @Test
    void aPlatformWithAnotherRegionKeepsTheHeartbeatCadenceHoweverQuiet() {
        assertThat(wait(spec(US, EU), healthy(readyPods("media", 2, null)))).isEmpty();
        assertThat(wait(spec(EU, US), healthy(readyPods("media", 2, 40L)))).isEmpty();
    }

    @Test
    void nothingObservedYetIsQuiet_theDeploymentsArriveAsEvents() {
        assertThat(wait(spec(US), new Observations(US, Map.of(), Map.of(), null))).contains(StepCadence.SAFETY_RESYNC);
    }

    @Test
    void aStartingPodIsQuiet_theKubeletReportsWhetherItBecomesReady() {
        List<PodObservation> pods = new ArrayList<>(readyPods("media", 2, null));
        pods.add(new PodObservation("media-new", false, null, false, false, null, null));
        assertThat(wait(spec(US), healthy(pods))).contains(StepCadence.SAFETY_RESYNC);
    }

    @Test
    void anUnreadyPodKeepsTheHeartbeatCadence_itIsRestartedOnceUnreadyPastTheGrace() {
        List<PodObservation> pods = new ArrayList<>(readyPods("media", 3, null));
        pods.add(new PodObservation("media-stuck", false, NOW.minusSeconds(5), false, false, null, null));
        Decisions decisions = decide(spec(US), healthy(pods));
        assertThat(decisions.decisions()).as("no decision yet: within the unready grace").isEmpty();
        assertThat(StepCadence.quietWait(spec(US), US, decisions, healthy(pods))).isEmpty();
    }

    @Test
    void aCrashLoopingPodKeepsTheHeartbeatCadence() {
        List<PodObservation> pods = new ArrayList<>(readyPods("media", 3, null));
        pods.add(new PodObservation("media-crash", false, null, true, false, null, null));
        assertThat(wait(spec(US), healthy(pods))).isEmpty();
    }

    @Test
    void aDegradedRegionKeepsTheHeartbeatCadence_itsBreakerSamplesOncePerInterval() {
        Observations mostlyUnready = observations(2, 0, List.of());
        Decisions decisions = decide(spec(US), mostlyUnready);
        assertThat(decisions.health().get(US).statusName()).isEqualTo("Degraded");
        assertThat(StepCadence.quietWait(spec(US), US, decisions, mostlyUnready)).isEmpty();
    }

    @Test
    void aStepThatDecidedSomethingKeepsTheHeartbeatCadence() {
        // pods without their deletion cost: the engine decides to set it
        List<PodObservation> pods = List.of(new PodObservation("media-0", true, null, false, false, 300L, null),
                new PodObservation("media-1", true, null, false, false, 10L, null));
        Decisions decisions = decide(spec(US), healthy(pods));
        assertThat(decisions.decisions()).isNotEmpty();
        assertThat(StepCadence.quietWait(spec(US), US, decisions, healthy(pods))).isEmpty();
    }

    @Test
    void aDrillKeepsTheHeartbeatCadence() {
        Observations plain = healthy(readyPods("media", 2, null));
        Observations drilled = new Observations(US, plain.components(), plain.regions(), null,
                new Observations.Drill("d1", NOW.plusSeconds(60)));
        assertThat(StepCadence.quietWait(spec(US), US, decide(spec(US), plain), drilled)).isEmpty();
    }

    @Test
    void aRelayBusyDrainingIsReported() {
        List<PodObservation> pods = List.of(new PodObservation("media-0", true, null, false, false, null, null,
                Busy.DRAINING), new PodObservation("media-1", true, null, false, false, null, null));
        assertThat(StepCadence.relaysReport(healthy(pods))).isTrue();
        assertThat(StepCadence.relaysReport(healthy(readyPods("media", 2, null)))).isFalse();
    }

    private Optional<Duration> wait(RealtimePlatformSpec spec, Observations observations) {
        return StepCadence.quietWait(spec, observations.localRegion(), decide(spec, observations), observations);
    }

    private Decisions decide(RealtimePlatformSpec spec, Observations observations) {
        return engine.decide(observations, spec, EngineState.initial());
    }

    private static RealtimePlatformSpec spec(String... regions) {
        RealtimePlatformSpec spec = new RealtimePlatformSpec();
        for (String region : regions) {
            spec.regions.add(new RegionSpec(region, 100));
        }
        spec.sessionStore.homeRegion = regions[0];
        return spec;
    }

    /** Ready pods with the deletion cost their sessions call for (so the engine has nothing to set). */
    private static List<PodObservation> readyPods(String prefix, int n, Long sessionsEach) {
        List<PodObservation> pods = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pods.add(new PodObservation(prefix + "-" + i, true, null, false, false, sessionsEach,
                    sessionsEach == null ? null : DeletionCost.cost(sessionsEach, DeletionCost.quantum(500))));
        }
        return pods;
    }

    private static Observations healthy(List<PodObservation> media) {
        long ready = media.stream().filter(PodObservation::ready).count();
        return observations(media.size(), (int) ready, media);
    }

    private static Observations observations(int desired, int ready, List<PodObservation> media) {
        List<PodObservation> signaling = List.of(new PodObservation("sig-0", true, null, false, false, null, null),
                new PodObservation("sig-1", true, null, false, false, null, null));
        return new Observations(US, Map.of(Component.MEDIA_SERVER, new ComponentObservation(desired, ready, media),
                Component.SIGNALING, new ComponentObservation(2, 2, signaling)),
                Map.of(US, new RegionObservation(US, NOW, Phase.SERVING, null, null, null, true, 100)), null);
    }
}
