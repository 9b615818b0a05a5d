package dev.lifeline.media.load;

import static dev.lifeline.sessiontable.TableSchema.PARTITION_KEY;
import static dev.lifeline.sessiontable.TableSchema.SORT_KEY;
import static dev.lifeline.sessiontable.TableSchema.TTL_ATTRIBUTE;

import java.net.URI;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Creates the session table in an emulator, shaped as the operator creates it in AWS (pk/sk,
 * on-demand, TTL on expiresAt). For benchmarks and tests only: in a cluster the operator owns it.
 *
 * <p>{@code java -cp ... dev.lifeline.media.load.SessionTableSetup <endpoint> <region> <table>}
 */
public final class SessionTableSetup {

    private SessionTableSetup() {
    }

    public static void main(String[] args) {
        try (DynamoDbClient dynamo = emulatorClient(URI.create(args[0]), args[1])) {
            create(dynamo, args[2]);
        }
    }

    public static DynamoDbClient emulatorClient(URI endpoint, String region) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.of(region))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    public static void create(DynamoDbClient dynamo, String table) {
        dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                // Streams with both images: what a global table's replicas need (createGlobal).
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES))
                .attributeDefinitions(a -> a.attributeName(PARTITION_KEY).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(SORT_KEY).attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName(PARTITION_KEY).keyType(KeyType.HASH),
                        k -> k.attributeName(SORT_KEY).keyType(KeyType.RANGE)));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
        dynamo.updateTimeToLive(b -> b.tableName(table)
                .timeToLiveSpecification(t -> t.attributeName(TTL_ATTRIBUTE).enabled(true)));
    }

    /**
     * The table in {@code home}'s region as a global table (2019.11.21) with a replica in each of
     * {@code replicaRegions}, added one at a time as AWS requires, each waited for until ACTIVE.
     */
    public static void createGlobal(DynamoDbClient home, String table, String... replicaRegions) {
        create(home, table);
        for (String region : replicaRegions) {
            home.updateTable(b -> b.tableName(table).replicaUpdates(u -> u.create(c -> c.regionName(region))));
            awaitActive(home, table);
        }
    }

    private static void awaitActive(DynamoDbClient home, String table) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (home.describeTable(b -> b.tableName(table)).table().tableStatus() != TableStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("table " + table + " not ACTIVE within 60 s");
            }
            try {
                Thread.sleep(200); // polling the emulator's replica state, which has no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
