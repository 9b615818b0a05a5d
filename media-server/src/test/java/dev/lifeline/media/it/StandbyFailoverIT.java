package dev.lifeline.media.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.lifeline.media.client.Assignment;
import dev.lifeline.media.client.LifelineClient;
import dev.lifeline.media.load.AudioParticipant;
import dev.lifeline.sessiontable.SessionRecord;
import dev.lifeline.testkit.Fault;
import dev.lifeline.testkit.FaultProxy;
import dev.lifeline.testkit.MotoServer;
import dev.lifeline.testkit.RecordedCall;

/**
 * Relay failure to media again without the table (issue 13, item 2), with real processes on loopback: each call's
 * participants hold a standby relay pre-authorised at join, move there on the kernel's word (ICMP) or on confirmed
 * PONG silence, and signaling records the move afterwards. A relay that is merely paused for less than the bound
 * moves nobody.
 */
class StandbyFailoverIT {

    private static final Set<String> SESSION_ITEM_CALLS = Set.of("dynamodb:GetItem", "dynamodb:UpdateItem");

    @Test
    void aKilledRelaysCallsMoveToTheirStandbyOnTheIcmpAloneWithTheSessionItemUnreachableThenSignalingRecordsIt()
            throws Exception {
        try (FaultProxy proxy = FaultProxy.start(MotoServer.shared().endpoint());
                Cluster cluster = new Cluster("sa-east-1", proxy.endpoint())) {
            Cluster.Started started = cluster.startReady(List.of("sig"), List.of("relay-a", "relay-b"));
            InstanceProcess signaling = started.signaling().get(0);
            // PONG silence would take 30 s to count here: a move within the test's time is the ICMP's doing.
            cluster.joinSessions(LifelineClient.Options.defaults(List.of(signaling.signalingUri()))
                    .withLiveness(Duration.ofSeconds(10), 3, Duration.ofSeconds(30)), 6, 2);

            InstanceProcess victim = hostOfMostSessions(cluster, started.relays());
            InstanceProcess survivor = started.relays().get(0) == victim ? started.relays().get(1) : started.relays().get(0);
            for (List<AudioParticipant> call : cluster.sessions) {
                // One standby per session, the same for both sides of the call: the other relay.
                for (AudioParticipant p : call) {
                    Assignment.Standby standby = p.assignment().standby().orElseThrow();
                    String other = p.assignment().relayId().equals(victim.instanceId) ? survivor.instanceId
                            : victim.instanceId;
                    assertThat(standby.relayId()).isEqualTo(other);
                    assertThat(standby.epoch()).isEqualTo(p.assignment().epoch() + 1);
                }
            }
            List<AudioParticipant> affected = cluster.allParticipants().stream()
                    .filter(p -> p.assignment().relayId().equals(victim.instanceId)).toList();
            assertThat(affected).isNotEmpty();
            Map<AudioParticipant, Assignment> before = new HashMap<>();
            affected.forEach(p -> before.put(p, p.assignment()));

            // The session items become unreachable for signaling: every read and write of them fails.
            proxy.inject(Fault.serverError(500).onAction("dynamodb:GetItem"));
            proxy.inject(Fault.serverError(500).onAction("dynamodb:UpdateItem"));
            Instant killedAt = Instant.now();
            long killedNanos = System.nanoTime();
            affected.forEach(p -> p.awaitMediaAwayFrom(victim.instanceId, killedNanos));
            victim.kill();

            Awaitility.await("media flowing again through the standby, with the session items unreachable")
                    .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> affected.stream().allMatch(p -> p.mediaAgainNanos() > 0));
            Instant mediaAgainAt = Instant.now();
            for (AudioParticipant p : affected) {
                assertThat(p.lostCause()).as("what told the client").isEqualTo("unreachable");
                assertThat(p.standbyNanos()).as("bound to the standby").isPositive();
                assertThat(p.assignment().relayId()).isEqualTo(survivor.instanceId);
                assertThat(p.assignment().epoch()).isEqualTo(before.get(p).epoch() + 1);
            }
            List<RecordedCall> sessionCallsBeforeMedia = proxy.calls().stream()
                    .filter(c -> SESSION_ITEM_CALLS.contains(c.action()) && !c.at().isBefore(killedAt)
                            && c.at().isBefore(mediaAgainAt)).toList();
            assertThat(sessionCallsBeforeMedia).as("session item reads/writes answered before media flowed again")
                    .allMatch(RecordedCall::faulted);
            for (List<AudioParticipant> call : cluster.sessions) {
                if (affected.contains(call.get(0))) {
                    assertThat(cluster.store.find(call.get(0).assignment().sessionId()).orElseThrow().relayId())
                            .as("not recorded yet").isEqualTo(victim.instanceId);
                }
            }

            // The table is back: signaling records each move (a conditional write of epoch + 1 onto the standby).
            proxy.clearFaults();
            Awaitility.await("every move recorded and confirmed").atMost(Duration.ofSeconds(30))
                    .until(() -> affected.stream().allMatch(p -> p.recordedNanos() > 0));
            for (AudioParticipant p : affected) {
                SessionRecord stored = cluster.store.find(p.assignment().sessionId()).orElseThrow();
                assertThat(stored.relayId()).isEqualTo(survivor.instanceId);
                assertThat(stored.epoch()).isEqualTo(before.get(p).epoch() + 1);
                assertThat(stored.participants()).containsExactlyInAnyOrder("user-0", "user-1");
                assertThat(p.assignment().relayId()).isEqualTo(survivor.instanceId);
                assertThat(p.assignment().epoch()).isEqualTo(stored.epoch());
                assertThat(p.client().moves()).as("one move: onto the standby, confirmed in place").isEqualTo(1);
            }
            assertThat(proxy.calls().stream().filter(c -> c.action().equals("dynamodb:UpdateItem") && !c.faulted()
                    && c.at().isAfter(mediaAgainAt))).as("the moves recorded after media flowed").isNotEmpty();
        }
    }

    @Test
    void aRelayPausedForLessThanTheBoundMovesNobodyAndOneThatStaysSilentIsLeftForTheStandby() throws Exception {
        try (Cluster cluster = new Cluster("ap-northeast-1")) {
            Cluster.Started started = cluster.startReady(List.of("sig"), List.of("relay-a", "relay-b"));
            cluster.joinSessions(started.signaling().get(0), 4, 2);
            InstanceProcess paused = hostOfMostSessions(cluster, started.relays());
            InstanceProcess survivor = started.relays().get(0) == paused ? started.relays().get(1) : started.relays().get(0);
            List<AudioParticipant> affected = cluster.allParticipants().stream()
                    .filter(p -> p.assignment().relayId().equals(paused.instanceId)).toList();

            // Frozen for 300 ms: longer than a keepalive interval plus the answer bound's floor (a single miss),
            // shorter than the 1.5 s of silence with five misses in a row that the defaults call a death.
            paused.pause();
            Thread.sleep(300); // the length of the injected pause, not a wait for a result
            paused.unpause();
            long after = System.nanoTime();
            affected.forEach(p -> p.stats().mark(after));
            Awaitility.await("media through the paused relay again").atMost(Duration.ofSeconds(10))
                    .until(() -> affected.stream().allMatch(p -> p.stats().firstReceivedAfterMarkNanos() > 0));
            for (AudioParticipant p : cluster.allParticipants()) {
                assertThat(p.client().moves()).as(p.assignment().participantId() + " moved").isZero();
                assertThat(p.losses()).as("gave up on a relay").isEmpty();
                assertThat(p.assignment().relayId()).isIn(paused.instanceId, survivor.instanceId);
            }

            // Frozen for good: keepalives go unanswered, the suspicion is confirmed, and each call moves to its
            // standby; signaling's own probe finds the relay silent too and records the move.
            long frozen = System.nanoTime();
            affected.forEach(p -> p.awaitMediaAwayFrom(paused.instanceId, frozen));
            paused.pause();
            Awaitility.await("every affected call on the survivor, media flowing, the move recorded")
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> affected.stream().allMatch(p -> p.mediaAgainNanos() > 0 && p.recordedNanos() > 0
                            && p.assignment().relayId().equals(survivor.instanceId)));
            for (AudioParticipant p : affected) {
                assertThat(p.lostCause()).isEqualTo("silent");
                assertThat(p.standbyNanos()).isPositive();
                SessionRecord stored = cluster.store.find(p.assignment().sessionId()).orElseThrow();
                assertThat(stored.relayId()).isEqualTo(survivor.instanceId);
                assertThat(stored.epoch()).isEqualTo(p.assignment().epoch());
            }
        }
    }

    @Test
    void aDrainedRelaysCallsMoveToTheirStandbyAtOnceAndTheRelayExitsOnceEmpty() throws Exception {
        try (Cluster cluster = new Cluster("me-south-1")) {
            Cluster.Started started = cluster.startReady(List.of("sig"), List.of("relay-a", "relay-b"));
            cluster.joinSessions(started.signaling().get(0), 4, 2);
            InstanceProcess draining = hostOfMostSessions(cluster, started.relays());
            InstanceProcess spare = started.relays().get(0) == draining ? started.relays().get(1) : started.relays().get(0);
            List<AudioParticipant> affected = cluster.allParticipants().stream()
                    .filter(p -> p.assignment().relayId().equals(draining.instanceId)).toList();
            Map<AudioParticipant, Assignment> before = new HashMap<>();
            affected.forEach(p -> before.put(p, p.assignment()));
            long drainAt = System.nanoTime();
            affected.forEach(p -> p.awaitMediaAwayFrom(draining.instanceId, drainAt));

            assertThat(draining.httpStatus("POST", "/admin/drain")).isEqualTo(202);

            Awaitility.await("every affected call on its standby, media flowing, the move recorded")
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> affected.stream().allMatch(p -> p.mediaAgainNanos() > 0 && p.recordedNanos() > 0
                            && p.assignment().relayId().equals(spare.instanceId)));
            for (AudioParticipant p : affected) {
                assertThat(p.lostCause()).isEqualTo("draining");
                assertThat(p.standbyNanos()).as("moved to the standby before signaling answered").isPositive();
                SessionRecord stored = cluster.store.find(p.assignment().sessionId()).orElseThrow();
                assertThat(stored.relayId()).isEqualTo(spare.instanceId);
                assertThat(stored.epoch()).isEqualTo(before.get(p).epoch() + 1);
            }
            Awaitility.await("the drained relay exits once its clients left").atMost(Duration.ofSeconds(30))
                    .until(() -> !draining.process.isAlive());
        }
    }

    private static InstanceProcess hostOfMostSessions(Cluster cluster, List<InstanceProcess> relays) {
        InstanceProcess a = relays.get(0);
        InstanceProcess b = relays.get(1);
        long onA = cluster.sessions.stream().filter(m -> m.get(0).assignment().relayId().equals(a.instanceId)).count();
        return onA * 2 >= cluster.sessions.size() ? a : b;
    }
}
