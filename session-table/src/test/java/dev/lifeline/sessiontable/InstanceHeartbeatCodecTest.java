package dev.lifeline.sessiontable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Moved from the operator's InstanceHeartbeatItemsTest; the layout is spelled out literally on purpose. */
class InstanceHeartbeatCodecTest {

    /** The layout the media-server's DynamoSessionStore writes (docs/session-table.md). */
    static Map<String, AttributeValue> mediaItem(String region, String pod, int sessions, long updatedAtMillis) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS("INSTANCE#" + region));
        item.put("sk", AttributeValue.fromS("media#" + pod));
        item.put("role", AttributeValue.fromS("media"));
        item.put("region", AttributeValue.fromS(region));
        item.put("instanceId", AttributeValue.fromS(pod));
        item.put("address", AttributeValue.fromS("10.1.2.3:40000"));
        item.put("sessions", AttributeValue.fromN(Integer.toString(sessions)));
        item.put("capacity", AttributeValue.fromN("500"));
        item.put("packetsPerSecond", AttributeValue.fromN("1250.5"));
        item.put("lossRatio", AttributeValue.fromN("0.01"));
        item.put("eventLoopLagMillis", AttributeValue.fromN("3.0"));
        item.put("ready", AttributeValue.fromBool(true));
        item.put("draining", AttributeValue.fromBool(false));
        item.put("updatedAt", AttributeValue.fromN(Long.toString(updatedAtMillis)));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(updatedAtMillis / 1000 + 30)));
        return item;
    }

    @Test
    void readsEveryAttributeTheMediaServerWrites() {
        long at = Instant.parse("2026-01-01T00:00:00.250Z").toEpochMilli();

        InstanceHeartbeat h = InstanceHeartbeatCodec.decode(mediaItem("us-east-1", "meet-media-server-7d9-x2", 42, at));

        assertThat(h).isEqualTo(new InstanceHeartbeat("media", "us-east-1", "meet-media-server-7d9-x2",
                "10.1.2.3:40000", 42, 500, 1250.5, 0.01, 3.0, true, false, Instant.ofEpochMilli(at)));
    }

    @Test
    void writesExactlyTheDocumentedLayout() {
        Instant at = Instant.parse("2026-01-01T00:00:00.250Z");
        var heartbeat = new InstanceHeartbeat("media", "us-east-1", "meet-media-server-7d9-x2", "10.1.2.3:40000", 42,
                500, 1250.5, 0.01, 3.0, true, false, at);

        Map<String, AttributeValue> item = InstanceHeartbeatCodec.encode(heartbeat, Duration.ofSeconds(30));

        assertThat(item).isEqualTo(mediaItem("us-east-1", "meet-media-server-7d9-x2", 42, at.toEpochMilli()));
        assertThat(InstanceHeartbeatCodec.decode(item)).isEqualTo(heartbeat);
    }

    @Test
    void whatIsNotReportedIsLeftOutAndReadsBackAsNotReported() {
        var heartbeat = InstanceHeartbeat.media("eu-west-1", "r1", 3, 10, false, true, Instant.ofEpochMilli(1_000));

        Map<String, AttributeValue> item = InstanceHeartbeatCodec.encode(heartbeat, Duration.ofSeconds(3));

        assertThat(item).doesNotContainKeys("address", "packetsPerSecond", "lossRatio", "eventLoopLagMillis");
        assertThat(item.get("expiresAt").n()).isEqualTo("4");
        assertThat(InstanceHeartbeatCodec.decode(item)).isEqualTo(heartbeat);
    }

    @Test
    void optionalMeasurementsMayBeAbsentOrOdd() {
        Map<String, AttributeValue> item = mediaItem("us-east-1", "a", 1, 0);
        item.remove("packetsPerSecond");
        item.remove("draining");
        item.remove("region");
        item.put("lossRatio", AttributeValue.fromS("n/a"));

        InstanceHeartbeat h = InstanceHeartbeatCodec.decode(item);

        assertThat(h.packetsPerSecond()).isNull();
        assertThat(h.lossRatio()).isNull();
        assertThat(h.draining()).isFalse();
        assertThat(h.region()).as("from the partition key").isEqualTo("us-east-1");
    }

    @Test
    void itemsWithoutWhatDecisionsNeedAreRejectedWithTheReason() {
        assertRejected(without("sessions"), "sessions is missing");
        assertRejected(without("capacity"), "capacity is missing");
        assertRejected(without("updatedAt"), "updatedAt is missing");
        assertRejected(without("ready"), "ready is missing");
        assertRejected(without("instanceId"), "instanceId is missing");
        assertRejected(with("sessions", AttributeValue.fromN("-3")), "sessions is negative");
        assertRejected(with("sessions", AttributeValue.fromN("1.5")), "sessions is not a whole number");
        assertRejected(with("updatedAt", AttributeValue.fromS("yesterday")), "updatedAt is missing or not a number");
        assertRejected(with("pk", AttributeValue.fromS("SESSION#x")), "pk is not INSTANCE#");
        assertThat(ItemKeys.describe(mediaItem("us-east-1", "a", 1, 0))).isEqualTo("media#a");
        assertThat(ItemKeys.describe(Map.of())).isEqualTo("(no sk)");
    }

    @Test
    void aRejectionIsItsOwnException() {
        assertThatThrownBy(() -> InstanceHeartbeatCodec.decode(without("role")))
                .isExactlyInstanceOf(MalformedItemException.class)
                .hasMessage("role is missing or not a non-empty string");
    }

    private static Map<String, AttributeValue> without(String attribute) {
        Map<String, AttributeValue> item = mediaItem("us-east-1", "a", 1, 0);
        item.remove(attribute);
        return item;
    }

    private static Map<String, AttributeValue> with(String attribute, AttributeValue value) {
        Map<String, AttributeValue> item = mediaItem("us-east-1", "a", 1, 0);
        item.put(attribute, value);
        return item;
    }

    private static void assertRejected(Map<String, AttributeValue> item, String reason) {
        assertThatThrownBy(() -> InstanceHeartbeatCodec.decode(item)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}
