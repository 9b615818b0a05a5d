package dev.lifeline.operator.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The two failover timers, built in one place so that registering one ahead of time (at zero) and
 * recording into it later find the same meter with the same buckets.
 */
public final class FailoverTimers {

    private FailoverTimers() {
    }

    /** {@link MetricNames#FAILOVER_DETECTION}; tags: the platform's and {@code region} (the drained one). */
    public static Timer detection(MeterRegistry registry, Tags tags) {
        return Timer.builder(MetricNames.FAILOVER_DETECTION)
                .description("Last heartbeat of a silent region -> the quorum decides to drain it")
                .serviceLevelObjectives(MetricNames.failoverBuckets())
                .tags(tags).register(registry);
    }

    /** {@link MetricNames#DNS_CHANGE_INSYNC}; tags: the platform's and {@code region} (whose record changed). */
    public static Timer inSync(MeterRegistry registry, Tags tags) {
        return Timer.builder(MetricNames.DNS_CHANGE_INSYNC)
                .description("Routing change accepted by Route 53 -> INSYNC")
                .serviceLevelObjectives(MetricNames.failoverBuckets())
                .tags(tags).register(registry);
    }
}
