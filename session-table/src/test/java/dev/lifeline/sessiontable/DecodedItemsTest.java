package dev.lifeline.sessiontable;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DecodedItemsTest {

    @Test
    void aMalformedItemIsReportedBySortKeyAndReasonAndSpoilsNothingElse() {
        Instant now = Instant.ofEpochMilli(5_000);
        Map<String, AttributeValue> good = InstanceHeartbeatCodec.encode(
                InstanceHeartbeat.media("us-east-1", "good", 1, 10, true, false, now), Duration.ofSeconds(3));
        Map<String, AttributeValue> broken = new HashMap<>(InstanceHeartbeatCodec.encode(
                InstanceHeartbeat.media("us-east-1", "broken", 1, 10, true, false, now), Duration.ofSeconds(3)));
        broken.remove("capacity");

        DecodedItems<InstanceHeartbeat> decoded = DecodedItems.decode(List.of(good, broken, Map.of()),
                InstanceHeartbeatCodec::decode);

        assertThat(decoded.values()).extracting(InstanceHeartbeat::instanceId).containsExactly("good");
        assertThat(decoded.malformed()).containsExactly("media#broken: capacity is missing or not a number",
                "(no sk): pk is not INSTANCE#<region>: null");
    }
}
