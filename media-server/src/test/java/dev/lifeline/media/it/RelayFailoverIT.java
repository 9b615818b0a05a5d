package dev.lifeline.media.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.lifeline.media.client.Assignment;
import dev.lifeline.media.load.AudioParticipant;
import dev.lifeline.sessiontable.SessionRecord;

/**
 * The promise of the media server, with real processes on loopback and moto as the session table:
 * a relay killed with SIGKILL loses no session, and a drained relay hands every session over.
 */
class RelayFailoverIT {

    @Test
    void everySessionOfARelayKilledWithSigkillResumesOnTheOtherUnderTheSameIdsAtTheNextEpoch() throws Exception {
        try (Cluster cluster = new Cluster("eu-west-1")) {
            Cluster.Started started = cluster.startReady(List.of("sig"), List.of("relay-a", "relay-b"));
            InstanceProcess relayA = started.relays().get(0);
            InstanceProcess relayB = started.relays().get(1);
            cluster.joinSessions(started.signaling().get(0), 8, 2);

            Map<String, Long> sessionsPerRelay = cluster.sessions.stream()
                    .collect(Collectors.groupingBy(m -> m.get(0).assignment().relayId(), Collectors.counting()));
            InstanceProcess victim = sessionsPerRelay.getOrDefault(relayA.instanceId, 0L)
                    >= sessionsPerRelay.getOrDefault(relayB.instanceId, 0L) ? relayA : relayB;
            InstanceProcess survivor = victim == relayA ? relayB : relayA;
            Map<AudioParticipant, Assignment> before = new HashMap<>();
            cluster.allParticipants().forEach(p -> before.put(p, p.assignment()));
            List<AudioParticipant> affected = cluster.allParticipants().stream()
                    .filter(p -> p.assignment().relayId().equals(victim.instanceId)).toList();
            assertThat(affected).isNotEmpty();

            long killedAt = System.nanoTime();
            affected.forEach(p -> p.stats().mark(killedAt));
            victim.kill();

            Awaitility.await("every affected participant receives media via the survivor")
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> affected.stream().allMatch(p -> p.stats().firstReceivedAfterMarkNanos() > 0
                            && p.assignment().relayId().equals(survivor.instanceId)));
            // Media flows through the pre-authorised standby before signaling records the move (a conditional
            // write that follows, seconds later on a busy machine).
            Awaitility.await("every move recorded in the session table")
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> cluster.allParticipants().stream().allMatch(p -> cluster.store
                            .find(p.assignment().sessionId()).map(r -> r.relayId().equals(survivor.instanceId)
                                    && r.epoch() == p.assignment().epoch()).orElse(false)));

            for (AudioParticipant p : cluster.allParticipants()) {
                Assignment was = before.get(p);
                Assignment now = p.assignment();
                assertThat(now.sessionId()).isEqualTo(was.sessionId());
                assertThat(now.participantId()).isEqualTo(was.participantId());
                assertThat(now.epoch()).isEqualTo(affected.contains(p) ? was.epoch() + 1 : was.epoch());
                SessionRecord stored = cluster.store.find(now.sessionId()).orElseThrow();
                assertThat(stored.relayId()).isEqualTo(survivor.instanceId);
                assertThat(stored.epoch()).isEqualTo(now.epoch());
                assertThat(stored.participants()).containsExactlyInAnyOrder("user-0", "user-1");
            }
        }
    }

    @ParameterizedTest(name = "drain by {0}")
    @ValueSource(strings = {"SIGTERM", "POST /admin/drain"})
    void aDrainedRelayHandsEverySessionToAnotherThenExitsByItself(String how) throws Exception {
        try (Cluster cluster = new Cluster(how.equals("SIGTERM") ? "eu-central-1" : "eu-north-1")) {
            InstanceProcess signaling = cluster.start("signaling", "sig");
            InstanceProcess draining = cluster.start("media", "relay-c");
            signaling.awaitReady();
            draining.awaitReady();
            cluster.awaitRelaysVisible(draining);
            // Only relay-c exists yet, so every session starts on it.
            cluster.joinSessions(signaling, 6, 2);
            InstanceProcess spare = cluster.start("media", "relay-d").awaitReady();
            cluster.awaitRelaysVisible(spare);
            assertThat(cluster.allParticipants()).allSatisfy(
                    p -> assertThat(p.assignment().relayId()).isEqualTo(draining.instanceId));

            long drainAt = System.nanoTime();
            cluster.allParticipants().forEach(p -> p.stats().mark(drainAt));
            if (how.equals("SIGTERM")) {
                draining.terminate();
            } else {
                assertThat(draining.httpStatus("POST", "/admin/drain")).isEqualTo(202);
            }

            Awaitility.await("every participant receives media via the spare relay")
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> cluster.allParticipants().stream().allMatch(p -> p.stats().firstReceivedAfterMarkNanos() > 0
                            && p.assignment().relayId().equals(spare.instanceId)));
            Awaitility.await("the drained relay exits once empty").atMost(Duration.ofSeconds(30))
                    .until(() -> !draining.process.isAlive());
            // 143 = 128 + SIGTERM: the JVM's exit status after shutdown hooks ran to completion.
            assertThat(draining.process.exitValue()).isIn(0, 143);
            for (List<AudioParticipant> members : cluster.sessions) {
                SessionRecord stored = cluster.store.find(members.get(0).assignment().sessionId()).orElseThrow();
                assertThat(stored.relayId()).isEqualTo(spare.instanceId);
                assertThat(stored.epoch()).isEqualTo(2);
                assertThat(stored.participants()).hasSize(2);
            }
        }
    }

    @Test
    void aSignalingInstanceStoppedWithSigtermMovesItsClientsToAnotherWithoutInterruptingMedia() throws Exception {
        try (Cluster cluster = new Cluster("ap-southeast-2")) {
            Cluster.Started started = cluster.startReady(List.of("sig-1", "sig-2"), List.of("relay-e"));
            InstanceProcess first = started.signaling().get(0);
            InstanceProcess second = started.signaling().get(1);
            cluster.joinSessions(List.of(first.signalingUri(), second.signalingUri()), 4, 2);
            Map<AudioParticipant, Assignment> before = new HashMap<>();
            cluster.allParticipants().forEach(p -> before.put(p, p.assignment()));

            first.terminate();

            Awaitility.await("every client resumed on the other signaling instance")
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> cluster.allParticipants().stream().allMatch(p -> p.client().resumes() == 1));
            Awaitility.await("the stopped signaling instance exits once its clients left")
                    .atMost(Duration.ofSeconds(30)).until(() -> !first.process.isAlive());
            long afterMove = System.nanoTime();
            cluster.allParticipants().forEach(p -> p.stats().mark(afterMove));
            Awaitility.await("media still flowing").atMost(Duration.ofSeconds(10))
                    .until(() -> cluster.allParticipants().stream().allMatch(p -> p.stats().firstReceivedAfterMarkNanos() > 0));
            for (AudioParticipant p : cluster.allParticipants()) {
                // Same relay, same epoch: only the signaling connection moved.
                assertThat(p.assignment().relayId()).isEqualTo(before.get(p).relayId());
                assertThat(p.assignment().epoch()).isEqualTo(before.get(p).epoch());
            }
        }
    }
}
