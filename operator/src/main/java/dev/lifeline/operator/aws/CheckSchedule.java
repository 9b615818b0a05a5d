package dev.lifeline.operator.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When AWS is next read for a platform. Reconciles come on every Kubernetes event, but AWS is
 * asked only when the spec (or the load-balancer address) changed, a change is pending, or the
 * drift interval has passed; after failures the wait doubles up to the drift interval. That is
 * what keeps a burst of reconciles, or a throttled AWS, from turning into a hot loop.
 *
 * <p>A check postponed because the Route 53 request budget had no free permit keeps its last report and comes again
 * after a random share of a window that doubles with each postponement in a row (from the pending poll up to the
 * drift interval): postponed checks are spread over the time the budget needs for them, not retried all at once.
 */
final class CheckSchedule {

    private final Duration driftInterval;
    private final Duration pendingPoll;
    private final DoubleSupplier random;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    CheckSchedule(Duration driftInterval, Duration pendingPoll) {
        this(driftInterval, pendingPoll, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random uniform in [0, 1), for the spread of postponed checks */
    CheckSchedule(Duration driftInterval, Duration pendingPoll, DoubleSupplier random) {
        this.driftInterval = driftInterval;
        this.pendingPoll = pendingPoll;
        this.random = random;
    }

    private record Entry(String fingerprint, AwsReport report, Instant nextCheckAt, int failures, int postponements) {
    }

    /** The last report of a check that was made, whether current or not. */
    Optional<AwsReport> last(String key) {
        return Optional.ofNullable(entries.get(key)).map(Entry::report);
    }

    /**
     * A check that could not be made for the request budget: the last report stays, the next try comes after
     * {@link #postponement}. Returns the wait.
     */
    Duration postpone(String key, String fingerprint, Instant now) {
        Entry previous = entries.get(key);
        int postponements = previous == null ? 1 : previous.postponements + 1;
        Duration wait = postponement(postponements, random.getAsDouble());
        if (previous != null) {
            entries.put(key, new Entry(fingerprint, previous.report, now.plus(wait), previous.failures, postponements));
        }
        return wait;
    }

    /**
     * Pure: the wait after the n-th postponement in a row: uniform in [window / 2, window) for a window of the
     * pending poll doubled per postponement, capped at the drift interval. Half of it at least, so a check does not
     * come back at once; random, so checks postponed together come back apart.
     */
    Duration postponement(int postponementsInARow, double uniform) {
        Duration window = pendingPoll.multipliedBy(1L << Math.min(Math.max(postponementsInARow - 1, 0), 16));
        if (window.compareTo(driftInterval) > 0) {
            window = driftInterval;
        }
        long millis = window.toMillis();
        return Duration.ofMillis(millis / 2 + (long) (uniform * (millis - millis / 2)));
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
        entries.put(key, new Entry(fingerprint, report, now.plus(wait), failuresAfter(key, failed), 0));
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
