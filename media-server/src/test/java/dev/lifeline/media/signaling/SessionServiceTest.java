package dev.lifeline.media.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.lifeline.media.protocol.ServerMessage;
import dev.lifeline.media.session.InstanceDirectory;
import dev.lifeline.media.session.RelaySelector;
import dev.lifeline.media.token.ReplayGuard;
import dev.lifeline.media.token.TokenClaims;
import dev.lifeline.media.token.TokenCodec;
import dev.lifeline.sessiontable.InstanceHeartbeat;
import dev.lifeline.sessiontable.SessionRecord;

class SessionServiceTest {

    private static final long NOW_MS = 1_800_000_000_000L;
    private static final long NOW_S = NOW_MS / 1000;

    private final TokenCodec tokens = new TokenCodec("signaling-test-secret".getBytes(StandardCharsets.UTF_8));
    private final InMemorySessionStore store = new InMemorySessionStore();
    private final List<InstanceHeartbeat> heartbeats = new ArrayList<>();
    private final Map<String, RelayProbe.Status> probeAnswers = new HashMap<>();
    private final List<String> probed = new ArrayList<>();
    /** Nonces recorded by "every signaling instance" (the table in production). */
    private final java.util.Set<String> sharedNonces = new java.util.HashSet<>();
    private SessionService service;

    @BeforeEach
    void setUp() {
        InstanceDirectory directory = new InstanceDirectory() {
            @Override
            public void publish(InstanceHeartbeat heartbeat) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<InstanceHeartbeat> list(String region, String role) {
                return heartbeats.stream().filter(h -> h.region().equals(region)).toList();
            }
        };
        RelayProbe probe = address -> {
            probed.add(address);
            return probeAnswers.getOrDefault(address, RelayProbe.Status.ALIVE);
        };
        service = new SessionService(tokens, new ReplayGuard(100), (nonce, expires) -> sharedNonces.add(nonce), store,
                new RelayDirectory(directory, List.of("r1"), 0, () -> NOW_MS),
                new RelaySelector(new RelaySelector.Duration(3000), new Random(1)), probe, "r1", 3600, 600,
                () -> NOW_MS, java.util.List.of());
        heartbeats.add(relay("relay-a", 0, false));
    }

    @Test
    void theFirstJoinCreatesTheSessionAtEpochOneOnAHealthyRelay() throws Exception {
        ServerMessage.Assigned reply = service.join(joinToken("s1", "alice", "n1")).reply();
        assertThat(reply.type()).isEqualTo("joined");
        assertThat(reply.relayId()).isEqualTo("relay-a");
        assertThat(reply.relayAddress()).isEqualTo("127.0.0.1:4001");
        assertThat(reply.epoch()).isEqualTo(1);
        assertThat(store.sessions.get("s1").participants()).containsExactly("alice");
        TokenClaims media = tokens.verify(reply.mediaToken(), TokenClaims.Kind.MEDIA, NOW_S);
        assertThat(media.relayId()).isEqualTo("relay-a");
        assertThat(media.epoch()).isEqualTo(1);
        assertThat(tokens.verify(reply.resumeToken(), TokenClaims.Kind.RESUME, NOW_S).participantId()).isEqualTo("alice");
    }

    @Test
    void laterParticipantsJoinTheSameRelay() throws Exception {
        service.join(joinToken("s1", "alice", "n1"));
        heartbeats.add(relay("relay-b", 0, false));
        heartbeats.set(0, relay("relay-a", 5, false));
        ServerMessage.Assigned bob = service.join(joinToken("s1", "bob", "n2")).reply();
        assertThat(bob.relayId()).isEqualTo("relay-a");
        assertThat(store.sessions.get("s1").participants()).containsExactlyInAnyOrder("alice", "bob");
    }

    @Test
    void aJoinTokenWorksOnce() throws Exception {
        String token = joinToken("s1", "alice", "n1");
        service.join(token);
        assertRefused(() -> service.join(token), "replayed");
    }

    @Test
    void aJoinTokenAlreadyUsedOnAnotherSignalingInstanceIsRefused() {
        sharedNonces.add("used-elsewhere");
        assertRefused(() -> service.join(joinToken("s1", "alice", "used-elsewhere")), "replayed");
        assertThat(store.sessions).isEmpty();
    }

    @Test
    void forgedExpiredAndWrongKindTokensAreRefused() {
        TokenCodec forger = new TokenCodec("a-different-secret!!".getBytes(StandardCharsets.UTF_8));
        assertRefused(() -> service.join(forger.sign(TokenClaims.join("s1", "a", NOW_S + 60, "n"))), "bad_signature");
        assertRefused(() -> service.join(tokens.sign(TokenClaims.join("s1", "a", NOW_S, "n"))), "expired");
        assertRefused(() -> service.join(tokens.sign(TokenClaims.resume("s1", "a", NOW_S + 60))), "wrong_kind");
        assertRefused(() -> service.resume(joinToken("s1", "a", "n"), null, 0), "wrong_kind");
    }

    @Test
    void noHealthyRelayIsAClearRefusal() {
        heartbeats.clear();
        heartbeats.add(relay("relay-a", 0, true));
        assertRefused(() -> service.join(joinToken("s1", "alice", "n1")), "no_relay");
    }

    @Test
    void aJoinRefusedBecauseNoRelayIsAliveKeepsItsTokenForARetry() throws Exception {
        heartbeats.clear();
        heartbeats.add(relay("relay-a", 0, true)); // draining: no relay alive
        String token = joinToken("s1", "alice", "n1");
        assertRefused(() -> service.join(token), "no_relay");
        assertThat(sharedNonces).isEmpty();

        heartbeats.set(0, relay("relay-a", 0, false)); // back
        assertThat(service.join(token).reply().relayId()).isEqualTo("relay-a");
        assertRefused(() -> service.join(token), "replayed"); // and now it is used
    }

    @Test
    void resumingAnUnknownSessionOrAfterLeavingIsRefused() throws Exception {
        assertRefused(() -> service.resume(resumeToken("nope", "alice"), null, 0), "unknown_session");
        service.join(joinToken("s1", "alice", "n1"));
        service.join(joinToken("s1", "bob", "n2"));
        service.leave(new SessionService.Participant("s1", "alice"));
        assertRefused(() -> service.resume(resumeToken("s1", "alice"), null, 0), "not_a_participant");
    }

    @Test
    void aResumeWithoutAFailureKeepsTheRelayAndTheEpoch() throws Exception {
        service.join(joinToken("s1", "alice", "n1"));
        ServerMessage.Assigned reply = service.resume(resumeToken("s1", "alice"), null, 0).reply();
        assertThat(reply.type()).isEqualTo("resumed");
        assertThat(reply.relayId()).isEqualTo("relay-a");
        assertThat(reply.epoch()).isEqualTo(1);
        assertThat(probed).isEmpty();
    }

    @Test
    void aReportedDeadRelayThatDoesNotAnswerTheProbeIsReplacedAtTheNextEpoch() throws Exception {
        service.join(joinToken("s1", "alice", "n1"));
        heartbeats.add(relay("relay-b", 0, false));
        probeAnswers.put("127.0.0.1:4001", RelayProbe.Status.DEAD);
        ServerMessage.Assigned reply = service.resume(resumeToken("s1", "alice"), "relay-a", 1).reply();
        assertThat(reply.relayId()).isEqualTo("relay-b");
        assertThat(reply.epoch()).isEqualTo(2);
        assertThat(tokens.verify(reply.mediaToken(), TokenClaims.Kind.MEDIA, NOW_S).epoch()).isEqualTo(2);
        assertThat(store.sessions.get("s1").relayId()).isEqualTo("relay-b");
    }

    @Test
    void theSecondParticipantReportingTheSameFailureGetsTheNewRelayWithoutASecondMove() throws Exception {
        service.join(joinToken("s1", "alice", "n1"));
        service.join(joinToken("s1", "bob", "n2"));
        heartbeats.add(relay("relay-b", 0, false));
        probeAnswers.put("127.0.0.1:4001", RelayProbe.Status.DEAD);
        service.resume(resumeToken("s1", "alice"), "relay-a", 1);
        ServerMessage.Assigned bob = service.resume(resumeToken("s1", "bob"), "relay-a", 1).reply();
        assertThat(bob.relayId()).isEqualTo("relay-b");
        assertThat(bob.epoch()).isEqualTo(2);
        assertThat(store.reassignments).isEqualTo(1);
    }

    @Test
    void aClientCannotMoveASessionOffARelayThatAnswersTheProbe() throws Exception {
        service.join(joinToken("s1", "alice", "n1"));
        heartbeats.add(relay("relay-b", 0, false));
        ServerMessage.Assigned reply = service.resume(resumeToken("s1", "alice"), "relay-a", 1).reply();
        assertThat(reply.relayId()).isEqualTo("relay-a");
        assertThat(store.reassignments).isZero();
    }

    @Test
    void aDrainingRelayLosesItsSessionsOnResume() throws Exception {
        service.join(joinToken("s1", "alice", "n1"));
        heartbeats.set(0, relay("relay-a", 1, true));
        heartbeats.add(relay("relay-b", 0, false));
        assertThat(service.resume(resumeToken("s1", "alice"), "relay-a", 1).reply().relayId()).isEqualTo("relay-b");
    }

    @Test
    void aRelayThatSaysItIsDrainingBeforeItsHeartbeatDoesIsLeftToo() throws Exception {
        service.join(joinToken("s1", "alice", "n1"));
        heartbeats.add(relay("relay-b", 0, false));
        probeAnswers.put("127.0.0.1:4001", RelayProbe.Status.DRAINING);
        assertThat(service.resume(resumeToken("s1", "alice"), "relay-a", 1).reply().relayId()).isEqualTo("relay-b");
    }

    @Test
    void losingTheFencingRaceReturnsTheWinnersRelay() throws Exception {
        service.join(joinToken("s1", "alice", "n1"));
        heartbeats.add(relay("relay-b", 0, false));
        heartbeats.add(relay("relay-c", 0, false));
        probeAnswers.put("127.0.0.1:4001", RelayProbe.Status.DEAD);
        SessionRecord before = store.sessions.get("s1");
        store.concurrentWinner = new SessionRecord("s1", 2, "relay-c", "127.0.0.1:4003", "r1", before.participants(), 0);
        ServerMessage.Assigned reply = service.resume(resumeToken("s1", "alice"), "relay-a", 1).reply();
        assertThat(reply.relayId()).isEqualTo("relay-c");
        assertThat(reply.epoch()).isEqualTo(2);
        assertThat(store.reassignments).isZero();
    }

    @Test
    void aSessionWhoseRelayHeartbeatWentStaleMovesOnTheNextJoin() throws Exception {
        service.join(joinToken("s1", "alice", "n1"));
        heartbeats.set(0, new InstanceHeartbeat("media", "r1", "relay-a", "127.0.0.1:4001", 1, 10, 0.0, 0.0, 0.0, true,
                false, Instant.ofEpochMilli(NOW_MS - 10_000)));
        heartbeats.add(relay("relay-b", 0, false));
        ServerMessage.Assigned bob = service.join(joinToken("s1", "bob", "n2")).reply();
        assertThat(bob.relayId()).isEqualTo("relay-b");
        assertThat(bob.epoch()).isEqualTo(2);
    }

    @Test
    void theJoinReplyCarriesTheSessionsStandbyWithATokenForTheNextEpochTheSameForEveryParticipant() throws Exception {
        heartbeats.add(relay("relay-b", 0, false));
        ServerMessage.Assigned alice = service.join(joinToken("s1", "alice", "n1")).reply();
        heartbeats.add(relay("relay-c", 0, false));
        ServerMessage.Assigned bob = service.join(joinToken("s1", "bob", "n2")).reply();

        String other = alice.relayId().equals("relay-a") ? "relay-b" : "relay-a";
        assertThat(alice.standby().relayId()).isEqualTo(other);
        assertThat(bob.standby()).as("the item's standby, not a new pick").isNotNull();
        assertThat(bob.standby().relayId()).isEqualTo(other);
        assertThat(bob.standby().epoch()).isEqualTo(2);
        TokenClaims standbyToken = tokens.verify(bob.standby().mediaToken(), TokenClaims.Kind.MEDIA, NOW_S);
        assertThat(standbyToken.relayId()).isEqualTo(other);
        assertThat(standbyToken.epoch()).isEqualTo(2);
        assertThat(standbyToken.participantId()).isEqualTo("bob");
        assertThat(store.sessions.get("s1").standbyRelayId()).isEqualTo(other);
    }

    @Test
    void aLoneRelayMeansNoStandby() throws Exception {
        assertThat(service.join(joinToken("s1", "alice", "n1")).reply().standby()).isNull();
    }

    @Test
    void aDeadRelaysSessionMovesOntoItsStandbyWithANewStandbyThatIsNotTheDeadRelay() throws Exception {
        heartbeats.add(relay("relay-b", 0, false));
        ServerMessage.Assigned joined = service.join(joinToken("s1", "alice", "n1")).reply();
        String standby = joined.standby().relayId();
        heartbeats.add(relay("relay-c", 5, false));
        probeAnswers.put(joined.relayAddress(), RelayProbe.Status.DEAD);

        ServerMessage.Assigned moved = service.resume(resumeToken("s1", "alice"), joined.relayId(), 1).reply();

        assertThat(moved.relayId()).as("the standby the clients are on already").isEqualTo(standby);
        assertThat(moved.epoch()).isEqualTo(2);
        // The dead relay's heartbeat is still fresh; it must not stand by for the new epoch.
        assertThat(moved.standby().relayId()).isEqualTo("relay-c");
        assertThat(moved.standby().epoch()).isEqualTo(3);
        assertThat(store.sessions.get("s1").standbyRelayId()).isEqualTo("relay-c");
    }

    @Test
    void aStandbyThatStartedDrainingIsPassedOver() throws Exception {
        heartbeats.add(relay("relay-b", 0, false));
        ServerMessage.Assigned joined = service.join(joinToken("s1", "alice", "n1")).reply();
        String standby = joined.standby().relayId();
        heartbeats.replaceAll(h -> h.instanceId().equals(standby) ? relay(standby, 0, true) : h);
        heartbeats.add(relay("relay-c", 0, false));
        probeAnswers.put(joined.relayAddress(), RelayProbe.Status.DEAD);

        ServerMessage.Assigned moved = service.resume(resumeToken("s1", "alice"), joined.relayId(), 1).reply();

        assertThat(moved.relayId()).isEqualTo("relay-c");
        assertThat(moved.standby()).as("nothing else is eligible").isNull();
        assertThat(store.sessions.get("s1").hasStandby()).isFalse();
    }

    private String joinToken(String session, String participant, String nonce) {
        return tokens.sign(TokenClaims.join(session, participant, NOW_S + 60, nonce));
    }

    private String resumeToken(String session, String participant) {
        return tokens.sign(TokenClaims.resume(session, participant, NOW_S + 60));
    }

    private static InstanceHeartbeat relay(String id, int sessions, boolean draining) {
        int port = 4000 + (id.charAt(id.length() - 1) - 'a' + 1);
        return new InstanceHeartbeat("media", "r1", id, "127.0.0.1:" + port, sessions, 10, 0.0, 0.0, 0.0, !draining,
                draining, Instant.ofEpochMilli(NOW_MS));
    }

    private static void assertRefused(ThrowingCall call, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SignalingRefused.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

}
