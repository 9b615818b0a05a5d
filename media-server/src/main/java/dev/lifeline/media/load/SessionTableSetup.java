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
                .attributeDefinitions(a -> a.attributeName(PARTITION_KEY).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(SORT_KEY).attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName(PARTITION_KEY).keyType(KeyType.HASH),
                        k -> k.attributeName(SORT_KEY).keyType(KeyType.RANGE)));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
        dynamo.updateTimeToLive(b -> b.tableName(table)
                .timeToLiveSpecification(t -> t.attributeName(TTL_ATTRIBUTE).enabled(true)));
    }
}
