package dev.lifeline.media.instance;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import dev.lifeline.media.session.DynamoSessionStore;
import dev.lifeline.media.token.TokenCodec;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/** Produces the shared building blocks from configuration. */
@ApplicationScoped
public class Infrastructure {

    @Produces
    @Singleton
    TokenCodec tokenCodec(LifelineConfig config) {
        return new TokenCodec(config.tokenSecret().getBytes(StandardCharsets.UTF_8));
    }

    @Produces
    @Singleton
    DynamoDbClient dynamoDbClient(LifelineConfig config) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(Region.of(config.region()))
                // Pooled: signaling issues many table calls at once when a relay dies and its sessions resume.
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64)
                        .connectionTimeout(Duration.ofSeconds(1)).socketTimeout(Duration.ofSeconds(2)))
                // Short overall budget: a signaling reply that waits longer than this is worse than a retry by the client.
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.STANDARD)
                        .apiCallTimeout(Duration.ofSeconds(4)).build());
        config.dynamodbEndpoint().filter(s -> !s.isBlank()).ifPresent(e -> builder.endpointOverride(URI.create(e)));
        return builder.build();
    }

    void close(@Disposes DynamoDbClient client) {
        client.close();
    }

    @Produces
    @Singleton
    DynamoSessionStore sessionStore(DynamoDbClient dynamo, LifelineConfig config) {
        // The heartbeat item's TTL only collects gone instances' items: it outlives the readers' stale window, so
        // that a live relay whose writes are late (500 ms heartbeats, a slow table) is never expired before it is
        // judged stale.
        return new DynamoSessionStore(dynamo, config.sessionTable(), config.region(), Duration.ofHours(12),
                max(config.heartbeat().interval().multipliedBy(3), config.heartbeat().staleAfter().multipliedBy(2)),
                Clock.systemUTC());
    }

    @Produces
    @Singleton
    @Named("instanceId")
    String instanceId(LifelineConfig config) {
        return config.instanceId().filter(s -> !s.isBlank()).orElseGet(Infrastructure::hostNameOrRandom);
    }

    private static String hostNameOrRandom() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "instance-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
