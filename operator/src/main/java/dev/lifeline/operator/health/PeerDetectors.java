package dev.lifeline.operator.health;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.lifeline.operator.memory.PlatformKey;
import dev.lifeline.operator.policy.EffectivePolicy;
import dev.lifeline.operator.policy.PhiAccrualDetector;
import dev.lifeline.operator.policy.Suspicion;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One phi-accrual detector per platform and peer region, fed with the arrivals of the peer's operator heartbeats as
 * this process observes them: an arrival is a read that finds a heartbeat newer than the one seen before, timed by
 * this process's clock (no clock of another region is compared). The first read of a peer in a process only sets the
 * baseline: a heartbeat already in the table is not an arrival, so a fresh process draws no verdict until it has seen
 * the peer write (the stale-after rule judges it meanwhile). Kept in memory only; {@link #forget} on deletion.
 */
@ApplicationScoped
public class PeerDetectors {

    private record Peer(Instant lastStamp, PhiAccrualDetector detector) {
    }

    private final Map<PlatformKey, Map<String, Peer>> platforms = new ConcurrentHashMap<>();

    /** Records what one read of the heartbeats found at {@code now}; the local region's own heartbeat is skipped. */
    public void observe(PlatformKey platform, String localRegion, Map<String, OperatorHeartbeat> read, Instant now,
            EffectivePolicy.Detection detection) {
        Map<String, Peer> peers = platforms.computeIfAbsent(platform, k -> new ConcurrentHashMap<>());
        read.forEach((region, heartbeat) -> {
            if (region.equals(localRegion) || heartbeat.at() == null) {
                return;
            }
            peers.compute(region, (r, known) -> {
                if (known == null) {
                    return new Peer(heartbeat.at(), PhiAccrualDetector.start(detection.heartbeatInterval(),
                            detection.minStdDeviation(), detection.maxInterval()));
                }
                if (!heartbeat.at().isAfter(known.lastStamp())) {
                    return known;
                }
                return new Peer(heartbeat.at(), known.detector().heartbeat(now));
            });
        });
    }

    /** Each peer's suspicion at {@code now}; peers with no arrival seen yet are left out (no verdict). */
    public Map<String, Suspicion> suspicions(PlatformKey platform, Instant now, double threshold) {
        Map<String, Suspicion> out = new LinkedHashMap<>();
        platforms.getOrDefault(platform, Map.of()).forEach((region, peer) -> peer.detector().phi(now).ifPresent(
                phi -> out.put(region, new Suspicion(phi, threshold,
                        Duration.between(peer.detector().lastArrival().orElseThrow(), now)))));
        return out;
    }

    /** The earliest instant a peer not yet suspected would be, if nothing arrives before; for scheduling a look. */
    public Optional<Instant> nextSuspicion(PlatformKey platform, Instant now, double threshold) {
        return platforms.getOrDefault(platform, Map.of()).values().stream()
                .filter(p -> !p.detector().suspects(now, threshold))
                .flatMap(p -> p.detector().suspectedAt(threshold).stream()).min(Instant::compareTo);
    }

    /** Each peer's detector (its mean and deviation of the arrivals), for the log line of a suspicion. */
    public Map<String, String> describe(PlatformKey platform) {
        Map<String, String> out = new LinkedHashMap<>();
        platforms.getOrDefault(platform, Map.of()).forEach((region, peer) -> out.put(region, peer.detector().toString()));
        return out;
    }

    public void forget(PlatformKey platform) {
        platforms.remove(platform);
    }
}
