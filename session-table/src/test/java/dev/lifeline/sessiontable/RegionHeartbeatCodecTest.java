package dev.lifeline.sessiontable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class RegionHeartbeatCodecTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00.123Z");

    @Test
    void writesTheDocumentedLayoutAndReadsItBack() {
        var heartbeat = new RegionHeartbeat("eu-west-1", AT, "Restoring", 7L, 500L, Map.of("us-east-1", AT.minusSeconds(1)));

        Map<String, AttributeValue> item = RegionHeartbeatCodec.encode(heartbeat, Duration.ofHours(1));

        assertThat(item).isEqualTo(Map.of(
                "pk", AttributeValue.fromS("REGION#eu-west-1"),
                "sk", AttributeValue.fromS("HEARTBEAT"),
                "region", AttributeValue.fromS("eu-west-1"),
                "updatedAt", AttributeValue.fromN(Long.toString(AT.toEpochMilli())),
                "phase", AttributeValue.fromS("Restoring"),
                "sessions", AttributeValue.fromN("7"),
                "capacity", AttributeValue.fromN("500"),
                "peers", AttributeValue.fromM(Map.of("us-east-1",
                        AttributeValue.fromN(Long.toString(AT.minusSeconds(1).toEpochMilli())))),
                "expiresAt", AttributeValue.fromN(Long.toString(AT.plusSeconds(3600).getEpochSecond()))));
        assertThat(RegionHeartbeatCodec.decode(item)).isEqualTo(heartbeat);
    }

    @Test
    void anUnknownLoadIsLeftOutAndReadsBackUnknown() {
        var heartbeat = new RegionHeartbeat("eu-west-1", AT, "Serving", null, null, Map.of());

        Map<String, AttributeValue> item = RegionHeartbeatCodec.encode(heartbeat, Duration.ofHours(1));

        assertThat(item).doesNotContainKeys("sessions", "capacity");
        assertThat(RegionHeartbeatCodec.decode(item)).isEqualTo(heartbeat);
    }

    @Test
    void theDetectorsVoteIsAListOfRegionsAndAnEmptyOneIsWritten() {
        var suspecting = new RegionHeartbeat("eu-west-1", AT, "Serving", 1L, 2L, Map.of(), Set.of("us-east-1"));
        var none = new RegionHeartbeat("eu-west-1", AT, "Serving", 1L, 2L, Map.of(), Set.of());

        Map<String, AttributeValue> item = RegionHeartbeatCodec.encode(suspecting, Duration.ofHours(1));

        assertThat(item).containsEntry("suspects", AttributeValue.fromL(List.of(AttributeValue.fromS("us-east-1"))));
        assertThat(RegionHeartbeatCodec.decode(item)).isEqualTo(suspecting);
        assertThat(RegionHeartbeatCodec.decode(RegionHeartbeatCodec.encode(none, Duration.ofHours(1))).suspects())
                .isEmpty();
        // An operator of an earlier version writes no vote: read as none published, not as "suspects nobody".
        assertThat(RegionHeartbeatCodec.decode(RegionHeartbeatCodec.encode(
                new RegionHeartbeat("eu-west-1", AT, "Serving", 1L, 2L, Map.of()), Duration.ofHours(1))).suspects())
                .isNull();
    }

    @Test
    void aMalformedVoteIsNoVoteAndTheHeartbeatStillReads() {
        assertThat(RegionHeartbeatCodec.decode(with("suspects", AttributeValue.fromS("us-east-1"))).suspects()).isNull();
        assertThat(RegionHeartbeatCodec.decode(with("suspects", AttributeValue.fromL(List.of(AttributeValue.fromN("1"),
                AttributeValue.fromS("us-east-1"))))).suspects()).containsExactly("us-east-1");
    }

    @Test
    void malformedItemsAreRejectedWithTheReason() {
        assertRejected(with("updatedAt", AttributeValue.fromS("yesterday")), "updatedAt is missing or not a number");
        assertRejected(with("region", AttributeValue.fromN("1")), "region is missing");
        assertRejected(with("sessions", AttributeValue.fromS("many")), "sessions is missing or not a number");
        assertRejected(with("peers", AttributeValue.fromM(Map.of("us-east-1", AttributeValue.fromS("now")))),
                "peers.us-east-1 is not a number");
        assertRejected(Map.of(), "region is missing");
    }

    private static Map<String, AttributeValue> with(String attribute, AttributeValue value) {
        Map<String, AttributeValue> item = new HashMap<>(RegionHeartbeatCodec.encode(
                new RegionHeartbeat("x", AT, "Serving", 1L, 2L, Map.of()), Duration.ofHours(1)));
        item.put(attribute, value);
        return item;
    }

    private static void assertRejected(Map<String, AttributeValue> item, String reason) {
        assertThatThrownBy(() -> RegionHeartbeatCodec.decode(item)).isInstanceOf(MalformedItemException.class)
                .hasMessageContaining(reason);
    }
}
