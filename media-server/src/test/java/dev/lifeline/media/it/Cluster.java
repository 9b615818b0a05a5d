package dev.lifeline.media.it;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Recorder;
import org.awaitility.Awaitility;

import dev.lifeline.media.client.LifelineClient;
import dev.lifeline.media.load.AudioParticipant;
import dev.lifeline.media.session.DynamoSessionStore;
import dev.lifeline.media.token.TokenClaims;
import dev.lifeline.media.token.TokenCodec;
import dev.lifeline.sessiontable.InstanceHeartbeat;
import dev.lifeline.testkit.MotoServer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One region's worth of real processes for a test: signaling, relays, and participants that send
 * audio-like packets every 20 ms. Each test uses its own region and table, so tests never see each other's relays.
 */
final class Cluster implements AutoCloseable {

    final String region;
    /** Where the instances reach the table: moto, or a recording proxy in front of it. */
    final URI dynamoEndpoint;
    final DynamoDbClient dynamo;
    final String table = "sessions-" + UUID.randomUUID().toString().substring(0, 8);
    final DynamoSessionStore store;
    final List<InstanceProcess> processes = new ArrayList<>();
    final List<List<AudioParticipant>> sessions = new ArrayList<>();
    private final TokenCodec tokens = new TokenCodec(InstanceProcess.TOKEN_SECRET.getBytes(StandardCharsets.UTF_8));
    private final Recorder latency = new Recorder(3);
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();

    /** {@code region} must be a real AWS region name (the instances' SDK uses it); one per test keeps tests apart. */
    Cluster(String region) {
        this(region, MotoServer.shared().endpoint());
    }

    /** The instances reach the table at {@code instanceEndpoint}; the test itself goes to moto directly. */
    Cluster(String region, URI instanceEndpoint) {
        this.region = region;
        this.dynamoEndpoint = instanceEndpoint;
        this.dynamo = SessionTable.client(MotoServer.shared().endpoint(), region);
        SessionTable.create(dynamo, table);
        store = new DynamoSessionStore(dynamo, table, region, Duration.ofHours(1), Duration.ofSeconds(3),
                java.time.Clock.systemUTC());
    }

    InstanceProcess start(String role, String name) {
        InstanceProcess process = InstanceProcess.start(role, name + "-" + table, region, dynamoEndpoint, table, Map.of());
        processes.add(process);
        return process;
    }

    /** Signaling instances and relays started together and ready, the relays visible to signaling. */
    record Started(List<InstanceProcess> signaling, List<InstanceProcess> relays) {
    }

    /** Starts the named signaling instances and relays (all at once: they boot in parallel) and waits for them. */
    Started startReady(List<String> signalingNames, List<String> relayNames) {
        List<InstanceProcess> signaling = signalingNames.stream().map(n -> start("signaling", n)).toList();
        List<InstanceProcess> relays = relayNames.stream().map(n -> start("media", n)).toList();
        signaling.forEach(InstanceProcess::awaitReady);
        relays.forEach(InstanceProcess::awaitReady);
        awaitRelaysVisible(relays.toArray(InstanceProcess[]::new));
        return new Started(signaling, relays);
    }

    void awaitRelaysVisible(InstanceProcess... relays) {
        Awaitility.await("relay heartbeats").atMost(Duration.ofSeconds(30)).until(() -> {
            List<String> live = store.list(region, InstanceHeartbeat.MEDIA).stream()
                    .filter(h -> h.ready() && !h.draining()).map(InstanceHeartbeat::instanceId).toList();
            for (InstanceProcess relay : relays) {
                if (!live.contains(relay.instanceId)) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Joins {@code count} sessions of {@code size} participants through {@code signaling}; starts sending. */
    void joinSessions(InstanceProcess signaling, int count, int size) throws Exception {
        joinSessions(List.of(signaling.signalingUri()), count, size);
    }

    /** Clients try the signaling URIs in order, moving to the next when one fails or drains. */
    void joinSessions(List<java.net.URI> signaling, int count, int size) throws Exception {
        joinSessions(LifelineClient.Options.defaults(signaling), count, size);
    }

    /** The same with the clients' options given (signaling URIs included). */
    void joinSessions(LifelineClient.Options options, int count, int size) throws Exception {
        long expires = System.currentTimeMillis() / 1000 + 300;
        for (int s = 0; s < count; s++) {
            List<AudioParticipant> members = new ArrayList<>();
            for (int p = 0; p < size; p++) {
                String token = tokens.sign(TokenClaims.join("call-" + s, "user-" + p, expires, UUID.randomUUID().toString()));
                members.add(new AudioParticipant(s * 100 + p, latency).join(options, token));
            }
            sessions.add(members);
        }
        sender.scheduleAtFixedRate(() -> sessions.forEach(members -> members.forEach(AudioParticipant::sendNext)),
                0, 20, TimeUnit.MILLISECONDS);
        Awaitility.await("media flowing in every session").atMost(Duration.ofSeconds(30))
                .until(() -> allParticipants().stream().allMatch(p -> p.stats().received() > 5));
    }

    List<AudioParticipant> allParticipants() {
        return sessions.stream().flatMap(List::stream).toList();
    }

    @Override
    public void close() {
        sender.shutdownNow();
        allParticipants().forEach(AudioParticipant::close);
        processes.forEach(InstanceProcess::close);
        dynamo.close();
    }
}
