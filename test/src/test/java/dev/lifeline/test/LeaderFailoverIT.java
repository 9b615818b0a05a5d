package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lifeline.operator.status.ConditionTypes;
import dev.lifeline.test.RelayHeartbeats.Relay;
import dev.lifeline.test.harness.OperatorProcess;
import dev.lifeline.test.harness.Teardown;
import dev.lifeline.testkit.FaultProxy;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;

/**
 * Scenario 6a of issue 11 on three regions ({@link RegionSet}, relays heartbeating, public endpoints answering):
 * eu-west-1's operator runs two replicas, as {@code deploy/} ships it. Its leader is SIGKILLed, and then the
 * operator is rolled (a new replica started, the leader SIGTERMed, as a rolling update does, twice). Each time the
 * standby takes the Lease and heartbeats again before any peer could call the region stale, so that:
 * <ul>
 *   <li>no region's operator changes any Route 53 record (the fault proxies' record of every call);</li>
 *   <li>no region records a DNS decision (status history: Drain, RestoreStep, Rollback);</li>
 *   <li>the peers never report eu-west-1 stale: no Warning Event for unhealthy regions or a silent control plane,
 *       and their {@code RegionsHealthy} condition never leaves True.</li>
 * </ul>
 * These are records of what happened, read once the peers have judged the new leader's heartbeat: not timings.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaderFailoverIT {

    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-2");
    private static final String ROLLED = "eu-west-1";
    private static final List<String> PEERS = List.of("us-east-1", "ap-southeast-2");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** What a peer says when it sees a region stale or silent (PlatformStatusBuilder's reasons). */
    private static final Set<String> STALE_REASONS = Set.of("RegionsUnhealthy", "ServiceAlive", "ServiceInDoubt");
    private static final Set<String> DNS_ACTIONS = Set.of("Drain", "RestoreStep", "Rollback");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(LeaderFailoverIT.class);

    private static RegionSet regions;
    private static RelayHeartbeats relays;
    private static LeaseRecorder lease;
    /** eu-west-1's heartbeat as a peer reads it, from us-east-1's table replica. */
    private static HeartbeatRecorder heartbeats;
    /** eu-west-1's operator replicas alive, the first one started by RegionSet. */
    private static final List<OperatorProcess> replicas = new ArrayList<>();
    private static int replicasStarted = 1;

    @BeforeAll
    static void startRegions() {
        regions = RegionSet.start("leader", REGIONS, platform -> {
        });
        relays = RelayHeartbeats.start(regions.moto.endpoint(), RegionSet.TABLE);
        for (String region : REGIONS) {
            Relay relay = new Relay("meet-media-server-" + region, 10, 500, regions.endpoints.relayAddress(region));
            relays.report(region, () -> List.of(relay));
        }
        replicas.add(regions.operators.get(ROLLED));
        replicas.add(startReplica());
        lease = LeaseRecorder.start(regions.planes.get(ROLLED).client());
        heartbeats = HeartbeatRecorder.start(regions.moto.endpoint(), RegionSet.TABLE, ROLLED, PEERS.get(0));
        regions.awaitSteady("start", TIMEOUT);
    }

    @AfterAll
    static void stopRegions() {
        Teardown.closeAll(heartbeats, lease, relays);
        replicas.forEach(OperatorProcess::close);
        Teardown.closeAll(regions);
    }

    @Test
    @Order(1)
    void aSigkilledLeaderIsReplacedBeforeAnyPeerSeesItsRegionStale() {
        Quiet before = Quiet.now();
        OperatorProcess leader = leader();
        OperatorProcess standby = other(leader);

        leader.kill();
        replicas.remove(leader);
        try {
            LeaseRecorder.Holder taken = awaitTakenOver(standby, before.at());
            assertCalm(before, taken);
        } finally {
            replicas.add(startReplica()); // the killed pod's replacement: the next standby
        }
    }

    @Test
    @Order(2)
    void aRollingUpdateHandsTheLeaseOverAtOnceTwiceWithoutAPeerNoticing() {
        for (int step = 1; step <= 2; step++) {
            // maxSurge 1, maxUnavailable 0: a new replica first, then the leader is terminated
            replicas.add(startReplica());
            Quiet before = Quiet.now();
            OperatorProcess leader = leader();
            OperatorProcess standby = replicas.stream().filter(r -> r != leader).findFirst().orElseThrow();

            assertThat(leader.terminate(Duration.ofSeconds(30))).as("the leader exits on SIGTERM (step %d)", step)
                    .isTrue();
            replicas.remove(leader);

            LeaseRecorder.Holder taken = awaitTakenOver(replicas, before.at());
            // The watch delivers the Lease's changes in order: a release comes before the takeover.
            assertThat(lease.since(before.at())).as("the Lease's holders since SIGTERM (step %d)", step)
                    .extracting(LeaseRecorder.Holder::identity).startsWith("", taken.identity());
            assertThat(leader.logText()).contains("Released the Lease");
            assertCalm(before, taken);
        }
    }

    /** Waits until one of {@code candidates} holds the Lease and the peers have judged its first heartbeat. */
    private static LeaseRecorder.Holder awaitTakenOver(List<OperatorProcess> candidates, Instant since) {
        await("a standby of " + ROLLED + " takes the Lease").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> candidates.stream().anyMatch(c -> lease.taken(c.identity(), since).isPresent()));
        return candidates.stream().flatMap(c -> lease.taken(c.identity(), since).stream()).findFirst().orElseThrow();
    }

    private static LeaseRecorder.Holder awaitTakenOver(OperatorProcess standby, Instant since) {
        return awaitTakenOver(List.of(standby), since);
    }

    /**
     * Once the new leader's first heartbeat is in the table and every peer has decided after seeing it (its REST
     * health: a step after that, eu-west-1 Healthy), whatever the peers did about the failover is on record.
     */
    private static void assertCalm(Quiet before, LeaseRecorder.Holder taken) {
        HeartbeatRecorder.Seen first = await("the new leader's first heartbeat").atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(200)).until(() -> heartbeats.firstWrittenAfter(taken.acquired()),
                        java.util.Optional::isPresent).orElseThrow();
        for (String peer : PEERS) {
            await(peer + " decides after the new leader's first heartbeat").atMost(TIMEOUT)
                    .pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                        JsonNode health = JSON.readTree(regions.operators.get(peer)
                                .get("/api/v1/namespaces/rtc/realtimeplatforms/meet/health"));
                        return Instant.parse(health.get("at").asText()).isAfter(first.seenAt())
                                && "Healthy".equals(health.get("regions").get(ROLLED).asText());
                    });
        }
        // Route 53: not one record changed by any region's operator since the fault.
        regions.proxies.forEach((region, proxy) -> assertThat(changesSince(proxy, before.at()))
                .as("Route 53 changes by %s's operator", region).isEmpty());
        assertThat(regions.weights()).isEqualTo(regions.allAt(100));
        // Status history: no DNS decision anywhere.
        for (String region : REGIONS) {
            assertThat(regions.platformIn(region).getStatus().history).as("DNS decisions in %s", region)
                    .filteredOn(h -> DNS_ACTIONS.contains(h.action) && !Instant.parse(h.time).isBefore(before.at()))
                    .isEmpty();
        }
        // The peers never reported eu-west-1 stale or silent.
        Quiet after = Quiet.now();
        assertThat(after.staleWarnings()).as("Warning Events of the peers").isEqualTo(before.staleWarnings());
        assertThat(after.regionsHealthy()).as("the peers' RegionsHealthy (status, transition time)")
                .isEqualTo(before.regionsHealthy());
        heartbeats.lastWrittenBefore(before.at()).ifPresent(last -> LOG.info("{}'s heartbeat was at most {} ms old "
                + "for a reader in {} (stale after 6000 ms)", ROLLED, Duration.between(last.at(), first.seenAt())
                .toMillis(), PEERS.get(0)));
    }

    private static List<String> changesSince(FaultProxy proxy, Instant since) {
        return proxy.calls().stream()
                .filter(c -> c.action().equals("route53:ChangeResourceRecordSets") && !c.at().isBefore(since))
                .map(c -> c.at() + " " + c.status()).toList();
    }

    /**
     * What the peers had on record at one moment: how often each Warning Event of a stale or silent region was
     * reported (name → count; a repeat raises the count of the same Event), and their RegionsHealthy condition.
     */
    private record Quiet(Instant at, Map<String, Integer> staleWarnings, Map<String, String> regionsHealthy) {

        static Quiet now() {
            Instant at = Instant.now();
            Map<String, Integer> warnings = new LinkedHashMap<>();
            Map<String, String> healthy = new LinkedHashMap<>();
            for (String peer : PEERS) {
                for (String reason : STALE_REASONS) {
                    for (Event e : regions.warnings(peer, reason)) {
                        warnings.put(peer + "/" + e.getMetadata().getName(), e.getCount());
                    }
                }
                Condition c = regions.condition(peer, ConditionTypes.REGIONS_HEALTHY);
                healthy.put(peer, c.getStatus() + " since " + c.getLastTransitionTime());
            }
            return new Quiet(at, warnings, healthy);
        }
    }

    private static OperatorProcess leader() {
        String holder = regions.leaseHolder(ROLLED);
        return replicas.stream().filter(r -> r.identity().equals(holder)).findFirst()
                .orElseThrow(() -> new AssertionError("the Lease of " + ROLLED + " is held by " + holder
                        + ", none of " + replicas));
    }

    private static OperatorProcess other(OperatorProcess leader) {
        return replicas.stream().filter(r -> r != leader).findFirst().orElseThrow();
    }

    private static OperatorProcess startReplica() {
        return regions.startReplica(ROLLED, "leader-" + ROLLED + "-" + (++replicasStarted));
    }
}
