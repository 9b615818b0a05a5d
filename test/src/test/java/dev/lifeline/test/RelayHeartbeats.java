package dev.lifeline.test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lifeline.sessiontable.InstanceHeartbeat;
import dev.lifeline.sessiontable.InstanceHeartbeatCodec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Plays the media-server relays of a test (the simulated pods run no media-server): writes their
 * instance heartbeats into the session table with the media-server's codec, with a fresh
 * updatedAt every 500 ms (the relays write every second), until closed. A region's relays are asked
 * for every round, so relays can come and go as a Deployment's replicas do.
 */
final class RelayHeartbeats implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelayHeartbeats.class);
    private static final long ROUND_MILLIS = 500;
    /** As the media-server: items outlive their writer briefly; readers judge freshness by updatedAt. */
    private static final Duration ITEM_LIFETIME = Duration.ofSeconds(30);

    /**
     * One relay as it reports itself: not draining, with room for {@code capacity} sessions, reachable at
     * {@code address} (host:port; peers probe it with a UDP PING while the region's operator is silent), ready
     * unless it is full.
     */
    record Relay(String instanceId, long sessions, long capacity, String address, boolean ready) {
        Relay(String instanceId, long sessions, long capacity, String address) {
            this(instanceId, sessions, capacity, address, true);
        }

        Relay(String instanceId, long sessions, long capacity) {
            this(instanceId, sessions, capacity, "192.0.2.10:40000");
        }

        /** A relay at capacity: as the media-server reports it, not ready because it is full. */
        static Relay full(String instanceId, long capacity) {
            return new Relay(instanceId, capacity, capacity, "192.0.2.10:40000", false);
        }
    }

    private final URI endpoint;
    private final String table;
    private final Map<String, Supplier<List<Relay>>> relaysByRegion = new ConcurrentHashMap<>();
    private final Map<String, DynamoDbClient> clients = new ConcurrentHashMap<>();
    private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "relay-heartbeats");
        t.setDaemon(true);
        return t;
    });

    private RelayHeartbeats(URI endpoint, String table) {
        this.endpoint = endpoint;
        this.table = table;
    }

    /** Starts writing rounds into {@code table} at the DynamoDB endpoint (moto). */
    static RelayHeartbeats start(URI endpoint, String table) {
        RelayHeartbeats heartbeats = new RelayHeartbeats(endpoint, table);
        heartbeats.rounds.scheduleWithFixedDelay(heartbeats::round, 0, ROUND_MILLIS, TimeUnit.MILLISECONDS);
        return heartbeats;
    }

    /** From the next round on, {@code region}'s relays are whatever {@code relays} returns then. */
    void report(String region, Supplier<List<Relay>> relays) {
        relaysByRegion.put(region, relays);
    }

    /** From the next round on, {@code region}'s relays write nothing: they are gone (their items go stale). */
    void silence(String region) {
        relaysByRegion.remove(region);
    }

    private void round() {
        relaysByRegion.forEach((region, relays) -> {
            try {
                long now = System.currentTimeMillis();
                for (Relay relay : relays.get()) {
                    client(region).putItem(b -> b.tableName(table).item(item(region, relay, now)));
                }
            } catch (RuntimeException e) {
                // A failed round is what a relay losing the table looks like; the next round retries.
                LOG.warn("Relay heartbeats of {} not written this round: {}", region, e.toString());
            }
        });
    }

    private static Map<String, AttributeValue> item(String region, Relay relay, long nowMillis) {
        return InstanceHeartbeatCodec.encode(new InstanceHeartbeat(InstanceHeartbeat.MEDIA, region, relay.instanceId(),
                relay.address(), relay.sessions(), relay.capacity(), relay.sessions() * 100.0, 0.0, 1.0, relay.ready(), false,
                Instant.ofEpochMilli(nowMillis)), ITEM_LIFETIME);
    }

    /** Each region's relays write to their own region's replica, as in a global table. */
    private DynamoDbClient client(String region) {
        return clients.computeIfAbsent(region, r -> DynamoDbClient.builder().endpointOverride(endpoint)
                .region(Region.of(r))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("lifeline-test", "lifeline-test")))
                .httpClient(UrlConnectionHttpClient.create()).build());
    }

    @Override
    public void close() {
        rounds.shutdownNow();
        try {
            rounds.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clients.values().forEach(DynamoDbClient::close);
    }
}
