package dev.lifeline.operator.aws.dns;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What the drift checks of many platforms share, read once: each hosted zone's records (one paged listing) and the
 * account's health checks (one paged listing), kept for {@code maxAge} (half the drift interval), so that N platforms
 * in one zone cost a few listings per pass instead of four requests each. A health check's ownership tags are read
 * once per process and id: an id is never reused, and only what Lifeline tagged as its own is ever looked up.
 *
 * <p>Never the basis of a write: a name or health check this process changed, or that a caller wants to decide a
 * write on ({@link #readFresh}), is read directly (at drift priority) until the next listing taken after the mark;
 * a health check this process created is, until then, what Route 53 answered the create.
 * A snapshot is at most {@code maxAge} old, so an out-of-band change is found within one and a half drift
 * intervals. Everything else passes through to the drift-priority provider. Thread-safe.
 */
public final class DriftReadCache extends ForwardingDnsProvider {

    private final Duration maxAge;
    private final Clock clock;
    private final Map<String, ZoneSnapshot> zones = new ConcurrentHashMap<>();
    private volatile CheckSnapshot checks;
    /** Names (zone + name) and health-check ids to read directly, and since when. */
    private final Map<String, Instant> direct = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> tagsById = new ConcurrentHashMap<>();
    /** Health checks this process created, as Route 53 answered the create, until a listing taken after it. */
    private final Map<String, Created> created = new ConcurrentHashMap<>();

    private record ZoneSnapshot(Instant at, Map<String, List<DnsRecord>> byName) {
    }

    private record CheckSnapshot(Instant at, Map<String, HealthCheck> byId) {
    }

    private record Created(Instant at, HealthCheck check) {
    }

    public DriftReadCache(DnsProvider delegate, Duration maxAge, Clock clock) {
        super(delegate);
        this.maxAge = maxAge;
        this.clock = clock;
    }

    @Override
    public List<DnsRecord> records(String zoneId, String name) {
        String canonical = DnsRecord.canonicalName(name);
        if (markedRecently(nameKey(zoneId, canonical))) {
            return delegate.records(zoneId, name);
        }
        ZoneSnapshot snapshot = zone(zoneId);
        if (direct.containsKey(nameKey(zoneId, canonical))) {
            return delegate.records(zoneId, name); // changed while the listing was read
        }
        return snapshot.byName().getOrDefault(canonical, List.of());
    }

    /**
     * Marks these names to be read directly from now on (until a listing taken after now). True when they were
     * served from a snapshot until now: a caller about to write on what it read should read again first.
     */
    @Override
    public boolean readFresh(String zoneId, Collection<String> names) {
        boolean wasCached = false;
        Instant now = clock.instant();
        for (String name : names) {
            wasCached |= direct.putIfAbsent(nameKey(zoneId, DnsRecord.canonicalName(name)), now) == null;
        }
        return wasCached;
    }

    private ZoneSnapshot zone(String zoneId) {
        ZoneSnapshot current = zones.get(zoneId);
        if (current != null && fresh(current.at())) {
            return current;
        }
        synchronized (this) {
            current = zones.get(zoneId);
            if (current != null && fresh(current.at())) {
                return current; // another thread listed it meanwhile
            }
            Instant at = clock.instant();
            Map<String, List<DnsRecord>> byName = delegate.zoneRecords(zoneId).stream()
                    .collect(Collectors.groupingBy(DnsRecord::name, HashMap::new, Collectors.toList()));
            ZoneSnapshot read = new ZoneSnapshot(at, Map.copyOf(byName));
            zones.put(zoneId, read);
            String prefix = zoneId + "|";
            direct.entrySet().removeIf(e -> e.getKey().startsWith(prefix) && e.getValue().isBefore(at));
            return read;
        }
    }

    @Override
    public Optional<HealthCheck> healthCheck(String id) {
        Created own = created.get(id);
        if (own != null && fresh(own.at())) {
            // As the create answered: only this process has changed it since (an update or delete drops this copy).
            // Reading it back with its tags cost a new platform 2 of its 9 Route 53 requests (scale benchmark).
            return Optional.of(own.check());
        }
        if (markedRecently(checkKey(id))) {
            return readCheck(id);
        }
        CheckSnapshot snapshot = checkSnapshot();
        if (direct.containsKey(checkKey(id))) {
            return readCheck(id);
        }
        HealthCheck listed = snapshot.byId().get(id);
        if (listed == null) {
            return Optional.empty();
        }
        Map<String, String> tags = tagsById.get(id);
        if (tags == null) {
            return readCheck(id);
        }
        return Optional.of(new HealthCheck(id, listed.callerReference(), listed.settings(), tags));
    }

    private Optional<HealthCheck> readCheck(String id) {
        Optional<HealthCheck> check = delegate.healthCheck(id);
        check.ifPresent(c -> tagsById.put(id, c.tags()));
        return check;
    }

    private CheckSnapshot checkSnapshot() {
        CheckSnapshot current = checks;
        if (current != null && fresh(current.at())) {
            return current;
        }
        synchronized (this) {
            current = checks;
            if (current != null && fresh(current.at())) {
                return current;
            }
            Instant at = clock.instant();
            CheckSnapshot read = new CheckSnapshot(at, delegate.healthChecksWithoutTags().stream()
                    .collect(Collectors.toUnmodifiableMap(HealthCheck::id, c -> c, (a, b) -> a)));
            checks = read;
            direct.entrySet().removeIf(e -> e.getKey().startsWith("check|") && e.getValue().isBefore(at));
            created.values().removeIf(c -> c.at().isBefore(at));
            return read;
        }
    }

    /**
     * Marked to be read directly, and since less than a snapshot's life: read it directly without waiting for a
     * listing (a failover deciding on it, a change just made). An older mark goes through the snapshot, whose next
     * listing clears it: otherwise what this process created itself (every health check of a platform it created)
     * would be read one by one until a restart, since only a read of something unmarked ever takes a listing.
     */
    private boolean markedRecently(String key) {
        Instant marked = direct.get(key);
        return marked != null && fresh(marked);
    }

    private boolean fresh(Instant at) {
        return clock.instant().isBefore(at.plus(maxAge));
    }

    private static String nameKey(String zoneId, String canonicalName) {
        return zoneId + "|" + canonicalName;
    }

    private static String checkKey(String id) {
        return "check|" + id;
    }

    private void readDirectly(String id) {
        direct.put(checkKey(id), clock.instant());
    }

    @Override
    public String change(String zoneId, List<DnsChange> changes, String comment) {
        try {
            return delegate.change(zoneId, changes, comment);
        } finally {
            // Marked once the change is made (or failed in an unknown state): a listing begun before then may miss it.
            Instant now = clock.instant();
            changes.forEach(c -> direct.put(nameKey(zoneId, DnsRecord.canonicalName(c.record().name())), now));
        }
    }

    @Override
    public HealthCheck createHealthCheck(String callerReference, HealthCheckSettings settings, Map<String, String> tags) {
        HealthCheck check = delegate.createHealthCheck(callerReference, settings, tags);
        tagsById.put(check.id(), check.tags());
        created.put(check.id(), new Created(clock.instant(), check));
        return check;
    }

    @Override
    public void updateHealthCheck(String id, HealthCheckSettings settings) {
        created.remove(id);
        readDirectly(id);
        delegate.updateHealthCheck(id, settings);
    }

    @Override
    public void deleteHealthCheck(String id) {
        created.remove(id);
        readDirectly(id);
        tagsById.remove(id);
        delegate.deleteHealthCheck(id);
    }
}
