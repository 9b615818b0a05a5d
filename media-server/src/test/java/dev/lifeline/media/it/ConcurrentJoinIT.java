package dev.lifeline.media.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.lifeline.media.protocol.ServerMessage;
import dev.lifeline.media.session.DynamoSessionStore;
import dev.lifeline.media.session.InstanceDirectory;
import dev.lifeline.media.session.RelaySelector;
import dev.lifeline.media.signaling.RelayDirectory;
import dev.lifeline.media.signaling.RelayProbe;
import dev.lifeline.media.signaling.SessionService;
import dev.lifeline.media.token.ReplayGuard;
import dev.lifeline.media.token.TokenClaims;
import dev.lifeline.media.token.TokenCodec;
import dev.lifeline.sessiontable.InstanceHeartbeat;
import dev.lifeline.sessiontable.SessionRecord;
import dev.lifeline.testkit.MotoServer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Participants of one session joining at the same instant must all land on one relay. */
class ConcurrentJoinIT {

    @Test
    void everyParticipantOfASessionGetsTheSameRelayAndEpochWhenAllJoinAtOnce() throws Exception {
        DynamoDbClient dynamo = SessionTable.client(MotoServer.shared().endpoint());
        String table = "join-it-" + UUID.randomUUID().toString().substring(0, 8);
        SessionTable.create(dynamo, table);
        DynamoSessionStore store = new DynamoSessionStore(dynamo, table, "us-east-1", Duration.ofHours(1),
                Duration.ofSeconds(3), Clock.systemUTC());
        TokenCodec tokens = new TokenCodec("concurrent-join-secret".getBytes(StandardCharsets.UTF_8));
        long now = System.currentTimeMillis();
        List<InstanceHeartbeat> relays = List.of(
                new InstanceHeartbeat("media", "us-east-1", "relay-a", "127.0.0.1:1", 0, 1000, 0.0, 0.0, 0.0, true, false,
                        Instant.ofEpochMilli(now)),
                new InstanceHeartbeat("media", "us-east-1", "relay-b", "127.0.0.1:2", 0, 1000, 0.0, 0.0, 0.0, true, false,
                        Instant.ofEpochMilli(now)));
        InstanceDirectory directory = new InstanceDirectory() {
            @Override
            public void publish(InstanceHeartbeat heartbeat) {
            }

            @Override
            public List<InstanceHeartbeat> list(String region, String role) {
                return relays;
            }
        };
        SessionService service = new SessionService(tokens, new ReplayGuard(10_000), store, store,
                new RelayDirectory(directory, List.of("us-east-1"), 60_000, System::currentTimeMillis),
                new RelaySelector(new RelaySelector.Duration(60_000), new Random()), address -> RelayProbe.Status.ALIVE,
                "us-east-1", 3600, 600, System::currentTimeMillis, List.of());

        int sessions = 60;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<List<Future<ServerMessage.Assigned>>> replies = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            List<Future<ServerMessage.Assigned>> call = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                String token = tokens.sign(TokenClaims.join("race-" + s, "p" + p, now / 1000 + 600,
                        UUID.randomUUID().toString()));
                call.add(pool.submit(() -> service.join(token).reply()));
            }
            replies.add(call);
        }
        for (int s = 0; s < sessions; s++) {
            ServerMessage.Assigned first = replies.get(s).get(0).get();
            ServerMessage.Assigned second = replies.get(s).get(1).get();
            SessionRecord stored = store.find("race-" + s).orElseThrow();
            assertThat(second.relayId()).as("session race-%d", s).isEqualTo(first.relayId());
            assertThat(second.epoch()).isEqualTo(first.epoch());
            assertThat(stored.relayId()).isEqualTo(first.relayId());
            assertThat(stored.participants()).containsExactlyInAnyOrder("p0", "p1");
        }
        pool.shutdown();
    }
}
