package dev.lifeline.operator.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeline.operator.api.DnsSpec;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.aws.call.AwsFailureException;
import dev.lifeline.operator.aws.call.AwsOutcome;
import dev.lifeline.operator.aws.call.AwsReason;
import dev.lifeline.operator.aws.call.CleanupResult;
import dev.lifeline.operator.aws.dns.DnsProvider;
import dev.lifeline.operator.aws.dns.DnsReconciler;
import dev.lifeline.operator.aws.dns.DnsRecord;
import dev.lifeline.operator.aws.dns.DriftReadCache;
import dev.lifeline.operator.aws.dns.HealthStatus;
import dev.lifeline.operator.aws.dns.RegionRouting;
import dev.lifeline.operator.aws.dns.Route53Budget;
import dev.lifeline.operator.aws.dns.RoutingChangeWatch;
import dev.lifeline.operator.aws.dns.RoutingResult;
import dev.lifeline.operator.aws.table.SessionTableProvider;
import dev.lifeline.operator.aws.table.SessionTableReconciler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * The one entry point the reconciler calls for the AWS side of a platform: the session table
 * (DynamoDB global table) and this region's DNS record and health check (Route 53), plus the DNS
 * API of self-healing. Expected AWS failures never throw: they come back as conditions.
 *
 * <p>Thread-safe; reconciles of different platforms may run in parallel.
 */
public final class AwsResources {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SessionTableReconciler table;
    private final DnsReconciler dns;
    private final RegionRouting routing;
    private final CheckSchedule schedule;
    private final DnsProvider dnsProvider;
    /** Drift-priority reads of DNS (postponed without a free Route 53 permit), shared zone and health-check snapshots. */
    private final DnsProvider driftReads;
    /** The own region's health-check verdicts: drift priority within half the budget. */
    private final DnsProvider verdictReads;
    private final RoutingChangeWatch routingChanges = new RoutingChangeWatch();
    private final Map<String, HealthReading> route53Health = new ConcurrentHashMap<>();
    private final Clock clock;

    public AwsResources(SessionTableProvider tables, DnsProvider dnsProvider, Duration driftInterval,
            Duration pendingPollInterval, Clock clock) {
        this.table = new SessionTableReconciler(tables);
        this.routing = new RegionRouting(dnsProvider);
        // Drift checks read shared snapshots at most half a drift interval old, at drift priority; the DNS API
        // (drains, restores, their evidence and confirmations) reads and writes directly at routing priority.
        this.driftReads = new DriftReadCache(dnsProvider.at(Route53Budget.Priority.DRIFT), driftInterval.dividedBy(2),
                clock);
        this.verdictReads = dnsProvider.at(Route53Budget.Priority.VERDICT);
        this.dns = new DnsReconciler(driftReads, new RegionRouting(driftReads));
        this.schedule = new CheckSchedule(driftInterval, pendingPollInterval);
        this.dnsProvider = dnsProvider;
        this.clock = clock;
    }

    /** Same as {@link #reconcile(RealtimePlatform, String, String)} for regions with an explicit endpoint. */
    public AwsReport reconcile(RealtimePlatform platform, String ownRegion) {
        return reconcile(platform, ownRegion, null);
    }

    /**
     * Ensures the session table (and, in the home region, its replicas) and this region's record
     * and health check. Reads AWS only when the spec or address changed, something is pending,
     * or the drift interval passed; otherwise returns the last report ({@link AwsReport#cached()}).
     * Call again within {@link AwsReport#nextCheckIn()}.
     *
     * @param loadBalancerAddress the signaling Service's load-balancer host name or IP, or null;
     *                            used as DNS target when {@code spec.regions[].endpoint} is unset
     */
    public AwsReport reconcile(RealtimePlatform platform, String ownRegion, String loadBalancerAddress) {
        String key = key(platform) + ownRegion;
        String fingerprint = fingerprint(platform, loadBalancerAddress);
        Instant now = clock.instant();
        Optional<AwsReport> current = schedule.current(key, fingerprint, now);
        if (current.isPresent()) {
            return current.get();
        }
        Long generation = platform.getMetadata().getGeneration();
        // DNS first: a check postponed for the Route 53 request budget keeps its last report and costs nothing more.
        DnsReconciler.Result dnsResult = driftReads.asOneCheck(() -> dns.reconcile(platform, ownRegion,
                loadBalancerAddress));
        AwsOutcome dnsOutcome = dnsResult.outcome();
        Optional<AwsReport> last = schedule.last(key);
        if (dnsOutcome.isPostponed() && last.isPresent()) {
            return last.get().asCached(schedule.postpone(key, fingerprint, now));
        }
        SessionTableReconciler.Result tableResult = table.reconcile(platform.getSpec(), ownRegion);
        AwsOutcome tableOutcome = tableResult.outcome();
        boolean failed = tableOutcome.isFailure() || dnsOutcome.isFailure();
        boolean pending = tableOutcome.isPending() || dnsOutcome.isPending();
        Duration wait = dnsOutcome.isPostponed() ? schedule.postpone(key, fingerprint, now)
                : schedule.nextWait(key, failed, pending);
        // The wait runs from the end of the check: a check slowed by retries must not be followed at once by another.
        now = clock.instant();
        AwsReport report = new AwsReport(tableResult.status(), dnsResult.status(),
                AwsConditions.readiness(AwsReport.SESSION_STORE_READY, tableOutcome, generation),
                dnsOutcome.isPostponed() ? dnsReadyNow(platform, dnsOutcome, generation)
                        : AwsConditions.readiness(AwsReport.DNS_READY, dnsOutcome, generation),
                AwsConditions.degraded(tableOutcome, dnsOutcome, generation),
                dnsResult.weight(), wait, false);
        schedule.remember(key, fingerprint, report, failed, wait, now);
        return report;
    }

    /**
     * DnsReady when the first check of this process was postponed: as the status says (a restarted operator changes
     * nothing it has not read), else pending on the budget.
     */
    private static io.fabric8.kubernetes.api.model.Condition dnsReadyNow(RealtimePlatform platform, AwsOutcome postponed,
            Long generation) {
        return Optional.ofNullable(platform.getStatus()).map(s -> s.conditions).orElse(List.of()).stream()
                .filter(c -> AwsReport.DNS_READY.equals(c.getType())).findFirst()
                .orElseGet(() -> AwsConditions.readiness(AwsReport.DNS_READY, postponed, generation));
    }

    /**
     * One step of removing the platform's AWS resources of this region: its record, owner record
     * and health check; the table only with deletionPolicy Delete (and only from the home
     * region). Call until {@link CleanupResult#done()}; keep the finalizer until then.
     */
    public CleanupResult cleanup(RealtimePlatform platform, String ownRegion) {
        CleanupResult dnsCleanup = driftReads.asOneCheck(() -> dns.cleanup(platform, ownRegion));
        if (!dnsCleanup.done()) {
            return dnsCleanup;
        }
        CleanupResult tableCleanup = table.cleanup(platform.getSpec(), ownRegion);
        if (!tableCleanup.done()) {
            return tableCleanup;
        }
        return CleanupResult.done(dnsCleanup.outcome().message() + "; " + tableCleanup.outcome().message());
    }

    /** Drops what is cached of a deleted platform (all regions): last report, pending routing changes, verdicts. */
    public void forget(RealtimePlatform platform) {
        schedule.forgetPlatform(key(platform));
        routingChanges.forget(key(platform));
        route53Health.keySet().removeIf(k -> k.startsWith(key(platform)));
        peerEndpoints.keySet().removeIf(k -> k.startsWith(key(platform)));
    }

    /** DNS API: sets a region's weight (0 drains it unless it is the last healthy region). */
    public RoutingResult setWeight(RealtimePlatform platform, String region, int weight, Set<String> regionsKnownDown) {
        schedule.forgetPlatform(key(platform));
        return watched(platform, region, routing.setWeight(platform, region, weight, regionsKnownDown));
    }

    /** DNS API: drains a region unless it is the last healthy region. */
    public RoutingResult drain(RealtimePlatform platform, String region, Set<String> regionsKnownDown) {
        schedule.forgetPlatform(key(platform));
        return watched(platform, region, routing.drain(platform, region, regionsKnownDown));
    }

    /** DNS API: gives a region its spec weight back. */
    public RoutingResult restore(RealtimePlatform platform, String region) {
        schedule.forgetPlatform(key(platform));
        return watched(platform, region, routing.restore(platform, region));
    }

    /**
     * DNS API: asks Route 53 once about each routing change of the platform not yet INSYNC and
     * returns those that are now. A failed call leaves the change pending for the next poll.
     */
    public List<RoutingChangeWatch.ConfirmedChange> confirmRoutingChanges(RealtimePlatform platform) {
        List<RoutingChangeWatch.ConfirmedChange> confirmed = new ArrayList<>();
        for (RoutingChangeWatch.RoutingChange change : routingChanges.pendingOf(key(platform))) {
            try {
                if (dnsProvider.isInSync(change.changeId())) {
                    routingChanges.confirmed(key(platform), change);
                    confirmed.add(new RoutingChangeWatch.ConfirmedChange(change, clock.instant()));
                }
            } catch (AwsFailureException e) {
                break; // Route 53 is failing: the others would fail the same way; try again next step.
            }
        }
        return confirmed;
    }

    /**
     * A peer region as Route 53 shows it: the target of its record and Route 53's verdict on the record's health check
     * (true healthy, false unhealthy, null unknown).
     */
    public record PeerEndpoint(String target, Boolean route53Healthy) {
    }

    private record PeerReading(Instant at, PeerEndpoint endpoint) {
    }

    private final Map<String, PeerReading> peerEndpoints = new ConcurrentHashMap<>();

    /**
     * A peer region's record target and Route 53's verdict on its health check, read at most once per health-check
     * interval (asked only while the peer's operator is silent, so steady state makes no call). The verdict is
     * unknown under Latency and Failover routing (a drained region's check is inverted on purpose) and when Route 53
     * cannot be read: no verdict is not a bad verdict.
     */
    public PeerEndpoint peerEndpoint(RealtimePlatform platform, String peer) {
        return peerEndpoint(platform, peer, Instant.MIN);
    }

    /**
     * As above, for a peer silent since {@code silentSince}: a reading taken before then is not served from the
     * cache, and a health check that passed only before then is no verdict (see
     * {@link DnsProvider#healthStatus(String, Instant)}): a region lost a second ago still passed its check a few
     * seconds ago.
     */
    public PeerEndpoint peerEndpoint(RealtimePlatform platform, String peer, Instant silentSince) {
        var dnsSpec = platform.getSpec().dns;
        String key = key(platform) + peer;
        Instant now = clock.instant();
        PeerReading last = peerEndpoints.get(key);
        int interval = dnsSpec.healthCheck == null ? 10 : dnsSpec.healthCheck.intervalSeconds;
        if (last != null && now.isBefore(last.at().plusSeconds(interval)) && !last.at().isBefore(silentSince)) {
            return last.endpoint();
        }
        String target = null;
        Boolean healthy = null;
        try {
            Optional<DnsRecord> record = peerRecords(dnsSpec).stream()
                    .filter(r -> peer.equals(r.setIdentifier()) && !r.values().isEmpty()).findFirst();
            target = record.map(r -> r.values().get(0)).orElse(null);
            String checkId = record.map(DnsRecord::healthCheckId).orElse(null);
            if (checkId != null && dnsSpec.routingPolicy == DnsSpec.RoutingPolicy.Weighted) {
                HealthStatus status = dnsProvider.healthStatus(checkId, silentSince);
                healthy = status == HealthStatus.UNKNOWN ? null : status == HealthStatus.HEALTHY;
            }
        } catch (AwsFailureException e) {
            // unknown: the Route 53 side of the evidence is a doubt, never a failure verdict
        }
        PeerEndpoint endpoint = new PeerEndpoint(target, healthy);
        peerEndpoints.put(key, new PeerReading(now, endpoint));
        return endpoint;
    }

    /**
     * The records of the platform's name for a peer's evidence: from the drift checks' zone snapshot (a peer's target
     * and check id seldom change, and a silent region at many platforms would otherwise ask once per platform),
     * directly at routing priority when the snapshot would need a permit that is not free.
     */
    private List<DnsRecord> peerRecords(DnsSpec dnsSpec) {
        try {
            return driftReads.records(dnsSpec.hostedZoneId, dnsSpec.recordName);
        } catch (AwsFailureException e) {
            if (e.reason() != AwsReason.Postponed) {
                throw e;
            }
            return dnsProvider.records(dnsSpec.hostedZoneId, dnsSpec.recordName);
        }
    }

    /**
     * Route 53's verdict on a health check as of a reading: when it was read, the verdict, and how many readings in
     * a row found every checker failing.
     */
    private record HealthReading(String healthCheckId, Instant at, Boolean healthy, int failedInARow) {
    }

    /**
     * Route 53's verdict on this region's health check (true healthy, false unhealthy, null unknown), read at
     * most once per health-check interval: Route 53 cannot have a newer one, and its API is rate-limited. A drift-
     * priority read: when the Route 53 request budget has no free permit, the last verdict stands.
     * Unknown under Latency and Failover routing, where a drained region's check is inverted on purpose.
     * <p>
     * GetHealthCheckStatus returns each checker's last probe, not Route 53's verdict, which changes only after
     * {@code failureThreshold} probes in a row. So, as Route 53 does, this turns unhealthy only after that many
     * readings in a row found every checker failing: one slow answer (a signaling that is briefly overloaded, and
     * so not ready, is one) is no failure, and would otherwise count as a bad signaling sample for a whole interval.
     * One passing reading is healthy again. A reading without a verdict is unknown and keeps the count.
     */
    public Boolean route53Healthy(RealtimePlatform platform, String ownRegion) {
        var dnsSpec = platform.getSpec().dns;
        String id = platform.getStatus() == null || platform.getStatus().dns == null ? null
                : platform.getStatus().dns.healthCheckId;
        if (id == null || dnsSpec.healthCheck == null || dnsSpec.routingPolicy != DnsSpec.RoutingPolicy.Weighted) {
            return null;
        }
        String key = key(platform) + ownRegion;
        Instant now = clock.instant();
        HealthReading last = route53Health.get(key);
        if (last != null && last.healthCheckId().equals(id)
                && now.isBefore(last.at().plusSeconds(dnsSpec.healthCheck.intervalSeconds))) {
            return last.healthy();
        }
        HealthStatus status;
        try {
            status = verdictReads.healthStatus(id);
        } catch (AwsFailureException e) {
            if (e.reason() == AwsReason.Postponed) {
                // The budget is in use: the last verdict stands until a permit is free (asked again next step).
                return last != null && last.healthCheckId().equals(id) ? last.healthy() : null;
            }
            status = HealthStatus.UNKNOWN; // no verdict is not a bad verdict; the DNS condition reports the failure
        }
        HealthReading reading = next(last != null && last.healthCheckId().equals(id) ? last : null, id, now, status,
                dnsSpec.healthCheck.failureThreshold);
        route53Health.put(key, reading);
        return reading.healthy();
    }

    private static HealthReading next(HealthReading last, String id, Instant now, HealthStatus status, int threshold) {
        int failedBefore = last == null ? 0 : last.failedInARow();
        Boolean verdictBefore = last == null ? null : last.healthy();
        return switch (status) {
            case HEALTHY -> new HealthReading(id, now, true, 0);
            case UNKNOWN -> new HealthReading(id, now, null, failedBefore);
            case UNHEALTHY -> {
                int failed = failedBefore + 1;
                yield new HealthReading(id, now, failed >= Math.max(1, threshold) ? Boolean.FALSE : verdictBefore, failed);
            }
        };
    }

    private RoutingResult watched(RealtimePlatform platform, String region, RoutingResult result) {
        // The drift checks' snapshot of the zone predates this change: they read these names directly from now on.
        driftReads.readFresh(platform.getSpec().dns.hostedZoneId, DnsReconciler.names(platform.getSpec()));
        if (result.applied() && result.changeId() != null) {
            routingChanges.watch(key(platform), new RoutingChangeWatch.RoutingChange(region, result.weight(),
                    result.changeId(), clock.instant()));
        }
        return result;
    }

    private static String key(RealtimePlatform platform) {
        return platform.getMetadata().getNamespace() + "/" + platform.getMetadata().getName() + "@";
    }

    /**
     * What a check's report depends on, as a digest: the spec's JSON is over a kilobyte, and the schedule keeps one
     * fingerprint per platform for as long as the platform lives.
     */
    private static String fingerprint(RealtimePlatform platform, String loadBalancerAddress) {
        try {
            return DigestUtils.sha256Hex(JSON.writeValueAsString(platform.getSpec()) + "|"
                    + Objects.toString(loadBalancerAddress) + "|" + platform.getMetadata().getUid());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("RealtimePlatformSpec must serialize", e);
        }
    }
}
