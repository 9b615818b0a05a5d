package dev.lifeline.operator.aws.dns;

import dev.lifeline.operator.aws.call.AwsFailureException;
import dev.lifeline.operator.aws.call.AwsProblem;
import dev.lifeline.operator.aws.call.AwsReason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * DNS kept in memory, like external-dns' {@code inmemory} provider: for a local run without AWS
 * ({@code lifeline.dns.provider=inmemory}) and for fast tests of the DNS logic. Enforces what
 * Route 53 enforces and the operator relies on: atomic batches, CREATE of an existing set fails,
 * DELETE must name an existing set exactly, CallerReference idempotency. A change is PENDING
 * until it has been asked about once, so the pending path runs locally too. Every zone exists.
 */
public final class InMemoryDnsProvider implements DnsProvider {

    private final Map<String, List<DnsRecord>> zones = new HashMap<>();
    private final Map<String, HealthCheck> healthChecks = new LinkedHashMap<>();
    private final Map<String, HealthStatus> statuses = new HashMap<>();
    private final Map<String, String> callerReferences = new HashMap<>();
    private final Set<String> pendingChanges = new HashSet<>();
    private int changeCount;

    @Override
    public synchronized List<DnsRecord> records(String zoneId, String name) {
        String canonical = DnsRecord.canonicalName(name);
        return zones.getOrDefault(zoneId, List.of()).stream().filter(r -> r.name().equals(canonical)).toList();
    }

    /** Every record of a zone, for tests and the local run's diagnostics. */
    public synchronized List<DnsRecord> allRecords(String zoneId) {
        return List.copyOf(zones.getOrDefault(zoneId, List.of()));
    }

    @Override
    public List<DnsRecord> zoneRecords(String zoneId) {
        return allRecords(zoneId);
    }

    @Override
    public synchronized List<HealthCheck> healthChecksWithoutTags() {
        return healthChecks.values().stream()
                .map(c -> new HealthCheck(c.id(), c.callerReference(), c.settings(), Map.of())).toList();
    }

    @Override
    public synchronized String change(String zoneId, List<DnsChange> changes, String comment) {
        List<DnsRecord> next = new ArrayList<>(zones.getOrDefault(zoneId, List.of()));
        for (DnsChange change : changes) {
            Optional<DnsRecord> existing = next.stream().filter(r -> r.sameSetAs(change.record())).findFirst();
            switch (change.action()) {
                case CREATE -> {
                    if (existing.isPresent()) {
                        throw invalidBatch("Tried to create resource record set " + change.record().name() + " type "
                                + change.record().type() + " but it already exists");
                    }
                    next.add(change.record());
                }
                case UPSERT -> {
                    existing.ifPresent(next::remove);
                    next.add(change.record());
                }
                case DELETE -> {
                    if (existing.isEmpty() || !existing.get().equals(change.record())) {
                        throw invalidBatch("Tried to delete resource record set " + change.record().name() + " type "
                                + change.record().type() + " but it was not found or its values differ");
                    }
                    next.remove(existing.get());
                }
                default -> throw new IllegalArgumentException(change.action().name());
            }
        }
        zones.put(zoneId, next);
        String id = "/change/C" + (++changeCount);
        pendingChanges.add(id);
        return id;
    }

    @Override
    public synchronized boolean isInSync(String changeId) {
        // Route 53 propagates in seconds; here a change is PENDING once, INSYNC from then on.
        return !pendingChanges.remove(changeId);
    }

    @Override
    public synchronized Optional<HealthCheck> healthCheck(String id) {
        return Optional.ofNullable(healthChecks.get(id));
    }

    @Override
    public synchronized List<HealthCheck> healthChecksTagged(Map<String, String> tags) {
        return healthChecks.values().stream().filter(c -> c.tags().entrySet().containsAll(tags.entrySet())).toList();
    }

    @Override
    public synchronized HealthCheck createHealthCheck(String callerReference, HealthCheckSettings settings,
            Map<String, String> tags) {
        String known = callerReferences.get(callerReference);
        if (known != null) {
            HealthCheck existing = healthChecks.get(known);
            if (existing != null && existing.settings().equals(settings)) {
                return existing;
            }
            throw new AwsFailureException(new AwsProblem(AwsReason.Conflict,
                    "caller reference " + callerReference + " was used before"), "HealthCheckAlreadyExists");
        }
        String id = UUID.randomUUID().toString();
        HealthCheck check = new HealthCheck(id, callerReference, settings, tags);
        healthChecks.put(id, check);
        callerReferences.put(callerReference, id);
        return check;
    }

    @Override
    public synchronized void updateHealthCheck(String id, HealthCheckSettings settings) {
        HealthCheck check = healthChecks.get(id);
        if (check == null) {
            throw notFound("NoSuchHealthCheck " + id);
        }
        healthChecks.put(id, new HealthCheck(id, check.callerReference(), settings, check.tags()));
    }

    @Override
    public synchronized void deleteHealthCheck(String id) {
        // Like the Route 53 provider: deleting what is already gone is done.
        healthChecks.remove(id);
        statuses.remove(id);
    }

    @Override
    public synchronized HealthStatus healthStatus(String id) {
        HealthCheck check = healthChecks.get(id);
        if (check == null) {
            throw notFound("NoSuchHealthCheck " + id);
        }
        HealthStatus status = statuses.getOrDefault(id, HealthStatus.HEALTHY);
        if (check.settings().inverted() && status != HealthStatus.UNKNOWN) {
            return status == HealthStatus.HEALTHY ? HealthStatus.UNHEALTHY : HealthStatus.HEALTHY;
        }
        return status;
    }

    /** What the (imaginary) checkers see for a health check; HEALTHY unless set. */
    public synchronized void setHealth(String healthCheckId, HealthStatus status) {
        statuses.put(healthCheckId, status);
    }

    public synchronized List<HealthCheck> allHealthChecks() {
        return List.copyOf(healthChecks.values());
    }

    private static AwsFailureException invalidBatch(String message) {
        return new AwsFailureException(new AwsProblem(AwsReason.Invalid, message), "InvalidChangeBatch");
    }

    private static AwsFailureException notFound(String message) {
        return new AwsFailureException(new AwsProblem(AwsReason.NotFound, message), "NoSuchHealthCheck");
    }
}
