package dev.lifeline.operator.aws.dns;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The routing changes of the DNS API (drain, restore steps) that Route 53 has accepted but not yet
 * reported INSYNC, per platform. A reroute is only done once the change is live, so the
 * self-healing loop polls them and reports how long each took.
 */
public final class RoutingChangeWatch {

    /** Bounds the memory of a platform whose changes never confirm (Route 53 unreachable for long). */
    static final int MAX_PENDING_PER_PLATFORM = 16;

    private final Map<String, List<RoutingChange>> pending = new ConcurrentHashMap<>();

    /** A change Route 53 accepted: the region, its new weight, the change id and when it was submitted. */
    public record RoutingChange(String region, int weight, String changeId, Instant submittedAt) {
    }

    /** A change that is INSYNC now, and how long that took from its submission. */
    public record ConfirmedChange(RoutingChange change, Instant confirmedAt) {
        public Duration took() {
            return Duration.between(change.submittedAt(), confirmedAt);
        }
    }

    public void watch(String platformKey, RoutingChange change) {
        pending.compute(platformKey, (key, list) -> {
            List<RoutingChange> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
            next.add(change);
            while (next.size() > MAX_PENDING_PER_PLATFORM) {
                next.remove(0);
            }
            return next;
        });
    }

    public List<RoutingChange> pendingOf(String platformKey) {
        return List.copyOf(pending.getOrDefault(platformKey, List.of()));
    }

    public void confirmed(String platformKey, RoutingChange change) {
        pending.computeIfPresent(platformKey, (key, list) -> {
            List<RoutingChange> next = new ArrayList<>(list);
            next.remove(change);
            return next.isEmpty() ? null : next;
        });
    }

    public void forget(String platformKey) {
        pending.remove(platformKey);
    }
}
