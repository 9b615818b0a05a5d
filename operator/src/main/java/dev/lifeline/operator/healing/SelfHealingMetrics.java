package dev.lifeline.operator.healing;

import java.time.Duration;
import java.util.Map;

import dev.lifeline.operator.api.BreakerStatus;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.health.RegionLoad;
import dev.lifeline.operator.memory.PlatformKey;
import dev.lifeline.operator.memory.PlatformMemory;
import dev.lifeline.operator.metrics.FailoverTimers;
import dev.lifeline.operator.metrics.MetricNames;
import dev.lifeline.operator.policy.Action;
import dev.lifeline.operator.policy.Decision;
import dev.lifeline.operator.policy.Decisions;
import dev.lifeline.operator.policy.DrainCause;
import dev.lifeline.operator.policy.EffectivePolicy;
import dev.lifeline.operator.policy.EngineState;
import dev.lifeline.operator.policy.Observations;
import dev.lifeline.operator.policy.RestartBudget;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Gauges of the latest self-healing step, at /q/metrics: breaker state per component
 * (0 closed, 1 half-open, 2 open), restarts left in each component's hourly budget, health per
 * region (1 healthy, 0 not), this region's DNS weight, and this region's load from its relays'
 * heartbeats (sessions, capacity, live, stale and malformed heartbeat items). Decision counts are
 * recorded by the DecisionEffector. The gauges' values live in PlatformMemory, which removes them
 * when the platform is deleted. Names: {@link MetricNames}.
 */
@ApplicationScoped
public class SelfHealingMetrics {

    private static final Map<String, Integer> BREAKER_VALUE = Map.of("Closed", MetricNames.BREAKER_CLOSED,
            "HalfOpen", MetricNames.BREAKER_HALF_OPEN, "Open", MetricNames.BREAKER_OPEN);

    private final MeterRegistry registry;
    private final PlatformMemory memory;

    public SelfHealingMetrics(MeterRegistry registry, PlatformMemory memory) {
        this.registry = registry;
        this.memory = memory;
    }

    public void record(RealtimePlatform platform, String localRegion, Decisions decisions) {
        for (BreakerStatus breaker : decisions.state().breakerStatuses()) {
            memory.gauge(platform, MetricNames.BREAKER_STATE,
                    Tags.of("region", localRegion, "component", breaker.component),
                    BREAKER_VALUE.getOrDefault(breaker.state, -1));
        }
        int budget = EffectivePolicy.of(platform.getSpec()).restart().maxPerHour();
        if (budget > 0) { // 0 disables restarts: no budget to run out of, no gauge that would read as exhausted
            decisions.state().restarts().forEach((component, restarts) -> memory.gauge(platform,
                    MetricNames.RESTART_BUDGET_REMAINING,
                    Tags.of("region", localRegion, "component", component.statusName()), remaining(budget, restarts)));
        }
        decisions.health().forEach((region, health) -> memory.gauge(platform, MetricNames.REGION_HEALTHY,
                Tags.of("region", region), "Healthy".equals(health.statusName()) ? 1 : 0));
        memory.gauge(platform, MetricNames.DNS_WEIGHT, Tags.of("region", localRegion), decisions.localWeight());
        // 1 while the peer's operator is silent and its service is not shown down (alerted on; never a drain)
        decisions.health().keySet().stream().filter(region -> !region.equals(localRegion))
                .forEach(region -> memory.gauge(platform, MetricNames.CONTROL_PLANE_SILENT, Tags.of("region", region),
                        decisions.silentControlPlanes().containsKey(region) ? 1 : 0));
        registerFailoverTimers(platform, decisions);
    }

    /**
     * The failover timers of every region exist from the first step, at zero, so that rates and alerts over them
     * have a series before the first failover (a missing series reads as "no data", not as "none happened").
     */
    private void registerFailoverTimers(RealtimePlatform platform, Decisions decisions) {
        for (String region : decisions.health().keySet()) {
            Tags tags = PlatformKey.of(platform).tags().and("region", region);
            FailoverTimers.detection(registry, tags);
            FailoverTimers.inSync(registry, tags);
        }
    }

    /** Restarts left in the hour; the state holds only the restarts of the last hour. */
    static int remaining(int maxPerHour, RestartBudget.State restarts) {
        return Math.max(0, maxPerHour - restarts.restarts().size());
    }

    /**
     * Detection latency of a silent peer: from its last heartbeat (the last moment it was known alive) to the
     * quorum's first decision to drain it. Re-issued drains of the same outage are not counted again.
     */
    public void recordDetection(RealtimePlatform platform, Observations observations, EngineState previous,
            Decisions decisions) {
        for (Decision decision : decisions.decisions()) {
            if (decision.action() instanceof Action.Drain drain && drain.cause() == DrainCause.QUORUM_DOWN
                    && !previous.peerDrainsIssued().containsKey(drain.region())) {
                Observations.RegionObservation peer = observations.regions().get(drain.region());
                if (peer != null && peer.lastHeartbeat() != null) {
                    FailoverTimers.detection(registry, PlatformKey.of(platform).tags().and("region", drain.region()))
                            .record(Duration.between(peer.lastHeartbeat(), decisions.at()));
                }
            }
        }
    }

    public void recordLoad(RealtimePlatform platform, String localRegion, RegionLoad load, int malformedItems) {
        Tags region = Tags.of("region", localRegion);
        memory.gauge(platform, MetricNames.REGION_SESSIONS, region, load.sessions());
        memory.gauge(platform, MetricNames.REGION_CAPACITY, region, load.capacity());
        memory.gauge(platform, MetricNames.INSTANCES_LIVE, region, load.liveRelays());
        memory.gauge(platform, MetricNames.INSTANCES_STALE, region, load.staleRelays());
        memory.gauge(platform, MetricNames.INSTANCES_MALFORMED, region, malformedItems);
    }
}
