package dev.lifeline.operator.policy;

import java.time.Duration;

import dev.lifeline.operator.api.RestartSpec;

/** Restart budget from {@code spec.failover.restart}. {@code maxPerHour == 0} disables restarts. */
public record RestartPolicy(int maxPerHour, Duration backoff, Duration maxBackoff) {

    public static final Duration BUDGET_WINDOW = Duration.ofHours(1);

    public RestartPolicy {
        if (maxPerHour < 0) {
            throw new IllegalArgumentException("maxPerHour must not be negative");
        }
        if (backoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("backoffs must not be negative");
        }
        if (maxBackoff.compareTo(backoff) < 0) {
            maxBackoff = backoff;
        }
    }

    /** From a present spec; {@link EffectivePolicy#of} supplies the default when it is missing. */
    public static RestartPolicy from(RestartSpec s) {
        return new RestartPolicy(s.maxRestartsPerHour, Duration.ofSeconds(s.backoffSeconds),
                Duration.ofSeconds(s.maxBackoffSeconds));
    }

    /** Wait before the restart that follows {@code previous} restarts in the last hour: backoff · 2^previous, capped. */
    public Duration delayBefore(int previous) {
        if (previous >= 62) {
            return maxBackoff;
        }
        long factor = 1L << previous;
        long seconds = backoff.toSeconds();
        if (seconds != 0 && factor > maxBackoff.toSeconds() / seconds + 1) {
            return maxBackoff;
        }
        Duration d = backoff.multipliedBy(factor);
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
