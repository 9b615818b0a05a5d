package dev.lifeline.operator.aws.dns;

import dev.lifeline.operator.api.DnsStatus;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RealtimePlatformSpec;
import dev.lifeline.operator.api.RegionSpec;
import dev.lifeline.operator.aws.call.AwsFailureException;
import dev.lifeline.operator.aws.call.AwsOutcome;
import dev.lifeline.operator.aws.call.AwsReason;
import dev.lifeline.operator.aws.call.CleanupResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps this region's Route 53 record, owner record and health check as the spec says.
 *
 * <p>Never touches what it does not own: a record with this name and SetIdentifier but without
 * this platform's owner record is reported as a Conflict and left alone. Record, owner record and
 * any type change go out in one ChangeResourceRecordSets batch; nothing is written when
 * everything matches. The weight is the routing override from the owner record (set by
 * {@link RegionRouting}) or the spec's, and lowering it to 0 passes the last-healthy-region
 * check like every other drain.
 */
public final class DnsReconciler {

    /** Route 53 refuses a CallerReference used before; try a few successors before giving up. */
    private static final int CALLER_REFERENCE_ATTEMPTS = 5;

    private final DnsProvider provider;
    private final RegionRouting routing;

    public DnsReconciler(DnsProvider provider, RegionRouting routing) {
        this.provider = provider;
        this.routing = routing;
    }

    /** The DNS status after this pass, the outcome, and the region's weight in DNS (null if unknown). */
    public record Result(DnsStatus status, AwsOutcome outcome, Integer weight) {
    }

    /**
     * @param loadBalancerAddress the signaling Service's load-balancer address, or null; used when
     *                            the region has no explicit endpoint
     */
    public Result reconcile(RealtimePlatform platform, String ownRegion, String loadBalancerAddress) {
        RealtimePlatformSpec spec = platform.getSpec();
        DnsStatus previous = platform.getStatus() == null ? null : platform.getStatus().dns;
        DnsStatus status = new DnsStatus();
        status.record = DnsRecord.canonicalName(spec.dns.recordName) + " (" + ownRegion + ")";
        status.healthCheckId = previous == null ? null : previous.healthCheckId;
        Optional<String> invalid = DesiredDns.invalid(spec, ownRegion);
        if (invalid.isPresent()) {
            return new Result(status, new AwsOutcome(AwsReason.Invalid, invalid.get()), null);
        }
        RegionSpec region = DesiredDns.region(spec, ownRegion).orElseThrow();
        Optional<String> target = DesiredDns.target(region, loadBalancerAddress);
        if (target.isEmpty()) {
            return new Result(status, AwsOutcome.pending("waiting for the load-balancer address of the signaling "
                    + "Service in " + ownRegion + " (or set spec.regions[].endpoint)"), null);
        }
        try {
            if (previous != null && previous.pendingChangeId != null && !provider.isInSync(previous.pendingChangeId)) {
                status.pendingChangeId = previous.pendingChangeId;
                return new Result(status, AwsOutcome.pending("change " + previous.pendingChangeId
                        + " is not INSYNC yet"), null);
            }
            return converge(platform, ownRegion, target.get(), status);
        } catch (AwsFailureException e) {
            return new Result(status, AwsOutcome.of(e.problem()), null);
        }
    }

    private Result converge(RealtimePlatform platform, String ownRegion, String target, DnsStatus status) {
        RealtimePlatformSpec spec = platform.getSpec();
        String owner = DnsOwnership.ownerOf(platform);
        RegionRouting.ZoneView zone = RegionRouting.ZoneView.read(provider, spec.dns);
        Optional<DnsRecord> ownerRecord = zone.ownerRecord(ownRegion);
        Optional<DnsOwnership.Owner> recordOwner = zone.owner(ownRegion);
        List<DnsRecord> existing = zone.recordsOf(ownRegion);
        if (ownerRecord.isPresent() && (recordOwner.isEmpty() || !recordOwner.get().owner().equals(owner))) {
            return new Result(status, new AwsOutcome(AwsReason.Conflict, "record " + spec.dns.recordName + " ("
                    + ownRegion + ") is owned by " + recordOwner.map(DnsOwnership.Owner::owner).orElse("something else")
                    + ", not " + owner + "; left unchanged"), null);
        }
        if (ownerRecord.isEmpty() && !existing.isEmpty()) {
            return new Result(status, new AwsOutcome(AwsReason.Conflict, "record " + spec.dns.recordName
                    + " with SetIdentifier " + ownRegion + " exists but was not created by Lifeline (no owner record "
                    + DnsOwnership.ownerRecordName(spec.dns.recordName) + "); left unchanged: delete it to let "
                    + "Lifeline manage it"), null);
        }
        Optional<Integer> override = recordOwner.flatMap(DnsOwnership.Owner::routingWeight);
        RegionSpec region = DesiredDns.region(spec, ownRegion).orElseThrow();
        int weight = override.orElse(DesiredDns.specWeight(region));
        String note = "";
        if (weight == 0) {
            Optional<String> refusal = routing.refusalToStopServing(spec, zone, ownRegion, Set.of());
            if (refusal.isPresent()) {
                int current = zone.servingWeight(spec, ownRegion);
                weight = current > 0 ? current : Math.max(region.weight, 1);
                note = "; " + refusal.get();
            }
        }

        HealthCheckSettings settings = DesiredDns.healthCheck(spec, target, weight);
        Map<String, String> tags = DnsOwnership.healthCheckTags(owner, ownRegion, spec.dns.recordName);
        HealthCheckPlan checks = ensureHealthCheck(status.healthCheckId, existing, ownerRecord.isPresent(), settings,
                tags, owner, ownRegion, spec.dns.recordName);
        status.healthCheckId = checks.id;

        DnsRecord desired = DesiredDns.record(spec, ownRegion, target, checks.id, weight);
        DnsRecord desiredOwner = DnsOwnership.ownerRecord(spec.dns.recordName, ownRegion, owner, override);
        List<DnsChange> changes = new ArrayList<>();
        for (DnsRecord record : existing) {
            if (!record.sameSetAs(desired)) {
                changes.add(DnsChange.delete(record)); // type changed (A <-> CNAME): the old set goes in the same batch
            }
        }
        Optional<DnsRecord> current = existing.stream().filter(r -> r.sameSetAs(desired)).findFirst();
        if (current.isEmpty()) {
            changes.add(DnsChange.create(desired));
        } else if (!current.get().equals(desired)) {
            changes.add(DnsChange.upsert(desired));
        }
        if (ownerRecord.isEmpty()) {
            changes.add(DnsChange.create(desiredOwner));
        } else if (!ownerRecord.get().equals(desiredOwner)) {
            changes.add(DnsChange.upsert(desiredOwner));
        }
        if (!changes.isEmpty() && provider.readFresh(spec.dns.hostedZoneId, names(spec))) {
            // Decided on a shared snapshot: a write is decided on fresh reads only (a peer may have just drained us).
            return converge(platform, ownRegion, target, status);
        }
        String message = "record " + desired.name() + " (" + ownRegion + ") -> " + target
                + (desired.weight() == null ? "" : ", weight " + desired.weight()) + ", health check " + checks.id + note;
        if (changes.isEmpty()) {
            deleteAll(checks.obsolete);
            return new Result(status, AwsOutcome.ready(message), weight);
        }
        String changeId;
        try {
            changeId = provider.change(spec.dns.hostedZoneId, changes, "Lifeline: " + desired.name() + " " + ownRegion);
        } catch (AwsFailureException e) {
            if (!createdAlready(e)) {
                throw e;
            }
            // A create that went through while its answer was lost (a timeout on a busy Route 53, then the retry):
            // not an invalid spec. The next pass reads the zone again and finds the record ours, or someone else's.
            return new Result(status, AwsOutcome.pending("a record this change creates exists already (an earlier "
                    + "attempt whose answer was lost?); reading the zone again"), null);
        }
        // Replaced health checks go only once no record points at them any more.
        deleteAll(checks.obsolete);
        if (!provider.isInSync(changeId)) {
            status.pendingChangeId = changeId;
            return new Result(status, AwsOutcome.pending(message + "; change " + changeId + " PENDING"), weight);
        }
        return new Result(status, AwsOutcome.ready(message), weight);
    }

    /** The names a platform's DNS lives under: its record and its owner records. */
    public static List<String> names(RealtimePlatformSpec spec) {
        return List.of(spec.dns.recordName, DnsOwnership.ownerRecordName(spec.dns.recordName));
    }

    /** Route 53's answer to a CREATE of a record that exists. */
    static boolean createdAlready(AwsFailureException e) {
        return "InvalidChangeBatch".equals(e.errorCode()) && e.problem().message().contains("already exists");
    }

    private record HealthCheckPlan(String id, List<String> obsolete) {
    }

    /**
     * Finds this region's health check: by the id in status, else by the id its record points at, else, when the
     * region's record or owner record exists (status lost), by tags. Searching by tags reads every health check of
     * the account, so a region that has no record yet (a new platform) does not: its create uses a deterministic
     * CallerReference, which gives back the check an interrupted earlier attempt created with the same settings (one
     * left with other settings is removed on deletion, which does search by tags).
     */
    private HealthCheckPlan ensureHealthCheck(String knownId, List<DnsRecord> existing, boolean ownerRecordExists,
            HealthCheckSettings desired, Map<String, String> tags, String owner, String region, String recordName) {
        Set<String> referenced = existing.stream().map(DnsRecord::healthCheckId)
                .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.toSet());
        List<HealthCheck> owned = new ArrayList<>();
        if (knownId != null) {
            provider.healthCheck(knownId).filter(c -> DnsOwnership.owns(tags, c)).ifPresent(owned::add);
        }
        if (owned.isEmpty()) {
            referenced.stream().sorted().forEach(id -> provider.healthCheck(id)
                    .filter(c -> DnsOwnership.owns(tags, c)).ifPresent(owned::add));
        }
        if (owned.isEmpty() && (ownerRecordExists || !existing.isEmpty())) {
            // Status lost and the record has no check of ours: find ours by tags rather than create a duplicate.
            owned.addAll(provider.healthChecksTagged(tags));
        }
        owned.sort(Comparator.comparing((HealthCheck c) -> !referenced.contains(c.id())).thenComparing(HealthCheck::id));
        List<String> obsolete = new ArrayList<>(owned.stream().skip(1).map(HealthCheck::id).toList());
        if (owned.isEmpty()) {
            return new HealthCheckPlan(create(desired, tags, owner, region, recordName).id(), obsolete);
        }
        HealthCheck kept = owned.get(0);
        if (kept.settings().equals(desired)) {
            return new HealthCheckPlan(kept.id(), obsolete);
        }
        if (kept.settings().needsReplacementToBecome(desired)) {
            obsolete.add(kept.id());
            return new HealthCheckPlan(create(desired, tags, owner, region, recordName).id(), obsolete);
        }
        provider.updateHealthCheck(kept.id(), desired);
        return new HealthCheckPlan(kept.id(), obsolete);
    }

    private HealthCheck create(HealthCheckSettings settings, Map<String, String> tags, String owner, String region,
            String recordName) {
        AwsFailureException last = null;
        for (int attempt = 0; attempt < CALLER_REFERENCE_ATTEMPTS; attempt++) {
            try {
                return provider.createHealthCheck(
                        DesiredDns.callerReference(owner, region, recordName, settings, attempt), settings, tags);
            } catch (AwsFailureException e) {
                if (!"HealthCheckAlreadyExists".equals(e.errorCode())) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    private void deleteAll(List<String> healthCheckIds) {
        healthCheckIds.forEach(provider::deleteHealthCheck);
    }

    /**
     * Removes this region's record, owner record and health checks, if this platform owns them.
     * Records owned by others stay. One pass; done when nothing owned is left.
     */
    public CleanupResult cleanup(RealtimePlatform platform, String ownRegion) {
        RealtimePlatformSpec spec = platform.getSpec();
        String owner = DnsOwnership.ownerOf(platform);
        try {
            provider.readFresh(spec.dns.hostedZoneId, names(spec)); // deletes name exact records: read them fresh
            RegionRouting.ZoneView zone = RegionRouting.ZoneView.read(provider, spec.dns);
            Optional<DnsRecord> ownerRecord = zone.ownerRecord(ownRegion);
            boolean ours = zone.owner(ownRegion).map(o -> o.owner().equals(owner)).orElse(false);
            if (ownerRecord.isPresent() && ours) {
                List<DnsChange> changes = new ArrayList<>();
                zone.recordsOf(ownRegion).forEach(r -> changes.add(DnsChange.delete(r)));
                changes.add(DnsChange.delete(ownerRecord.get()));
                provider.change(spec.dns.hostedZoneId, changes, "Lifeline: remove " + ownRegion);
            }
            Map<String, String> tags = DnsOwnership.healthCheckTags(owner, ownRegion, spec.dns.recordName);
            List<String> checks = new ArrayList<>();
            DnsStatus previous = platform.getStatus() == null ? null : platform.getStatus().dns;
            if (previous != null && previous.healthCheckId != null) {
                provider.healthCheck(previous.healthCheckId).filter(c -> DnsOwnership.owns(tags, c))
                        .ifPresent(c -> checks.add(c.id()));
            }
            provider.healthChecksTagged(tags).stream().map(HealthCheck::id).filter(id -> !checks.contains(id))
                    .forEach(checks::add);
            deleteAll(checks);
            return CleanupResult.done("removed record and " + checks.size() + " health check(s) of " + ownRegion
                    + (ownerRecord.isPresent() && !ours ? "; record owned by others left unchanged" : ""));
        } catch (AwsFailureException e) {
            return new CleanupResult(false, AwsOutcome.of(e.problem()));
        }
    }
}
