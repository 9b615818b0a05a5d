package dev.lifeline.media.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.media.session.DynamoSessionStore;
import dev.lifeline.media.session.Placement;
import dev.lifeline.media.session.StaleEpochException;
import dev.lifeline.sessiontable.InstanceHeartbeat;
import dev.lifeline.sessiontable.SessionRecord;
import dev.lifeline.testkit.MotoServer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The session table's conditional writes, against the moto emulator as a real process. */
class DynamoSessionStoreIT {

    private static DynamoDbClient dynamo;
    private static String table;
    private static DynamoSessionStore store;

    @BeforeAll
    static void createTable() {
        dynamo = SessionTable.client(MotoServer.shared().endpoint());
        table = "store-it-" + UUID.randomUUID().toString().substring(0, 8);
        SessionTable.create(dynamo, table);
        store = new DynamoSessionStore(dynamo, table, "eu-west-1", Duration.ofHours(1), Duration.ofSeconds(3),
                Clock.systemUTC());
    }

    @Test
    void aSessionIsCreatedOnceAtEpochOneInTheSharedSchema() throws Exception {
        store.create("s-create", Placement.only("relay-a", "10.0.0.1:40000"), "alice");
        assertThatThrownBy(() -> store.create("s-create", Placement.only("relay-b", "10.0.0.2:40000"), "bob"))
                .isInstanceOf(StaleEpochException.class);
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("SESSION#s-create"), "sk", AttributeValue.fromS("META")))).item();
        assertThat(item.get("epoch").n()).isEqualTo("1");
        assertThat(item.get("relayId").s()).isEqualTo("relay-a");
        assertThat(item.get("relayAddress").s()).isEqualTo("10.0.0.1:40000");
        assertThat(item.get("region").s()).isEqualTo("eu-west-1");
        assertThat(item.get("participants").ss()).containsExactly("alice");
        assertThat(Long.parseLong(item.get("expiresAt").n())).isGreaterThan(System.currentTimeMillis() / 1000);
        assertThat(Long.parseLong(item.get("createdAt").n())).isPositive();
    }

    @Test
    void onlyOneOfTwoWritersThatReadTheSameEpochMovesTheSession() throws Exception {
        SessionRecord read = store.create("s-race",
                new Placement("relay-a", "10.0.0.1:40000", "relay-b", "10.0.0.2:40000"), "alice");
        SessionRecord winner = store.reassign(read,
                new Placement("relay-b", "10.0.0.2:40000", "relay-c", "10.0.0.3:40000"));
        assertThat(winner.epoch()).isEqualTo(2);
        assertThat(winner.standbyRelayId()).as("the new epoch's standby").isEqualTo("relay-c");
        assertThatThrownBy(() -> store.reassign(read, Placement.only("relay-c", "10.0.0.3:40000")))
                .isInstanceOf(StaleEpochException.class);
        SessionRecord stored = store.find("s-race").orElseThrow();
        assertThat(stored.relayId()).isEqualTo("relay-b");
        assertThat(stored.epoch()).isEqualTo(2);
        assertThat(stored.standbyRelayAddress()).isEqualTo("10.0.0.3:40000");
        // A move with no relay left to stand by removes the old epoch's standby.
        SessionRecord alone = store.reassign(stored, Placement.only("relay-c", "10.0.0.3:40000"));
        assertThat(alone.hasStandby()).isFalse();
        assertThat(store.find("s-race").orElseThrow().hasStandby()).isFalse();
    }

    @Test
    void participantsComeAndGoAndTheLastOneEndsTheSession() throws Exception {
        store.create("s-people", Placement.only("relay-a", "10.0.0.1:40000"), "alice");
        store.addParticipant("s-people", "bob");
        store.addParticipant("s-people", "bob");
        assertThat(store.find("s-people").orElseThrow().participants()).containsExactlyInAnyOrder("alice", "bob");
        store.removeParticipant("s-people", "alice");
        assertThat(store.find("s-people").orElseThrow().participants()).containsExactly("bob");
        store.removeParticipant("s-people", "bob");
        assertThat(store.find("s-people")).isEmpty();
    }

    @Test
    void aJoinNonceIsAcceptedOnceAcrossInstancesAndExpiresWithItsToken() {
        long expires = System.currentTimeMillis() / 1000 + 60;
        assertThat(store.firstUse("nonce-1", expires)).isTrue();
        assertThat(store.firstUse("nonce-1", expires)).isFalse();
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(Map.of(
                "pk", AttributeValue.fromS("NONCE#nonce-1"), "sk", AttributeValue.fromS("JOIN")))).item();
        assertThat(item.get("expiresAt").n()).isEqualTo(Long.toString(expires));
    }

    @Test
    void heartbeatsAreListedPerRegionAndRoleWithAllOperatorFields() {
        long now = System.currentTimeMillis();
        store.publish(new InstanceHeartbeat("media", "eu-west-1", "m1", "10.0.0.1:40000", 3, 500, 1500.5, 0.01, 2.5,
                true, false, Instant.ofEpochMilli(now)));
        store.publish(new InstanceHeartbeat("signaling", "eu-west-1", "s1", "10.0.0.9:8080", 7, 5000, 10.0, 0.0, 1.0, true,
                true, Instant.ofEpochMilli(now)));
        store.publish(new InstanceHeartbeat("media", "us-east-1", "m2", "10.0.1.1:40000", 0, 500, 0.0, 0.0, 0.0, true, false,
                Instant.ofEpochMilli(now)));
        assertThat(store.list("eu-west-1", "media")).singleElement().satisfies(h -> {
            assertThat(h.instanceId()).isEqualTo("m1");
            assertThat(h.sessions()).isEqualTo(3);
            assertThat(h.packetsPerSecond()).isEqualTo(1500.5);
            assertThat(h.lossRatio()).isEqualTo(0.01);
            assertThat(h.ready()).isTrue();
            assertThat(h.updatedAtMillis()).isEqualTo(now);
        });
        Map<String, AttributeValue> raw = dynamo.getItem(b -> b.tableName(table).key(Map.of(
                "pk", AttributeValue.fromS("INSTANCE#eu-west-1"), "sk", AttributeValue.fromS("signaling#s1")))).item();
        assertThat(raw.get("draining").bool()).isTrue();
        assertThat(raw.get("eventLoopLagMillis").n()).isEqualTo("1.0");
        assertThat(Long.parseLong(raw.get("expiresAt").n())).isEqualTo((now + 3000) / 1000);
    }
}
