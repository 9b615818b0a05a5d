package dev.lifeline.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.lifeline.operator.policy.Phase;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class HeartbeatItemsTest {

    @Test
    void heartbeatRoundTripsThroughItsItemWithKeysAndTtl() {
        Instant at = Instant.parse("2026-01-01T00:00:00.123Z");
        var heartbeat = new OperatorHeartbeat("eu-west-1", at, Phase.RESTORING, 7L, 500L,
                Map.of("us-east-1", at.minusSeconds(1)));

        Map<String, AttributeValue> item = DynamoDbCoordinationStore.HeartbeatItems.toItem(heartbeat, Duration.ofHours(1));

        assertThat(item.get("pk").s()).isEqualTo("REGION#eu-west-1");
        assertThat(item.get("sk").s()).isEqualTo("HEARTBEAT");
        assertThat(item.get("expiresAt").n()).isEqualTo(Long.toString(at.plusSeconds(3600).getEpochSecond()));
        assertThat(DynamoDbCoordinationStore.HeartbeatItems.fromItem(item)).contains(heartbeat);
    }

    @Test
    void malformedItemsAreSkippedNotFatal() {
        Map<String, AttributeValue> item = new HashMap<>(DynamoDbCoordinationStore.HeartbeatItems.key("x"));
        item.put("region", AttributeValue.fromS("x"));
        item.put("updatedAt", AttributeValue.fromS("yesterday"));

        assertThat(DynamoDbCoordinationStore.HeartbeatItems.fromItem(item)).isEmpty();
        assertThat(DynamoDbCoordinationStore.HeartbeatItems.fromItem(Map.of())).isEmpty();
    }
}
