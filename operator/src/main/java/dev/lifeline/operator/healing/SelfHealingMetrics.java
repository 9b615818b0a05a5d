package dev.lifeline.operator.healing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.lifeline.operator.api.BreakerStatus;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.health.RegionLoad;
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
 * malformed heartbeat items). Decision counts are recorded by the DecisionEffector.
 */
@ApplicationScoped
public class SelfHealingMetrics {

    private static final Map<String, Integer> BREAKER_VALUE = Map.of("Closed", 0, "HalfOpen", 1, "Open", 2);

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    public SelfHealingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(RealtimePlatform platform, String localRegion, Decisions decisions) {
        Tags platformTags = Tags.of("namespace", platform.getMetadata().getNamespace(), "platform",
                platform.getMetadata().getName());
        for (BreakerStatus breaker : decisions.state().breakerStatuses()) {
            set("lifeline.breaker.state", platformTags.and("region", localRegion, "component", breaker.component),
                    BREAKER_VALUE.getOrDefault(breaker.state, -1));
        }
        decisions.health().forEach((region, health) -> set("lifeline.region.healthy",
                platformTags.and("region", region), "Healthy".equals(health.statusName()) ? 1 : 0));
        set("lifeline.dns.weight", platformTags.and("region", localRegion), decisions.localWeight());
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
                            .tags("namespace", platform.getMetadata().getNamespace(), "platform",
                                    platform.getMetadata().getName(), "region", drain.region())
                            .register(registry).record(Duration.between(peer.lastHeartbeat(), decisions.at()));
                }
            }
        }
    }

    public void recordLoad(RealtimePlatform platform, String localRegion, RegionLoad load, int malformedItems) {
        Tags tags = Tags.of("namespace", platform.getMetadata().getNamespace(), "platform",
                platform.getMetadata().getName(), "region", localRegion);
        set("lifeline.region.sessions", tags, load.sessions());
        set("lifeline.region.capacity", tags, load.capacity());
        set("lifeline.instances.live", tags, load.liveRelays());
        set("lifeline.instances.stale", tags, load.staleRelays());
        set("lifeline.instances.malformed", tags, malformedItems);
    }

    private void set(String name, Tags tags, long value) {
        gauges.computeIfAbsent(name + tags, k -> registry.gauge(name, tags, new AtomicLong())).set(value);
    }
}
