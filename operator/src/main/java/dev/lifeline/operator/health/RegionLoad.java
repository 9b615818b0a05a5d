package dev.lifeline.operator.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

import dev.lifeline.operator.policy.Busy;
import dev.lifeline.operator.policy.RelayReport;
import dev.lifeline.sessiontable.InstanceHeartbeat;

/**
 * Pure: a region's media load, summarised from its relays' heartbeats. Only media relays count (the
 * media-server Deployment is what pre-scale and pod deletion costs act on). A heartbeat older than
 * {@code staleAfter} belongs to an instance that is gone (crashed, deleted, partitioned): it counts for
 * nothing, since its sessions have already been lost or moved.
 *
 * @param sessionsByPod sessions of each live relay by instance id, which is its pod name
 * @param sessions the region's live sessions: the sum over its live relays (draining and unready ones included,
 *        since they still carry theirs)
 * @param capacity sessions the region can take: the capacity of its live relays that are ready and not draining
 * @param liveRelays relays with a fresh heartbeat
 * @param staleRelays relays whose latest heartbeat is older than {@code staleAfter}
 * @param reportsByPod what each live relay says about itself (full or draining, loss, lag), by instance id
 */
public record RegionLoad(Map<String, Long> sessionsByPod, long sessions, long capacity, int liveRelays,
        int staleRelays, Map<String, RelayReport> reportsByPod) {

    public RegionLoad {
        sessionsByPod = Map.copyOf(sessionsByPod);
        reportsByPod = Map.copyOf(reportsByPod);
    }

    /** The live relays that say they are full or draining. */
    public Map<String, Busy> busyByPod() {
        Map<String, Busy> busy = new TreeMap<>();
        reportsByPod.forEach((pod, report) -> {
            if (report.busy() != Busy.NO) {
                busy.put(pod, report.busy());
            }
        });
        return busy;
    }

    public RegionLoad(Map<String, Long> sessionsByPod, long sessions, long capacity, int liveRelays, int staleRelays) {
        this(sessionsByPod, sessions, capacity, liveRelays, staleRelays, Map.of());
    }

    public static RegionLoad of(Collection<InstanceHeartbeat> heartbeats, Instant now, Duration staleAfter) {
        Instant freshSince = now.minus(staleAfter);
        Map<String, Long> byPod = new TreeMap<>();
        Map<String, RelayReport> reports = new TreeMap<>();
        long sessions = 0;
        long capacity = 0;
        int stale = 0;
        for (InstanceHeartbeat h : heartbeats) {
            if (!InstanceHeartbeat.MEDIA.equals(h.role())) {
                continue;
            }
            if (h.updatedAt().isBefore(freshSince)) {
                stale++;
                continue;
            }
            long carried = Math.max(0, h.sessions());
            byPod.put(h.instanceId(), carried);
            reports.put(h.instanceId(), new RelayReport(Busy.of(h.ready(), h.draining(), h.sessions(), h.capacity()),
                    h.lossRatio(), h.eventLoopLagMillis()));
            sessions = saturatedSum(sessions, carried);
            if (h.ready() && !h.draining()) {
                capacity = saturatedSum(capacity, Math.max(0, h.capacity()));
            }
        }
        return new RegionLoad(byPod, sessions, capacity, byPod.size(), stale, reports);
    }

    /** Counts come from other programs' items: a huge one must not wrap around to a negative total (a, b ≥ 0). */
    private static long saturatedSum(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }
}
