package dev.lifeline.operator.metrics;

import java.time.Duration;
import java.util.List;

/**
 * The one home of the operator's metric names (Micrometer names; Prometheus shows dots as
 * underscores, counters with {@code _total}, timers as {@code _seconds_count/_sum/_max/_bucket}).
 * deploy/monitoring/ (alerts, dashboard) reads these names; MonitoringRulesIT checks that every
 * name they use is in a running operator's /q/metrics, so renaming one here fails that test until
 * the alerts and the dashboard follow.
 *
 * <p>Every meter about a platform carries the tags {@code namespace} and {@code platform}
 * (PlatformKey), so that forgetting the platform removes them.
 */
public final class MetricNames {

    /** Counter: decisions carried out; tags {@code region}, {@code action}, {@code outcome} (Applied, Skipped, ...). */
    public static final String DECISIONS = "lifeline.decisions";
    /** Gauge per (region, component): this region's breakers, {@link #BREAKER_CLOSED}, {@link #BREAKER_HALF_OPEN}, {@link #BREAKER_OPEN}. */
    public static final String BREAKER_STATE = "lifeline.breaker.state";
    /** Gauge per region, as this operator sees it: 1 healthy, 0 not. */
    public static final String REGION_HEALTHY = "lifeline.region.healthy";
    /** Gauge: the DNS weight this region's operator intends for its own record (0 = drained). */
    public static final String DNS_WEIGHT = "lifeline.dns.weight";
    /**
     * Gauge per peer region: 1 while its operator is silent but its service is not shown down (the
     * ControlPlaneSilent condition: an alert, never a drain), 0 otherwise.
     */
    public static final String CONTROL_PLANE_SILENT = "lifeline.control.plane.silent";
    /** Gauges of this region's load, from its relays' heartbeats. */
    public static final String REGION_SESSIONS = "lifeline.region.sessions";
    public static final String REGION_CAPACITY = "lifeline.region.capacity";
    public static final String INSTANCES_LIVE = "lifeline.instances.live";
    public static final String INSTANCES_STALE = "lifeline.instances.stale";
    public static final String INSTANCES_MALFORMED = "lifeline.instances.malformed";
    /** Gauge per (region, component): restarts left in the hourly budget (0 = spent, the breaker opens). */
    public static final String RESTART_BUDGET_REMAINING = "lifeline.restart.budget.remaining";
    /** Timer: a silent region's last heartbeat -> the quorum decides to drain it; tag {@code region} (the drained one). */
    public static final String FAILOVER_DETECTION = "lifeline.failover.detection";
    /** Timer: a routing change accepted by Route 53 -> INSYNC; tag {@code region}. */
    public static final String DNS_CHANGE_INSYNC = "lifeline.dns.change.insync";
    /** Counter: AWS calls; tags {@code endpoint} (dynamodb:&lt;region&gt;, route53), {@code outcome} (ok, error or an AwsReason). */
    public static final String AWS_CALLS = "lifeline.aws.calls";
    /** Timer: AWS calls including the SDK's retries; tag {@code endpoint}. */
    public static final String AWS_CALL_DURATION = "lifeline.aws.call.duration";
    /** Gauge per AWS endpoint: its circuit breaker, coded as {@link #BREAKER_STATE}. */
    public static final String AWS_BREAKER_STATE = "lifeline.aws.circuit.breaker.state";
    /**
     * Gauge per AWS resource ({@code resource} = the condition: SessionStoreReady, DnsReady): 1 when the last
     * check found it as the spec says, 0 while it differs (drift being corrected, a change pending, or a failure).
     */
    public static final String AWS_RESOURCE_CONVERGED = "lifeline.aws.resource.converged";

    /** One coding of breaker states for every breaker gauge. */
    public static final int BREAKER_CLOSED = 0;
    public static final int BREAKER_HALF_OPEN = 1;
    public static final int BREAKER_OPEN = 2;

    /**
     * Histogram buckets of the failover timers, so alerts can count slow failovers
     * ({@code _bucket{le="3.0"}} is the design's target of 3 s from failure to the change submitted).
     */
    public static final List<Duration> FAILOVER_BUCKETS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(3),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofSeconds(120));

    private MetricNames() {
    }

    /** {@link #FAILOVER_BUCKETS} as Micrometer takes them. */
    public static Duration[] failoverBuckets() {
        return FAILOVER_BUCKETS.toArray(Duration[]::new);
    }
}
