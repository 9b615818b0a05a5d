package dev.lifeline.operator.aws.call;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The AWS client policy as plain values, so the same wiring serves Quarkus (from
 * {@link AwsConfig}) and tests that build the AWS side without CDI.
 */
public record AwsSettings(
        Optional<URI> dynamoDbEndpoint,
        Optional<URI> route53Endpoint,
        String route53SigningRegion,
        AwsCredentialsProvider credentials,
        int maxAttempts,
        Duration connectTimeout,
        Duration attemptTimeout,
        Duration callTimeout,
        Duration driftInterval,
        Duration pendingPollInterval,
        BreakerSettings breaker,
        double route53RequestsPerSecond) {

    public AwsSettings {
        Objects.requireNonNull(credentials, "credentials");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** {@link AwsConfig.Route53Config#requestsPerSecond()}'s default. */
    public static final double DEFAULT_ROUTE53_REQUESTS_PER_SECOND = 4;

    public record BreakerSettings(float failureRateThreshold, int slidingWindowSize, int minimumCalls,
            Duration openDuration, int halfOpenCalls) {
        public static BreakerSettings defaults() {
            return new BreakerSettings(50, 10, 5, Duration.ofSeconds(30), 2);
        }
    }

    public static AwsSettings from(AwsConfig config) {
        AwsConfig.BreakerConfig b = config.circuitBreaker();
        return new AwsSettings(
                config.dynamodb().endpointOverride().or(config::endpointOverride),
                config.route53().endpointOverride().or(config::endpointOverride),
                config.route53().signingRegion(),
                DefaultCredentialsProvider.builder().build(),
                config.maxAttempts(),
                config.connectTimeout(),
                config.attemptTimeout(),
                config.callTimeout(),
                config.driftInterval(),
                config.pendingPollInterval(),
                new BreakerSettings(b.failureRateThreshold(), b.slidingWindowSize(), b.minimumCalls(),
                        b.openDuration(), b.halfOpenCalls()),
                config.route53().requestsPerSecond());
    }

    /** Defaults of {@link AwsConfig} with one endpoint for every service (emulator tests). */
    public static AwsSettings forEndpoint(URI endpoint, AwsCredentialsProvider credentials) {
        return new AwsSettings(Optional.of(endpoint), Optional.of(endpoint), "us-east-1", credentials, 4,
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(60),
                Duration.ofSeconds(5), BreakerSettings.defaults(), DEFAULT_ROUTE53_REQUESTS_PER_SECOND);
    }

    public AwsSettings withMaxAttempts(int attempts) {
        return new AwsSettings(dynamoDbEndpoint, route53Endpoint, route53SigningRegion, credentials, attempts,
                connectTimeout, attemptTimeout, callTimeout, driftInterval, pendingPollInterval, breaker, route53RequestsPerSecond);
    }

    public AwsSettings withBreaker(BreakerSettings settings) {
        return new AwsSettings(dynamoDbEndpoint, route53Endpoint, route53SigningRegion, credentials, maxAttempts,
                connectTimeout, attemptTimeout, callTimeout, driftInterval, pendingPollInterval, settings, route53RequestsPerSecond);
    }

    public AwsSettings withTimeouts(Duration attempt, Duration call) {
        return new AwsSettings(dynamoDbEndpoint, route53Endpoint, route53SigningRegion, credentials, maxAttempts,
                connectTimeout, attempt, call, driftInterval, pendingPollInterval, breaker, route53RequestsPerSecond);
    }

    public AwsSettings withRoute53RequestsPerSecond(double requestsPerSecond) {
        return new AwsSettings(dynamoDbEndpoint, route53Endpoint, route53SigningRegion, credentials, maxAttempts,
                connectTimeout, attemptTimeout, callTimeout, driftInterval, pendingPollInterval, breaker, requestsPerSecond);
    }

    public AwsSettings withIntervals(Duration drift, Duration pendingPoll) {
        return new AwsSettings(dynamoDbEndpoint, route53Endpoint, route53SigningRegion, credentials, maxAttempts,
                connectTimeout, attemptTimeout, callTimeout, drift, pendingPoll, breaker, route53RequestsPerSecond);
    }
}
