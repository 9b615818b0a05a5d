package dev.lifeline.sessiontable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class SessionCodecTest {

    private static final SessionRecord SESSION = new SessionRecord("s-1", 3, "relay-a", "10.0.0.1:40000", "eu-west-1",
            Set.of("alice"), 1_700_000_000_000L);

    @Test
    void writesTheDocumentedLayoutAndReadsItBack() {
        Map<String, AttributeValue> item = SessionCodec.encode(SESSION, 1_700_043_200L);

        assertThat(item).isEqualTo(Map.of(
                "pk", AttributeValue.fromS("SESSION#s-1"),
                "sk", AttributeValue.fromS("META"),
                "epoch", AttributeValue.fromN("3"),
                "relayId", AttributeValue.fromS("relay-a"),
                "relayAddress", AttributeValue.fromS("10.0.0.1:40000"),
                "region", AttributeValue.fromS("eu-west-1"),
                "participants", AttributeValue.fromSs(List.of("alice")),
                "createdAt", AttributeValue.fromN("1700000000000"),
                "expiresAt", AttributeValue.fromN("1700043200")));
        assertThat(SessionCodec.decode(item)).isEqualTo(SESSION);
        assertThat(ItemKeys.sessionKey("s-1")).isEqualTo(Map.of("pk", item.get("pk"), "sk", item.get("sk")));
    }

    @Test
    void noParticipantsIsNoAttribute() {
        var empty = new SessionRecord("s-2", 1, "relay-a", "10.0.0.1:40000", "eu-west-1", Set.of(), 1L);

        Map<String, AttributeValue> item = SessionCodec.encode(empty, 2L);

        assertThat(item).doesNotContainKey("participants");
        assertThat(SessionCodec.decode(item)).isEqualTo(empty);
    }

    @Test
    void theStandbyRelayIsTwoOptionalAttributes() {
        var withStandby = new SessionRecord("s-3", 4, "relay-a", "10.0.0.1:40000", "eu-west-1", Set.of("alice"), 1L,
                "relay-b", "10.0.0.2:40000");

        Map<String, AttributeValue> item = SessionCodec.encode(withStandby, 2L);

        assertThat(item).containsEntry("standbyRelayId", AttributeValue.fromS("relay-b"))
                .containsEntry("standbyRelayAddress", AttributeValue.fromS("10.0.0.2:40000"));
        assertThat(SessionCodec.decode(item)).isEqualTo(withStandby);
        assertThat(SessionCodec.decode(item).hasStandby()).isTrue();
        assertThat(SessionCodec.encode(SESSION, 1L)).doesNotContainKeys("standbyRelayId", "standbyRelayAddress");
        assertThat(SessionCodec.decode(SessionCodec.encode(SESSION, 1L)).hasStandby()).isFalse();
        // Half a standby (an item written by hand, say) is no standby, not a malformed session.
        Map<String, AttributeValue> half = new HashMap<>(item);
        half.remove("standbyRelayAddress");
        assertThat(SessionCodec.decode(half).hasStandby()).isFalse();
    }

    @Test
    void malformedItemsAreRejectedWithTheReason() {
        Map<String, AttributeValue> noEpoch = new HashMap<>(SessionCodec.encode(SESSION, 1L));
        noEpoch.remove("epoch");
        Map<String, AttributeValue> otherKind = new HashMap<>(SessionCodec.encode(SESSION, 1L));
        otherKind.put("pk", AttributeValue.fromS("NONCE#s-1"));

        assertThatThrownBy(() -> SessionCodec.decode(noEpoch)).isInstanceOf(MalformedItemException.class)
                .hasMessage("epoch is missing or not a number");
        assertThatThrownBy(() -> SessionCodec.decode(otherKind)).isInstanceOf(MalformedItemException.class)
                .hasMessageContaining("pk is not SESSION#");
    }

    @Test
    void aUsedNonceIsItsKeyAndItsExpiry() {
        assertThat(NonceCodec.encode("n-1", 1_700_000_060L)).isEqualTo(Map.of(
                "pk", AttributeValue.fromS("NONCE#n-1"),
                "sk", AttributeValue.fromS("JOIN"),
                "expiresAt", AttributeValue.fromN("1700000060")));
    }
}
