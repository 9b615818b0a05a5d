package dev.lifeline.operator.policy;

import java.time.Duration;

import dev.lifeline.operator.api.CircuitBreakerSpec;

/** Thresholds of a {@link CircuitBreaker}, taken from {@code spec.failover.circuitBreaker}. */
public record BreakerPolicy(int failureRateThreshold, Duration slidingWindow, int minimumSamples,
        Duration openDuration, int halfOpenProbes) {

    public BreakerPolicy {
        if (failureRateThreshold < 1 || failureRateThreshold > 100) {
            throw new IllegalArgumentException("failureRateThreshold must be 1..100, was " + failureRateThreshold);
        }
        if (slidingWindow.isNegative() || slidingWindow.isZero()) {
            throw new IllegalArgumentException("slidingWindow must be positive");
        }
        if (minimumSamples < 1) {
            throw new IllegalArgumentException("minimumSamples must be >= 1");
        }
        if (openDuration.isNegative()) {
            throw new IllegalArgumentException("openDuration must not be negative");
        }
        if (halfOpenProbes < 1) {
            throw new IllegalArgumentException("halfOpenProbes must be >= 1");
        }
    }

    /** From a present spec; {@link EffectivePolicy#of} supplies the default when it is missing. */
    public static BreakerPolicy from(CircuitBreakerSpec s) {
        return new BreakerPolicy(s.failureRateThreshold, Duration.ofSeconds(s.slidingWindowSeconds), s.minimumSamples,
                Duration.ofSeconds(s.openSeconds), s.halfOpenProbes);
    }
}
