package dev.lifeline.operator.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When AWS is next read for a platform. Reconciles come on every Kubernetes event, but AWS is
 * asked only when the spec (or the load-balancer address) changed, a change is pending, or the
 * drift interval has passed; after failures the wait doubles up to the drift interval. That is
 * what keeps a burst of reconciles, or a throttled AWS, from turning into a hot loop.
 */
final class CheckSchedule {

    private final Duration driftInterval;
    private final Duration pendingPoll;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    CheckSchedule(Duration driftInterval, Duration pendingPoll) {
        this.driftInterval = driftInterval;
        this.pendingPoll = pendingPoll;
    }

    private record Entry(String fingerprint, AwsReport report, Instant nextCheckAt, int failures) {
    }

    /** The last report while it is still current, else empty (check AWS now). */
    Optional<AwsReport> current(String key, String fingerprint, Instant now) {
        Entry entry = entries.get(key);
        if (entry == null || !entry.fingerprint.equals(fingerprint) || !now.isBefore(entry.nextCheckAt)) {
            return Optional.empty();
        }
        return Optional.of(entry.report.asCached(Duration.between(now, entry.nextCheckAt)));
    }

    /** How long a fresh result stays current: depends on whether it failed (again) or is pending. */
    Duration nextWait(String key, boolean failed, boolean pending) {
        return delay(failuresAfter(key, failed), pending);
    }

    /** Remembers a fresh report until {@code now + wait}. */
    void remember(String key, String fingerprint, AwsReport report, boolean failed, Duration wait, Instant now) {
        entries.put(key, new Entry(fingerprint, report, now.plus(wait), failuresAfter(key, failed)));
    }

    private int failuresAfter(String key, boolean failed) {
        Entry previous = entries.get(key);
        return failed ? (previous == null ? 1 : previous.failures + 1) : 0;
    }

    /** Pure backoff: pending poll while pending, doubling after consecutive failures, capped at the drift interval. */
    Duration delay(int consecutiveFailures, boolean pending) {
        if (consecutiveFailures > 0) {
            Duration backoff = pendingPoll.multipliedBy(1L << Math.min(consecutiveFailures - 1, 16));
            return backoff.compareTo(driftInterval) > 0 ? driftInterval : backoff;
        }
        return pending ? pendingPoll : driftInterval;
    }

    /** Forgets every entry of a platform (all regions), for example after a DNS API change. */
    void forgetPlatform(String platformKeyPrefix) {
        entries.keySet().removeIf(k -> k.startsWith(platformKeyPrefix));
    }
}
