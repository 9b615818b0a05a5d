package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ReplicaStatus;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * Item replication between the regions of a global table in lifeline_moto.py, through the real AWS SDK: every
 * item write reaches the other replicas, at once or after the configured delay, settled last-writer-wins.
 */
class MotoReplicationTest {

    private static final Map<String, AttributeValue> KEY = Map.of("pk", AttributeValue.fromS("item"));

    private MotoServer moto;
    private DynamoDbClient east;
    private DynamoDbClient west;

    @AfterEach
    void stop() {
        east.close();
        west.close();
        moto.stop();
    }

    @Test
    void withoutDelayPutsUpdatesAndDeletesReachTheOtherReplicaWithinTheWrite() {
        start(MotoServer.start());

        east.putItem(b -> b.tableName("t").item(Map.of("pk", AttributeValue.fromS("item"), "n", AttributeValue.fromN("1"))));
        assertThat(value(west)).isEqualTo("1");
        west.updateItem(b -> b.tableName("t").key(KEY).updateExpression("SET n = :n")
                .expressionAttributeValues(Map.of(":n", AttributeValue.fromN("2"))));
        assertThat(value(east)).isEqualTo("2");
        east.deleteItem(b -> b.tableName("t").key(KEY));
        assertThat(west.getItem(b -> b.tableName("t").key(KEY)).hasItem()).isFalse();
    }

    @Test
    void withADelayBothRegionsPassOneConditionAndTheLaterWriteWinsEverywhere() {
        start(MotoServer.startWithReplicationDelay(Duration.ofSeconds(2)));
        east.putItem(b -> b.tableName("t").item(Map.of("pk", AttributeValue.fromS("item"), "n", AttributeValue.fromN("1"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> "1".equals(value(west)));

        // Within the delay each region sees only its own write: both conditions on n = 1 pass.
        conditionalSet(east, "2");
        conditionalSet(west, "3");
        assertThat(value(east)).isEqualTo("2");
        assertThat(value(west)).isEqualTo("3");

        // Then replication settles on the later write (west's) in both regions, and stays there.
        await().atMost(Duration.ofSeconds(10)).until(() -> "3".equals(value(east)) && "3".equals(value(west)));
    }

    private void start(MotoServer server) {
        moto = server;
        east = client(Region.US_EAST_1);
        west = client(Region.EU_WEST_1);
        east.createTable(b -> b.tableName("t")
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        east.updateTable(b -> b.tableName("t").replicaUpdates(u -> u.create(c -> c.regionName("eu-west-1"))));
        await().atMost(Duration.ofSeconds(20)).until(() -> east.describeTable(b -> b.tableName("t")).table().replicas()
                .stream().allMatch(r -> r.replicaStatus() == ReplicaStatus.ACTIVE));
    }

    private static void conditionalSet(DynamoDbClient client, String n) {
        client.updateItem(b -> b.tableName("t").key(KEY).updateExpression("SET n = :n").conditionExpression("n = :one")
                .expressionAttributeValues(Map.of(":n", AttributeValue.fromN(n), ":one", AttributeValue.fromN("1"))));
    }

    private static String value(DynamoDbClient client) {
        var item = client.getItem(b -> b.tableName("t").key(KEY).consistentRead(true)).item();
        return item.containsKey("n") ? item.get("n").n() : null;
    }

    private DynamoDbClient client(Region region) {
        return DynamoDbClient.builder().endpointOverride(moto.endpoint()).region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
