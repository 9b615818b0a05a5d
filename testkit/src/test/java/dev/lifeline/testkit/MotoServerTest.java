package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.route53.Route53Client;

/** Starts moto as a real process and talks to it with the real AWS SDK (DynamoDB, Route 53). */
class MotoServerTest {

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    @Test
    void servesDynamoDbPerRegionAndRoute53AndResetsAndStops() {
        MotoServer moto = MotoServer.start();
        try (moto;
                DynamoDbClient east = dynamo(moto, Region.US_EAST_1);
                DynamoDbClient west = dynamo(moto, Region.EU_WEST_1);
                Route53Client route53 = Route53Client.builder().endpointOverride(moto.endpoint())
                        .region(Region.AWS_GLOBAL).credentialsProvider(CREDENTIALS)
                        .httpClient(UrlConnectionHttpClient.create()).build()) {
            east.createTable(b -> b.tableName("sessions")
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));

            assertThat(east.listTables().tableNames()).containsExactly("sessions");
            // moto keeps one backend per region: a simulated second region starts empty.
            assertThat(west.listTables().tableNames()).isEmpty();

            route53.createHostedZone(b -> b.name("example.com").callerReference("zone-1"));
            assertThat(route53.listHostedZones().hostedZones()).hasSize(1);

            moto.reset();
            assertThat(east.listTables().tableNames()).isEmpty();
            assertThat(route53.listHostedZones().hostedZones()).isEmpty();
        }
        assertThat(moto.isRunning()).isFalse();
    }

    @Test
    void sharedServerIsOnePerJvm() {
        assertThat(MotoServer.shared()).isSameAs(MotoServer.shared());
        assertThat(MotoServer.shared().isRunning()).isTrue();
    }

    private static DynamoDbClient dynamo(MotoServer moto, Region region) {
        return DynamoDbClient.builder().endpointOverride(moto.endpoint()).region(region)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }
}
