package dev.lifeline.operator.healing;

import java.time.Duration;
import java.util.Map;

import dev.lifeline.operator.api.BreakerStatus;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.health.RegionLoad;
import dev.lifeline.operator.memory.PlatformKey;
import dev.lifeline.operator.memory.PlatformMemory;
import dev.lifeline.operator.policy.Action;
import dev.lifeline.operator.policy.Decision;
import dev.lifeline.operator.policy.Decisions;
import dev.lifeline.operator.policy.DrainCause;
import dev.lifeline.operator.policy.EngineState;
import dev.lifeline.operator.policy.Observations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Gauges of the latest self-healing step, at /q/metrics: breaker state per component
 * (0 closed, 1 half-open, 2 open), health per region (1 healthy, 0 not), this region's DNS
 * weight, and this region's load from its relays' heartbeats (sessions, capacity, live, stale and
 * malformed heartbeat items). Decision counts are recorded by the DecisionEffector. The gauges'
 * values live in PlatformMemory, which removes them when the platform is deleted.
 */
@ApplicationScoped
public class SelfHealingMetrics {

    private static final Map<String, Integer> BREAKER_VALUE = Map.of("Closed", 0, "HalfOpen", 1, "Open", 2);

    private final MeterRegistry registry;
    private final PlatformMemory memory;

    public SelfHealingMetrics(MeterRegistry registry, PlatformMemory memory) {
        this.registry = registry;
        this.memory = memory;
    }

    public void record(RealtimePlatform platform, String localRegion, Decisions decisions) {
        for (BreakerStatus breaker : decisions.state().breakerStatuses()) {
            memory.gauge(platform, "lifeline.breaker.state", Tags.of("region", localRegion, "component", breaker.component),
                    BREAKER_VALUE.getOrDefault(breaker.state, -1));
        }
        decisions.health().forEach((region, health) -> memory.gauge(platform, "lifeline.region.healthy",
                Tags.of("region", region), "Healthy".equals(health.statusName()) ? 1 : 0));
        memory.gauge(platform, "lifeline.dns.weight", Tags.of("region", localRegion), decisions.localWeight());
        // 1 while the peer's operator is silent and its service is not shown down (alerted on; never a drain)
        decisions.health().keySet().stream().filter(region -> !region.equals(localRegion))
                .forEach(region -> memory.gauge(platform, "lifeline.control.plane.silent", Tags.of("region", region),
                        decisions.silentControlPlanes().containsKey(region) ? 1 : 0));
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
                    Timer.builder("lifeline.failover.detection")
                            .description("Last heartbeat of a silent region -> the quorum decides to drain it")
                            .tags(PlatformKey.of(platform).tags().and("region", drain.region()))
                            .register(registry).record(Duration.between(peer.lastHeartbeat(), decisions.at()));
                }
            }
        }
    }

    public void recordLoad(RealtimePlatform platform, String localRegion, RegionLoad load, int malformedItems) {
        Tags region = Tags.of("region", localRegion);
        memory.gauge(platform, "lifeline.region.sessions", region, load.sessions());
        memory.gauge(platform, "lifeline.region.capacity", region, load.capacity());
        memory.gauge(platform, "lifeline.instances.live", region, load.liveRelays());
        memory.gauge(platform, "lifeline.instances.stale", region, load.staleRelays());
        memory.gauge(platform, "lifeline.instances.malformed", region, malformedItems);
    }
}
