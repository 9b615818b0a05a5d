package dev.lifeline.operator.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.lifeline.operator.aws.call.AwsCallPolicy;
import dev.lifeline.operator.aws.call.AwsClients;
import dev.lifeline.operator.aws.call.AwsFailureException;
import dev.lifeline.operator.aws.call.AwsSettings;
import dev.lifeline.operator.policy.Phase;
import dev.lifeline.sessiontable.InstanceHeartbeat;
import dev.lifeline.sessiontable.InstanceHeartbeatCodec;
import dev.lifeline.testkit.MotoServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The coordination store against moto: the items the media-server and the peers' operators write, as they write them. */
class DynamoDbCoordinationStoreTest {

    private static final String TABLE = "coordination-sessions";
    private static final String US = "us-east-1";
    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");

    private static MotoServer moto;
    private static AwsClients clients;
    private static DynamoDbClient dynamo;
    private DynamoDbCoordinationStore store;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
        AwsSettings settings = AwsSettings.forEndpoint(moto.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("lifeline-test", "lifeline-test")));
        clients = new AwsClients(settings);
        dynamo = clients.dynamoDb(US);
    }

    @AfterAll
    static void stopMoto() {
        if (clients != null) {
            clients.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void freshTable() {
        moto.reset();
        dynamo.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH),
                        k -> k.attributeName("sk").keyType(KeyType.RANGE)));
        // Two items per page, so that the read has to follow LastEvaluatedKey.
        store = new DynamoDbCoordinationStore(clients, new AwsCallPolicy(clients.settings().breaker()), 2);
    }

    @Test
    void readsEveryInstanceOfItsOwnRegionAcrossPagesAndSkipsMalformedItems() {
        long now = NOW.toEpochMilli();
        for (int i = 0; i < 5; i++) {
            put(mediaItem(US, "meet-media-server-" + i, 10 * i, now));
        }
        put(mediaItem(US, "meet-media-server-gone", 99, now - 3_600_000));
        Map<String, AttributeValue> signaling = new java.util.HashMap<>(
                mediaItem(US, "meet-signaling-0", 7, now));
        signaling.put("sk", AttributeValue.fromS("signaling#meet-signaling-0"));
        signaling.put("role", AttributeValue.fromS("signaling"));
        put(signaling);
        Map<String, AttributeValue> broken = new java.util.HashMap<>(
                mediaItem(US, "broken", 1, now));
        broken.remove("sessions");
        put(broken);
        put(mediaItem("eu-west-1", "meet-media-server-eu", 500, now));
        store.publish(TABLE, US, new OperatorHeartbeat(US, NOW, Phase.SERVING, 100L, 2500L, Map.of()));

        InstanceHeartbeatRead read = store.readInstances(TABLE, US);

        assertThat(read.heartbeats()).extracting(InstanceHeartbeat::instanceId).as("stale ones too, for RegionLoad")
                .containsExactlyInAnyOrder("meet-media-server-0", "meet-media-server-1", "meet-media-server-2",
                        "meet-media-server-3", "meet-media-server-4", "meet-media-server-gone", "meet-signaling-0");
        assertThat(read.heartbeats()).filteredOn(h -> h.instanceId().equals("meet-media-server-3")).singleElement()
                .satisfies(h -> {
                    assertThat(h.sessions()).isEqualTo(30);
                    assertThat(h.updatedAt()).isEqualTo(NOW);
                });
        assertThat(read.malformed()).containsExactly("media#broken: sessions is missing or not a number");
    }

    @Test
    void aRegionWithoutInstancesReadsEmpty() {
        assertThat(store.readInstances(TABLE, US)).isEqualTo(new InstanceHeartbeatRead(List.of(), List.of()));
    }

    @Test
    void aMissingTableIsAFailureTheCallerReportsNotACrash() {
        assertThatThrownBy(() -> store.readInstances("no-such-table", US)).isInstanceOf(AwsFailureException.class);
    }

    @Test
    void operatorHeartbeatsCarryTheRegionsSessionsAndCapacityThroughTheTable() {
        var loaded = new OperatorHeartbeat(US, NOW, Phase.PRE_SCALING, 630L, 1000L,
                Map.of("eu-west-1", NOW.minusSeconds(1)));
        var unknown = new OperatorHeartbeat("eu-west-1", NOW, Phase.SERVING, null, null, Map.of());
        store.publish(TABLE, US, loaded);
        store.publish(TABLE, US, unknown);

        Map<String, OperatorHeartbeat> read = store.read(TABLE, US, List.of(US, "eu-west-1", "ap-south-1"));

        assertThat(read).containsOnly(Map.entry(US, loaded), Map.entry("eu-west-1", unknown));
    }

    /** A relay's heartbeat as the media-server writes it (its literal layout is pinned in session-table/ and the contract test). */
    private static Map<String, AttributeValue> mediaItem(String region, String pod, int sessions, long updatedAtMillis) {
        return InstanceHeartbeatCodec.encode(new InstanceHeartbeat(InstanceHeartbeat.MEDIA, region, pod, "10.1.2.3:40000",
                sessions, 500, 1250.5, 0.01, 3.0, true, false, Instant.ofEpochMilli(updatedAtMillis)),
                Duration.ofSeconds(30));
    }

    private static void put(Map<String, AttributeValue> item) {
        dynamo.putItem(b -> b.tableName(TABLE).item(item));
    }
}
