package dev.lifeline.operator.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import dev.lifeline.operator.api.CircuitBreakerSpec;
import dev.lifeline.operator.api.DnsSpec;
import dev.lifeline.operator.api.DetectionSpec;
import dev.lifeline.operator.api.FailoverSpec;
import dev.lifeline.operator.api.HealthCheckSpec;
import dev.lifeline.operator.api.MediaServerSpec;
import dev.lifeline.operator.api.PreScaleSpec;
import dev.lifeline.operator.api.RealtimePlatformSpec;
import dev.lifeline.operator.api.RegionSpec;
import dev.lifeline.operator.api.ReplicaRange;
import dev.lifeline.operator.api.RelayHealthSpec;
import dev.lifeline.operator.api.RerouteSpec;
import dev.lifeline.operator.api.RestartSpec;
import dev.lifeline.operator.policy.Decision.Execution;

/**
 * The spec as the engine applies it: every missing sub-object replaced by its default, once, in {@link #of}. The
 * steps read only this value, never the spec, so no step needs to know which parts of a custom resource may be absent.
 *
 * @param regions the spec's regions in spec order, by name (the first entry of a name wins; nameless entries are
 *        skipped)
 * @param heartbeatInterval the heartbeat interval (at least 1 s); breakers take one sample per interval
 * @param staleAfter a heartbeat older than this is stale (at least 1 s)
 * @param detection the failure detector's settings
 * @param quorum how many live regions must agree that a silent peer is down
 * @param breaker the circuit breaker thresholds
 * @param restart the restart budget
 * @param reroute drain and restore parameters
 * @param preScale capacity planning parameters
 * @param mediaServer the media-server's replica range and sessions per replica
 * @param paused {@code spec.paused}: no remediation
 * @param dryRun {@code spec.dryRun}: decide, record, do not apply
 */
public record EffectivePolicy(Map<String, Region> regions, Duration heartbeatInterval, Duration staleAfter,
        Detection detection, FailoverSpec.Quorum quorum, BreakerPolicy breaker, RestartPolicy restart, ReroutePolicy reroute,
        PreScale preScale, MediaServer mediaServer, RelayHealth relayHealth, boolean paused, boolean dryRun) {

    /**
     * @param lossRatio a relay reporting more loss than this (0..1) is lossy
     * @param lagMillis a relay whose event loop lags more than this is overloaded
     * @param overloadFor how long most relays must stay overloaded before one more replica
     */
    public record RelayHealth(double lossRatio, double lagMillis, Duration overloadFor) {
    }

    /**
     * @param heartbeatInterval between the operator heartbeats of the detection loop, and the relays' ones
     * @param phiThreshold the suspicion level from which a peer is suspected
     * @param instancesStaleAfter a peer's instance heartbeat older than this is silent: three of its intervals, as
     *        the media server itself judges its relays
     */
    public record Detection(Duration heartbeatInterval, double phiThreshold, Duration instancesStaleAfter) {

        public static Detection of(DetectionSpec spec) {
            Duration interval = Duration.ofMillis(Math.max(100, spec.heartbeatIntervalMillis));
            return new Detection(interval, spec.phiThreshold > 0 ? spec.phiThreshold : 8, interval.multipliedBy(3));
        }

        /** The deviation the detector never assumes smaller (a perfectly regular peer is not suspected 1 ms late). */
        public Duration minStdDeviation() {
            return heartbeatInterval.dividedBy(5);
        }

        /** Longer gaps between a peer's heartbeats are outages, not jitter: kept out of the detector's history. */
        public Duration maxInterval() {
            return heartbeatInterval.multipliedBy(4);
        }
    }

    /** One region of the spec, as a value (the spec's {@link RegionSpec} is mutable). */
    public record Region(String name, int weight, boolean drain) {
    }

    /**
     * @param headroomPercent extra capacity above the sessions to absorb
     * @param forecast whether to scale ahead of the forecast
     * @param horizon how far ahead the forecast looks at most
     */
    public record PreScale(int headroomPercent, boolean forecast, Duration horizon) {
    }

    /** The media-server's replica bounds and the sessions one replica carries. */
    public record MediaServer(int minReplicas, int maxReplicas, int sessionsPerReplica) {
    }

    public EffectivePolicy {
        // a LinkedHashMap keeps spec order, which decides the quorum coordinator; Map.copyOf would not
        regions = Collections.unmodifiableMap(new LinkedHashMap<>(regions));
        Objects.requireNonNull(quorum, "quorum");
    }

    /** Applies the spec's defaults. Throws {@link IllegalArgumentException} for values the policies reject. */
    public static EffectivePolicy of(RealtimePlatformSpec spec) {
        FailoverSpec failover = orDefault(spec.failover, FailoverSpec::new);
        BreakerPolicy breaker = BreakerPolicy.from(orDefault(failover.circuitBreaker, CircuitBreakerSpec::new));
        RestartPolicy restart = RestartPolicy.from(orDefault(failover.restart, RestartSpec::new));
        DnsSpec dns = orDefault(spec.dns, DnsSpec::new);
        ReroutePolicy reroute = ReroutePolicy.from(orDefault(failover.reroute, RerouteSpec::new), dns.ttlSeconds,
                orDefault(dns.healthCheck, HealthCheckSpec::new));
        PreScaleSpec ps = orDefault(failover.preScale, PreScaleSpec::new);
        MediaServerSpec ms = orDefault(spec.mediaServer, MediaServerSpec::new);
        ReplicaRange range = orDefault(ms.replicas, () -> new ReplicaRange(2, 20));
        return new EffectivePolicy(regions(spec.regions),
                Duration.ofSeconds(Math.max(1, failover.heartbeatIntervalSeconds)),
                Duration.ofSeconds(Math.max(1, failover.staleAfterSeconds)),
                Detection.of(orDefault(failover.detection, DetectionSpec::new)),
                orDefault(failover.quorum, () -> FailoverSpec.Quorum.Majority), breaker, restart, reroute,
                new PreScale(ps.headroomPercent, ps.forecast, Duration.ofSeconds(ps.horizonSeconds)),
                new MediaServer(range.min, range.max, ms.sessionsPerReplica),
                relayHealth(orDefault(failover.relayHealth, RelayHealthSpec::new)), spec.paused, spec.dryRun);
    }

    private static RelayHealth relayHealth(RelayHealthSpec spec) {
        return new RelayHealth(spec.lossPercentThreshold / 100.0, spec.eventLoopLagMillisThreshold,
                Duration.ofSeconds(Math.max(1, spec.overloadSeconds)));
    }

    private static Map<String, Region> regions(List<RegionSpec> specs) {
        Map<String, Region> out = new LinkedHashMap<>();
        if (specs != null) {
            for (RegionSpec r : specs) {
                if (r != null && r.name != null) {
                    out.putIfAbsent(r.name, new Region(r.name, r.weight, r.drain));
                }
            }
        }
        return out;
    }

    private static <T> T orDefault(T value, Supplier<T> fallback) {
        return value == null ? fallback.get() : value;
    }

    /** The region this operator runs in; it must be one of the spec's. */
    public Region requireRegion(String name) {
        Region r = regions.get(name);
        if (r == null) {
            throw new IllegalArgumentException("local region " + name + " is not one of spec.regions "
                    + regions.keySet());
        }
        return r;
    }

    public Region region(String name) {
        return regions.get(name);
    }

    /** How every decision but a breaker transition is marked. */
    public Execution mode() {
        return dryRun ? Execution.DRY_RUN : Execution.APPLY;
    }

    /** What the policy itself means for every decision, for the notes: paused, or breakers that cannot open. */
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        if (paused) {
            notes.add("spec.paused is true: no restarts, reroutes or scaling; breakers keep tracking health");
        }
        long window = breaker.slidingWindow().toSeconds();
        long samplesPerWindow = window / heartbeatInterval.toSeconds();
        if (samplesPerWindow < breaker.minimumSamples()) {
            notes.add("circuitBreaker.minimumSamples (" + breaker.minimumSamples() + ") exceeds the samples a "
                    + window + " s window holds at one per heartbeat interval (" + samplesPerWindow
                    + "): breakers can open only through the restart budget");
        }
        return notes;
    }
}
