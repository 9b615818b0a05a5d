package dev.lifeline.operator.healing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.lifeline.operator.action.ReplicaTargets;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.drill.Drills;
import dev.lifeline.operator.events.EventRecorder;
import dev.lifeline.operator.health.InMemoryCoordinationStore;
import dev.lifeline.operator.health.OperatorHeartbeat;
import dev.lifeline.operator.memory.PlatformMemory;
import dev.lifeline.operator.memory.TestMemory;
import dev.lifeline.operator.metrics.GaugeSamples;
import dev.lifeline.operator.metrics.MetricNames;
import dev.lifeline.operator.metrics.PlatformGauges;
import dev.lifeline.operator.policy.Action;
import dev.lifeline.operator.policy.RestartBudget;
import dev.lifeline.operator.policy.DeletionCost;
import dev.lifeline.operator.policy.Phase;
import dev.lifeline.operator.api.Component;
import dev.lifeline.operator.workload.MediaServerDeploymentDependent;
import dev.lifeline.operator.workload.TestPlatforms;
import dev.lifeline.operator.workload.WorkloadLabels;
import dev.lifeline.sessiontable.InstanceHeartbeat;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.lifeline.operator.aws.AwsResources;
import dev.lifeline.operator.aws.dns.InMemoryDnsProvider;
import dev.lifeline.operator.aws.table.InMemoryTableProvider;
import dev.lifeline.operator.health.InMemoryEndpointProbe;
import dev.lifeline.operator.policy.ServiceEvidence;
import dev.lifeline.operator.policy.ServiceSignal;
import dev.lifeline.operator.health.PeerDetectors;
import org.junit.jupiter.api.AfterEach;
import java.time.Clock;
import java.time.Duration;

/** One self-healing step with the in-process coordination store: instance heartbeats in, heartbeat and decisions out. */
class SelfHealingTest {

    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";

    private final RealtimePlatform platform = TestPlatforms.platform("meet", US, EU);
    private final String table = platform.getSpec().sessionStore.tableName;
    private final InMemoryCoordinationStore store = new InMemoryCoordinationStore();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final PlatformMemory memory = TestMemory.with(meters);
    private final PlatformGauges gauges = new PlatformGauges(memory);
    // No drill is annotated here, so the drills never emit an Event and need no API server.
    private final InMemoryEndpointProbe probe = new InMemoryEndpointProbe();
    private final PeerDetectors detectors = new PeerDetectors();
    private final HeartbeatLoop loop = new HeartbeatLoop(store, detectors, memory, new ReconcileTrigger());
    private final SelfHealing selfHealing = new SelfHealing(store, memory, new SelfHealingMetrics(meters, memory),
            new Drills(new EventRecorder(null), memory), new AwsResources(new InMemoryTableProvider(),
                    new InMemoryDnsProvider(), Duration.ofSeconds(60), Duration.ofSeconds(5), Clock.systemUTC()),
            probe, detectors, loop);

    @AfterEach
    void stopLoop() {
        loop.stop();
    }

    @Test
    void aSilentPeersServiceIsJudgedByItsInstancesAndAProbeNotByItsOperator() {
        Instant now = Instant.now();
        // EU's operator never wrote a heartbeat; its relays did, and one of them answers a PING.
        store.publishInstance(table, new InstanceHeartbeat(InstanceHeartbeat.MEDIA, EU, "meet-media-server-eu",
                "198.51.100.7:40000", 10, 500, null, null, null, true, false, now));
        probe.answers("198.51.100.7:40000", true);

        selfHealing.decide(platform, US, Optional.of(media(US, 2)), Optional.empty(), List.of(), 100, null);

        ServiceEvidence eu = memory.observations("rtc", "meet").orElseThrow().regions().get(EU).service();
        assertThat(eu).isEqualTo(new ServiceEvidence(ServiceSignal.ANSWERS, ServiceSignal.UNKNOWN,
                ServiceSignal.ANSWERS));
        assertThat(memory.observations("rtc", "meet").orElseThrow().regions().get(US).service())
                .as("the local region is never probed").isNull();
    }

    @Test
    void aSilentPeerWithStaleInstancesAndNoAnswerHasItsServiceSilent() {
        Instant now = Instant.now();
        store.publishInstance(table, new InstanceHeartbeat(InstanceHeartbeat.MEDIA, EU, "meet-media-server-eu",
                "198.51.100.7:40000", 10, 500, null, null, null, true, false, now.minusSeconds(60)));

        selfHealing.decide(platform, US, Optional.of(media(US, 2)), Optional.empty(), List.of(), 100, null);

        ServiceEvidence eu = memory.observations("rtc", "meet").orElseThrow().regions().get(EU).service();
        assertThat(eu.instances()).isEqualTo(ServiceSignal.SILENT);
        assertThat(eu.probe()).as("the stale relay's address is still probed").isEqualTo(ServiceSignal.SILENT);
    }

    @Test
    void aPlatformWithoutPeersWritesNoOperatorHeartbeat() {
        RealtimePlatform alone = TestPlatforms.platform("solo", US);
        String soloTable = alone.getSpec().sessionStore.tableName;

        SelfHealing.Step step = selfHealing.decide(alone, US, Optional.of(media(US, 2)), Optional.empty(), List.of(),
                100, null);

        assertThat(step.coordinationProblem()).isEmpty();
        assertThat(store.read(soloTable, US, List.of(US))).as("no peer would read it").isEmpty();
        selfHealing.decide(platform, US, Optional.of(media(US, 2)), Optional.empty(), List.of(), 100, null);
        assertThat(store.read(table, US, List.of(US))).as("a platform with a peer region publishes").containsKey(US);
    }

    @Test
    void relaysHeartbeatsBecomeTheRegionsPublishedLoadAndThePodsSessions() {
        Instant now = Instant.now();
        store.publishInstance(table, InstanceHeartbeat.media(US, "meet-media-server-a", 300, 500, true, false, now));
        store.publishInstance(table, InstanceHeartbeat.media(US, "meet-media-server-b", 100, 500, true, false, now));
        store.publishInstance(table, InstanceHeartbeat.media(US, "meet-media-server-gone", 400, 500, true, false,
                now.minusSeconds(60)));

        SelfHealing.Step step = selfHealing.decide(platform, US, Optional.of(media(US, 2)), Optional.empty(),
                List.of(pod(US, "meet-media-server-a"), pod(US, "meet-media-server-b")), 100, null);

        assertThat(step.coordinationProblem()).isEmpty();
        OperatorHeartbeat published = store.read(table, US, List.of(US)).get(US);
        assertThat(published.activeSessions()).as("the stale relay is a dead pod").isEqualTo(400L);
        assertThat(published.capacity()).isEqualTo(1000L);
        assertThat(memory.observations("rtc", "meet").orElseThrow().regions().get(US).activeSessions()).isEqualTo(400L);
        long quantum = DeletionCost.quantum(platform.getSpec().mediaServer.sessionsPerReplica);
        assertThat(step.decisions().actions(Action.SetPodDeletionCost.class)).containsExactlyInAnyOrder(
                new Action.SetPodDeletionCost(US, dev.lifeline.operator.api.Component.MEDIA_SERVER,
                        "meet-media-server-a", DeletionCost.cost(300, quantum)),
                new Action.SetPodDeletionCost(US, dev.lifeline.operator.api.Component.MEDIA_SERVER,
                        "meet-media-server-b", DeletionCost.cost(100, quantum)));
    }

    @Test
    void aSurvivorRaisesItsMediaServerReplicasForThePeerAboutToDrain() {
        Instant now = Instant.now();
        // us-east-1's operator announced a drain with the sessions its relays carried
        store.publish(table, US, new OperatorHeartbeat(US, now, Phase.PRE_SCALING, 1500L, 0L, Map.of(EU, now)));
        Deployment euMedia = media(EU, 2);

        SelfHealing.Step step = selfHealing.decide(platform, EU, Optional.of(euMedia), Optional.empty(), List.of(), 100, null);

        // eu-west-1 takes all of it: ⌈1500 × 1.2 / 500⌉ = 4 replicas (spec defaults: headroom 20 %, 500 per replica)
        assertThat(step.decisions().actions(Action.ScaleTo.class)).containsExactly(
                new Action.ScaleTo(EU, dev.lifeline.operator.api.Component.MEDIA_SERVER, 2, 4));
        assertThat(ReplicaTargets.mediaServer(platform.getSpec().mediaServer.replicas, Optional.of(euMedia),
                Optional.of(step.decisions()))).isEqualTo(4);
        assertThat(store.read(table, EU, List.of(EU)).get(EU).activeSessions())
                .as("no relay heartbeats: a known zero").isZero();
    }

    @Test
    void aNewLeaderResumesTheRegionsHeartbeatAtOnceWithThePhaseItsPredecessorPublishedAndAFreshView() {
        Instant now = Instant.now();
        // The previous leader of us-east-1 published 3 s ago, mid pre-scale; eu-west-1 heartbeats now.
        store.publish(table, US, new OperatorHeartbeat(US, now.minusSeconds(3), Phase.PRE_SCALING, 700L, 1000L,
                Map.of(EU, now.minusSeconds(5))));
        store.publish(table, EU, new OperatorHeartbeat(EU, now, Phase.SERVING, 10L, 500L, Map.of(US, now)));

        assertThat(selfHealing.resumeHeartbeat(platform, US)).isTrue();

        OperatorHeartbeat resumed = store.read(table, US, List.of(US)).get(US);
        assertThat(resumed.at()).isAfterOrEqualTo(now);
        assertThat(resumed.phase()).isEqualTo(Phase.PRE_SCALING);
        assertThat(resumed.activeSessions()).isEqualTo(700L);
        assertThat(resumed.capacity()).isEqualTo(1000L);
        assertThat(resumed.peerView()).as("what this replica read, not its predecessor's view")
                .containsExactly(Map.entry(EU, now));
    }

    @Test
    void noHeartbeatIsResumedOnceThisProcessSteppedThePlatformOrWhenThereIsNoLiveOneToTakeOver() {
        Instant now = Instant.now();
        store.publish(table, US, new OperatorHeartbeat(US, now.minusSeconds(60), Phase.SERVING, 0L, 0L, Map.of()));

        assertThat(selfHealing.resumeHeartbeat(platform, US)).as("stale: the peers already saw it silent").isFalse();
        assertThat(store.read(table, US, List.of(US)).get(US).at()).isEqualTo(now.minusSeconds(60));
        assertThat(selfHealing.resumeHeartbeat(platform, EU)).as("never published").isFalse();

        selfHealing.decide(platform, US, Optional.of(media(US, 2)), Optional.empty(), List.of(), 100, null);
        Instant full = store.read(table, US, List.of(US)).get(US).at();
        assertThat(selfHealing.resumeHeartbeat(platform, US)).as("stepped before in this process").isFalse();
        assertThat(store.read(table, US, List.of(US)).get(US).at()).isEqualTo(full);
    }

    @Test
    void theRestartBudgetGaugeCountsDownWithRestartsAndIsAbsentWhenRestartsAreDisabled() {
        Instant now = Instant.now();
        assertThat(SelfHealingMetrics.remaining(5, new RestartBudget.State(List.of(now.minusSeconds(60), now), null)))
                .isEqualTo(3);
        assertThat(SelfHealingMetrics.remaining(1, new RestartBudget.State(List.of(now.minusSeconds(60), now), null)))
                .as("a budget lowered below the restarts made is spent, not negative").isZero();

        selfHealing.decide(platform, US, Optional.of(media(US, 1)), Optional.empty(), List.of(), 100, null);
        assertThat(GaugeSamples.values(gauges, "lifeline_restart_budget_remaining",
                Map.of("platform", "meet", "component", "mediaServer"))).as("spec default: 5 per hour, none used")
                .containsExactly(5.0);

        memory.forget(platform);
        platform.getSpec().failover.restart.maxRestartsPerHour = 0;
        selfHealing.decide(platform, US, Optional.of(media(US, 1)), Optional.empty(), List.of(), 100, null);
        assertThat(GaugeSamples.values(gauges, "lifeline_restart_budget_remaining", Map.of()))
                .as("restarts disabled").isEmpty();
    }

    @Test
    void forgettingTheDeletedPlatformRemovesItsGauges() {
        Instant now = Instant.now();
        store.publishInstance(table, InstanceHeartbeat.media(US, "meet-media-server-a", 300, 500, true, false, now));
        selfHealing.decide(platform, US, Optional.of(media(US, 1)), Optional.empty(),
                List.of(pod(US, "meet-media-server-a")), 100, null);
        assertThat(GaugeSamples.values(gauges, "lifeline_dns_weight", Map.of("platform", "meet"))).hasSize(1);
        assertThat(GaugeSamples.values(gauges, "lifeline_region_sessions", Map.of("platform", "meet")))
                .containsExactly(300.0);
        assertThat(meters.getMeters()).as("the failover timers").isNotEmpty();

        memory.forget(platform);

        assertThat(meters.getMeters()).as("no meter of the deleted platform is left")
                .noneMatch(meter -> "meet".equals(meter.getId().getTag("platform")));
        assertThat(GaugeSamples.values(gauges, "lifeline_region_sessions", Map.of())).as("nor a gauge").isEmpty();
        assertThat(memory.latest("rtc", "meet")).isEmpty();
    }

    private Deployment media(String region, int ready) {
        Deployment deployment = MediaServerDeploymentDependent.build(platform, region);
        deployment.setStatus(new DeploymentStatusBuilder().withReplicas(ready).withReadyReplicas(ready).build());
        return deployment;
    }

    private Pod pod(String region, String name) {
        return new PodBuilder().withNewMetadata().withName(name)
                .withLabels(WorkloadLabels.of(platform, Component.MEDIA_SERVER, region)).endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                .build();
    }
}
