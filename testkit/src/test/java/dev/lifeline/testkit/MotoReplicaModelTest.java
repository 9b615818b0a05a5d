package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.ReplicaStatus;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The test kit's model of global tables 2019.11.21 replicas (added to moto by lifeline_moto.py,
 * since moto itself ignores ReplicaUpdates), exercised through the real AWS SDK.
 */
class MotoReplicaModelTest {

    private static MotoServer moto;
    private static DynamoDbClient east;
    private static DynamoDbClient west;

    @BeforeAll
    static void start() {
        moto = MotoServer.start();
        east = client(Region.US_EAST_1);
        west = client(Region.EU_WEST_1);
    }

    @AfterAll
    static void stop() {
        east.close();
        west.close();
        moto.stop();
    }

    @BeforeEach
    void reset() {
        moto.reset();
    }

    @Test
    void replicaIsCreatedOneAtATimeTurnsActiveAndIsARealTableInItsRegion() {
        createTable(true);

        east.updateTable(b -> b.tableName("t").replicaUpdates(u -> u.create(c -> c.regionName("eu-west-1"))));

        assertThat(east.describeTable(b -> b.tableName("t")).table().tableStatus()).isEqualTo(TableStatus.UPDATING);
        assertThatThrownBy(() -> east.updateTable(b -> b.tableName("t")
                .replicaUpdates(u -> u.create(c -> c.regionName("ap-south-1")))))
                .isInstanceOf(ResourceInUseException.class);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(east.describeTable(b -> b.tableName("t")).table().replicas())
                        .extracting(ReplicaDescription::regionName, ReplicaDescription::replicaStatus)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("eu-west-1", ReplicaStatus.ACTIVE)));
        assertThat(east.describeTable(b -> b.tableName("t")).table().tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThat(west.describeTable(b -> b.tableName("t")).table().replicas())
                .extracting(ReplicaDescription::regionName).containsExactly("us-east-1");

        east.updateTable(b -> b.tableName("t").replicaUpdates(u -> u.delete(d -> d.regionName("eu-west-1"))));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(east.describeTable(b -> b.tableName("t")).table().replicas()).isEmpty());
        assertThat(west.listTables().tableNames()).isEmpty();
    }

    @Test
    void replicasNeedNewAndOldImageStreams() {
        createTable(false);

        assertThatThrownBy(() -> east.updateTable(b -> b.tableName("t")
                .replicaUpdates(u -> u.create(c -> c.regionName("eu-west-1")))))
                .isInstanceOf(DynamoDbException.class)
                .hasMessageContaining("NEW_AND_OLD_IMAGES");
    }

    private static void createTable(boolean streams) {
        east.createTable(b -> {
            b.tableName("t")
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST);
            if (streams) {
                b.streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES));
            }
        });
    }

    private static DynamoDbClient client(Region region) {
        return DynamoDbClient.builder().endpointOverride(moto.endpoint()).region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
