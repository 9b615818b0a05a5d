package dev.lifeline.operator.aws.call;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.Route53ClientBuilder;

/**
 * The AWS SDK clients, all built with one policy: the SDK's adaptive retry strategy (exponential
 * backoff with jitter plus client-side rate limiting when throttled) bounded to
 * {@link AwsSettings#maxAttempts()}, attempt and call timeouts, the default credential chain, and
 * the endpoint override for emulators. One DynamoDB client per region (the home region's operator
 * also talks to replica regions), one Route 53 client (a global service).
 */
public final class AwsClients implements AutoCloseable {

    private final AwsSettings settings;
    private final SdkHttpClient http;
    private final Map<String, DynamoDbClient> dynamoByRegion = new ConcurrentHashMap<>();
    private volatile Route53Client route53;

    public AwsClients(AwsSettings settings) {
        this.settings = settings;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(settings.connectTimeout())
                .socketTimeout(settings.attemptTimeout())
                .build();
    }

    public AwsSettings settings() {
        return settings;
    }

    public DynamoDbClient dynamoDb(String region) {
        return dynamoByRegion.computeIfAbsent(region, this::newDynamoDb);
    }

    public Route53Client route53() {
        Route53Client client = route53;
        if (client == null) {
            synchronized (this) {
                if (route53 == null) {
                    route53 = newRoute53();
                }
                client = route53;
            }
        }
        return client;
    }

    private DynamoDbClient newDynamoDb(String region) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(Region.of(region))
                .credentialsProvider(settings.credentials())
                .httpClient(http)
                .overrideConfiguration(overrides());
        settings.dynamoDbEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private Route53Client newRoute53() {
        Route53ClientBuilder builder = Route53Client.builder()
                .region(Region.of(settings.route53SigningRegion()))
                .credentialsProvider(settings.credentials())
                .httpClient(http)
                .overrideConfiguration(overrides());
        settings.route53Endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** The one client policy. Retries are the SDK's, not hand-written. */
    ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
                        .maxAttempts(settings.maxAttempts())
                        .build())
                .apiCallAttemptTimeout(settings.attemptTimeout())
                .apiCallTimeout(settings.callTimeout())
                .build();
    }

    @Override
    public void close() {
        dynamoByRegion.values().forEach(DynamoDbClient::close);
        dynamoByRegion.clear();
        if (route53 != null) {
            route53.close();
        }
        http.close();
    }
}
