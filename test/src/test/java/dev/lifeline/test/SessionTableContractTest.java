package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.lifeline.media.session.DynamoSessionStore;
import dev.lifeline.operator.health.InstanceHeartbeatRead;
import dev.lifeline.operator.health.RegionLoad;
import dev.lifeline.sessiontable.InstanceHeartbeat;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

/**
 * The seam between the media-server and the operator, without a DynamoDB: the item the media-server's
 * real writer ({@link DynamoSessionStore#publish}) puts is handed to the operator's real reader
 * ({@link InstanceHeartbeatRead#fromItems}, the decoding step of DynamoDbCoordinationStore.readInstances).
 * The expected item is spelled out literally here, so renaming an attribute on either side (or in the shared
 * session-table module, which would break a rolling upgrade) fails this test.
 */
class SessionTableContractTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:10:00.250Z");
    private static final String REGION = "eu-west-1";

    /** What a relay reports: every field set, none equal to another, so a swapped field shows. */
    private static final InstanceHeartbeat RELAY = new InstanceHeartbeat(InstanceHeartbeat.MEDIA, REGION,
            "meet-media-server-7d9-x2", "10.0.0.7:40000", 42, 500, 1250.5, 0.01, 3.5, true, false, AT);

    /** The documented layout (docs/session-table.md), with the media-server's heartbeat lifetime of 3 s. */
    private static Map<String, AttributeValue> documentedItem() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS("INSTANCE#eu-west-1"));
        item.put("sk", AttributeValue.fromS("media#meet-media-server-7d9-x2"));
        item.put("role", AttributeValue.fromS("media"));
        item.put("region", AttributeValue.fromS("eu-west-1"));
        item.put("instanceId", AttributeValue.fromS("meet-media-server-7d9-x2"));
        item.put("address", AttributeValue.fromS("10.0.0.7:40000"));
        item.put("sessions", AttributeValue.fromN("42"));
        item.put("capacity", AttributeValue.fromN("500"));
        item.put("packetsPerSecond", AttributeValue.fromN("1250.5"));
        item.put("lossRatio", AttributeValue.fromN("0.01"));
        item.put("eventLoopLagMillis", AttributeValue.fromN("3.5"));
        item.put("ready", AttributeValue.fromBool(true));
        item.put("draining", AttributeValue.fromBool(false));
        item.put("updatedAt", AttributeValue.fromN(Long.toString(AT.toEpochMilli())));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(AT.plusSeconds(3).getEpochSecond())));
        return item;
    }

    private final RecordingDynamoDb table = new RecordingDynamoDb();
    private final DynamoSessionStore mediaServer = new DynamoSessionStore(table, "meet-sessions", REGION,
            Duration.ofHours(12), Duration.ofSeconds(3), Clock.fixed(AT, ZoneOffset.UTC));

    @Test
    void theMediaServerWritesTheDocumentedItem() {
        mediaServer.publish(RELAY);

        assertThat(table.puts).singleElement().satisfies(put -> {
            assertThat(put.tableName()).isEqualTo("meet-sessions");
            assertThat(put.item()).isEqualTo(documentedItem());
        });
    }

    @Test
    void theOperatorReadsWhatTheMediaServerWroteFieldForField() {
        mediaServer.publish(RELAY);

        InstanceHeartbeatRead read = InstanceHeartbeatRead.fromItems(List.of(table.lastItem(), documentedItem()));

        assertThat(read.malformed()).isEmpty();
        assertThat(read.heartbeats()).hasSize(2).allSatisfy(h -> {
            assertThat(h.role()).isEqualTo("media");
            assertThat(h.region()).isEqualTo("eu-west-1");
            assertThat(h.instanceId()).isEqualTo("meet-media-server-7d9-x2");
            assertThat(h.address()).isEqualTo("10.0.0.7:40000");
            assertThat(h.sessions()).isEqualTo(42);
            assertThat(h.capacity()).isEqualTo(500);
            assertThat(h.packetsPerSecond()).isEqualTo(1250.5);
            assertThat(h.lossRatio()).isEqualTo(0.01);
            assertThat(h.eventLoopLagMillis()).isEqualTo(3.5);
            assertThat(h.ready()).isTrue();
            assertThat(h.draining()).isFalse();
            assertThat(h.updatedAt()).isEqualTo(AT);
            assertThat(h).isEqualTo(RELAY);
        });
        RegionLoad load = RegionLoad.of(read.heartbeats().subList(0, 1), AT.plusSeconds(1), Duration.ofSeconds(6));
        assertThat(load.sessionsByPod()).containsExactly(Map.entry("meet-media-server-7d9-x2", 42L));
        assertThat(load.capacity()).isEqualTo(500);
    }

    @Test
    void anItemMissingWhatTheOperatorDecidesOnIsRejectedAndCounted() {
        List<String> decisive = List.of("role", "instanceId", "sessions", "capacity", "ready", "updatedAt");
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        mediaServer.publish(RELAY);
        items.add(table.lastItem());
        for (String attribute : decisive) {
            InstanceHeartbeat relay = new InstanceHeartbeat(RELAY.role(), REGION, "without-" + attribute,
                    RELAY.address(), 1, 10, null, null, null, true, false, AT);
            mediaServer.publish(relay);
            Map<String, AttributeValue> item = new HashMap<>(table.lastItem());
            item.remove(attribute);
            items.add(item);
        }

        InstanceHeartbeatRead read = InstanceHeartbeatRead.fromItems(items);

        assertThat(read.heartbeats()).containsExactly(RELAY);
        assertThat(read.malformed()).as("what SelfHealing counts into lifeline_instances_malformed")
                .hasSize(decisive.size());
        for (String attribute : decisive) {
            assertThat(read.malformed()).anySatisfy(m -> assertThat(m)
                    .startsWith("media#without-" + attribute + ": " + attribute + " is missing"));
        }
    }

    /** A DynamoDB client that only records the items put, as the table would receive them. */
    private static final class RecordingDynamoDb implements DynamoDbClient {

        final List<PutItemRequest> puts = new ArrayList<>();

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            puts.add(request);
            return PutItemResponse.builder().build();
        }

        Map<String, AttributeValue> lastItem() {
            return puts.get(puts.size() - 1).item();
        }

        @Override
        public String serviceName() {
            return SERVICE_NAME;
        }

        @Override
        public void close() {
        }
    }
}
