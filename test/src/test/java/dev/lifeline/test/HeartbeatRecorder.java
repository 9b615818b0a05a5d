package dev.lifeline.test;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.lifeline.sessiontable.ItemKeys;
import dev.lifeline.sessiontable.RegionHeartbeatCodec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Records a region's operator heartbeat (item {@code REGION#<region>/HEARTBEAT} of the session table) as a peer reads
 * it: from the peer's table replica, every {@value #POLL_MILLIS} ms. Each new heartbeat is kept with the time it was
 * first seen, so a test or a benchmark can tell how old the latest heartbeat ever got for a reader.
 */
final class HeartbeatRecorder implements AutoCloseable {

    static final long POLL_MILLIS = 50;

    /** One heartbeat: its own time ({@code at}, written by the operator) and when the reader first saw it. */
    record Seen(Instant at, Instant seenAt) {
    }

    private final DynamoDbClient client;
    private final String table;
    private final String region;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "heartbeat-recorder");
        thread.setDaemon(true);
        return thread;
    });

    private HeartbeatRecorder(URI endpoint, String table, String region, String readerRegion) {
        this.table = table;
        this.region = region;
        this.client = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.of(readerRegion))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("lifeline-test", "lifeline-test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** Records {@code region}'s heartbeat as read from {@code readerRegion}'s replica of {@code table}. */
    static HeartbeatRecorder start(URI dynamoDb, String table, String region, String readerRegion) {
        HeartbeatRecorder recorder = new HeartbeatRecorder(dynamoDb, table, region, readerRegion);
        recorder.poller.scheduleWithFixedDelay(recorder::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
        return recorder;
    }

    private void poll() {
        try {
            var item = client.getItem(b -> b.tableName(table).key(ItemKeys.regionHeartbeatKey(region))).item();
            if (item == null || item.isEmpty()) {
                return;
            }
            Instant at = RegionHeartbeatCodec.decode(item).updatedAt();
            if (seen.isEmpty() || !seen.get(seen.size() - 1).at().equals(at)) {
                seen.add(new Seen(at, Instant.now()));
            }
        } catch (RuntimeException e) {
            // not there yet, or moto busy: the next poll tries again
        }
    }

    /** The first heartbeat written at or after {@code since}, when it has been seen. */
    Optional<Seen> firstWrittenAfter(Instant since) {
        return seen.stream().filter(s -> !s.at().isBefore(since)).findFirst();
    }

    /** The latest heartbeat written before {@code instant}. */
    Optional<Seen> lastWrittenBefore(Instant instant) {
        return seen.stream().filter(s -> s.at().isBefore(instant)).reduce((a, b) -> b);
    }

    @Override
    public void close() {
        poller.shutdownNow();
        client.close();
    }
}
