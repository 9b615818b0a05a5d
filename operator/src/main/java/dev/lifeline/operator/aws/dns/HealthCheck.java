package dev.lifeline.operator.aws.dns;

import java.util.Map;

/** A Route 53 health check with its tags. */
public record HealthCheck(String id, String callerReference, HealthCheckSettings settings, Map<String, String> tags) {

    public HealthCheck {
        tags = Map.copyOf(tags);
    }
}
