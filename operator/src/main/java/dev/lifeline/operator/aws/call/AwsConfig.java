package dev.lifeline.operator.aws.call;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How the operator talks to AWS ({@code lifeline.aws.*}). Credentials always come from the
 * SDK's default chain (IRSA on EKS, environment variables against an emulator).
 */
@ConfigMapping(prefix = "lifeline.aws")
public interface AwsConfig {

    /** Endpoint for every AWS service, for emulators (moto) or the fault proxy. */
    Optional<URI> endpointOverride();

    /** DynamoDB settings; its endpoint override wins over the shared one. */
    ServiceConfig dynamodb();

    /** Route 53 settings; its endpoint override wins over the shared one. */
    Route53Config route53();

    /** Attempts per AWS call including the first; the SDK's adaptive retry strategy spaces them. */
    @WithDefault("4")
    int maxAttempts();

    @WithDefault("2s")
    Duration connectTimeout();

    /** Upper bound for one HTTP attempt. */
    @WithDefault("5s")
    Duration attemptTimeout();

    /** Upper bound for one call including all retries, so a reconcile never stalls on AWS. */
    @WithDefault("20s")
    Duration callTimeout();

    /** How often AWS resources are re-read to find and undo out-of-band changes. */
    @WithDefault("60s")
    Duration driftInterval();

    /** How often a pending change (replica CREATING, DNS change PENDING) is polled. */
    @WithDefault("5s")
    Duration pendingPollInterval();

    /** Circuit breaker per AWS service endpoint (resilience4j). */
    BreakerConfig circuitBreaker();

    interface ServiceConfig {
        Optional<URI> endpointOverride();
    }

    interface Route53Config {
        Optional<URI> endpointOverride();

        /** Route 53 is global; requests are signed for this region. */
        @WithDefault("us-east-1")
        String signingRegion();

        /**
         * This operator's Route 53 request budget (requests a second). Route 53 allows 5 per AWS account, shared by
         * every operator and tool of the account: split it between them. Drift checks take what failover writes
         * leave and are postponed when none is free; failover writes wait for a permit (up to the call timeout).
         */
        @WithDefault("4")
        double requestsPerSecond();
    }

    interface BreakerConfig {
        /** Percentage of failed calls (throttling, 5xx, timeouts, connection errors) that opens the breaker. */
        @WithDefault("50")
        float failureRateThreshold();

        /** Calls in the sliding window. */
        @WithDefault("10")
        int slidingWindowSize();

        /** Calls needed before the failure rate counts. */
        @WithDefault("5")
        int minimumCalls();

        /** How long an open breaker rejects calls before letting probes through. */
        @WithDefault("30s")
        Duration openDuration();

        /** Probe calls allowed while half-open. */
        @WithDefault("2")
        int halfOpenCalls();
    }
}
