package dev.lifeline.operator.aws.dns;

import dev.lifeline.operator.api.DnsSpec;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RealtimePlatformSpec;
import dev.lifeline.operator.api.RegionSpec;
import dev.lifeline.operator.aws.call.AwsFailureException;
import dev.lifeline.operator.aws.call.AwsOutcome;
import dev.lifeline.operator.aws.call.AwsReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The DNS API of self-healing: set a region's weight, drain it, restore it. Every change of a
 * region's serving weight, from here or from {@link DnsReconciler}, is checked by
 * {@link #refusalToStopServing} and so by {@link LastHealthyRegionGuard}: never drain the last
 * healthy region.
 *
 * <p>The chosen weight is written as a routing override into the region's owner TXT record in
 * the same atomic batch as the record itself, so the region's own operator keeps it on later
 * reconciles instead of fighting it, and {@link #restore} hands the region back to the spec.
 * Under Latency and Failover routing a drained region's health check is inverted (there is no
 * weight), which makes Route 53 treat it as unhealthy.
 */
public final class RegionRouting {

    private final DnsProvider provider;

    public RegionRouting(DnsProvider provider) {
        this.provider = provider;
    }

    /** Sets a region's weight (0..255); 0 drains it, unless it is the last healthy region. */
    public RoutingResult setWeight(RealtimePlatform platform, String region, int weight, Set<String> regionsKnownDown) {
        if (weight < 0 || weight > 255) {
            throw new IllegalArgumentException("weight must be 0..255: " + weight);
        }
        return change(platform, region, Optional.of(weight), regionsKnownDown);
    }

    /** Drains a region (weight 0), unless it is the last healthy region. */
    public RoutingResult drain(RealtimePlatform platform, String region, Set<String> regionsKnownDown) {
        return setWeight(platform, region, 0, regionsKnownDown);
    }

    /** Ends any override: the region gets its weight from the spec again. */
    public RoutingResult restore(RealtimePlatform platform, String region) {
        return change(platform, region, Optional.empty(), Set.of());
    }

    private RoutingResult change(RealtimePlatform platform, String region, Optional<Integer> override,
            Set<String> regionsKnownDown) {
        RealtimePlatformSpec spec = platform.getSpec();
        String owner = DnsOwnership.ownerOf(platform);
        Optional<RegionSpec> regionSpec = DesiredDns.region(spec, region);
        if (regionSpec.isEmpty()) {
            return RoutingResult.refused(0, new AwsOutcome(AwsReason.Invalid, "region " + region + " is not in spec.regions"));
        }
        int weight = override.orElse(DesiredDns.specWeight(regionSpec.get()));
        try {
            ZoneView zone = ZoneView.read(provider, spec.dns);
            Optional<DnsOwnership.Owner> regionOwner = zone.owner(region);
            Optional<DnsRecord> record = zone.record(region);
            if (regionOwner.isEmpty() || record.isEmpty()) {
                return RoutingResult.refused(0, new AwsOutcome(AwsReason.NotFound, "region " + region
                        + " has no Lifeline-owned record " + spec.dns.recordName + " yet"));
            }
            if (!regionOwner.get().owner().equals(owner)) {
                return RoutingResult.refused(zone.servingWeight(spec, region), new AwsOutcome(AwsReason.Conflict,
                        "record " + spec.dns.recordName + " (" + region + ") belongs to " + regionOwner.get().owner()));
            }
            if (weight == 0) {
                Optional<String> refusal = refusalToStopServing(spec, zone, region, regionsKnownDown);
                if (refusal.isPresent()) {
                    return RoutingResult.refused(zone.servingWeight(spec, region),
                            new AwsOutcome(AwsReason.Conflict, refusal.get()));
                }
            }
            if (spec.dns.routingPolicy == DnsSpec.RoutingPolicy.Weighted
                    && regionOwner.get().routingWeight().equals(override)
                    && Long.valueOf(weight).equals(record.get().weight())) {
                // A repeated drain (its issuer cannot see the weight) changes nothing: no change, no noise.
                return new RoutingResult(true, weight, null, AwsOutcome.ready(region + " already at weight " + weight));
            }
            List<DnsChange> changes = new ArrayList<>();
            changes.add(DnsChange.upsert(DnsOwnership.ownerRecord(spec.dns.recordName, region, owner, override)));
            if (spec.dns.routingPolicy == DnsSpec.RoutingPolicy.Weighted) {
                changes.add(DnsChange.upsert(record.get().withWeight((long) weight)));
            }
            String changeId = provider.change(spec.dns.hostedZoneId, changes,
                    "Lifeline: " + region + " weight " + weight + (override.isEmpty() ? " (spec)" : " (override)"));
            if (spec.dns.routingPolicy != DnsSpec.RoutingPolicy.Weighted && record.get().healthCheckId() != null) {
                invertHealthCheck(record.get().healthCheckId(), weight == 0);
            }
            return new RoutingResult(true, weight, changeId,
                    AwsOutcome.ready(region + " weight " + weight + (override.isEmpty() ? " from spec" : "")));
        } catch (AwsFailureException e) {
            return RoutingResult.refused(weight, AwsOutcome.of(e.problem()));
        }
    }

    private void invertHealthCheck(String healthCheckId, boolean inverted) {
        provider.healthCheck(healthCheckId).ifPresent(check -> {
            HealthCheckSettings s = check.settings();
            if (s.inverted() != inverted) {
                provider.updateHealthCheck(healthCheckId, new HealthCheckSettings(s.ipAddress(), s.fqdn(), s.port(),
                        s.path(), s.intervalSeconds(), s.failureThreshold(), inverted));
            }
        });
    }

    /**
     * Why {@code region} may not stop serving, or empty when it may. The one place that asks
     * {@link LastHealthyRegionGuard}; health-check status is read only here, only when needed.
     */
    Optional<String> refusalToStopServing(RealtimePlatformSpec spec, ZoneView zone, String region,
            Set<String> regionsKnownDown) {
        List<LastHealthyRegionGuard.Route> routes = new ArrayList<>();
        for (DnsRecord record : zone.regionRecords()) {
            HealthStatus health = record.healthCheckId() == null ? HealthStatus.UNKNOWN
                    : provider.healthStatus(record.healthCheckId());
            routes.add(new LastHealthyRegionGuard.Route(record.setIdentifier(),
                    zone.servingWeight(spec, record.setIdentifier()) > 0, health));
        }
        return LastHealthyRegionGuard.refusal(routes, region, regionsKnownDown);
    }

    /** The records of one DNS name and their owner records, read once per pass. */
    static final class ZoneView {
        private final List<DnsRecord> records;
        private final List<DnsRecord> owners;

        ZoneView(List<DnsRecord> records, List<DnsRecord> owners) {
            this.records = List.copyOf(records);
            this.owners = List.copyOf(owners);
        }

        static ZoneView read(DnsProvider provider, DnsSpec dns) {
            return new ZoneView(provider.records(dns.hostedZoneId, dns.recordName),
                    provider.records(dns.hostedZoneId, DnsOwnership.ownerRecordName(dns.recordName)));
        }

        /** Region records (A or CNAME with a SetIdentifier). */
        List<DnsRecord> regionRecords() {
            return records.stream().filter(r -> r.setIdentifier() != null
                    && ("A".equals(r.type()) || "CNAME".equals(r.type()))).toList();
        }

        /** The region's A or CNAME records (two only while a type change is half done out of band). */
        List<DnsRecord> recordsOf(String region) {
            return regionRecords().stream().filter(r -> region.equals(r.setIdentifier())).toList();
        }

        Optional<DnsRecord> record(String region) {
            return regionRecords().stream().filter(r -> region.equals(r.setIdentifier())).findFirst();
        }

        Optional<DnsRecord> ownerRecord(String region) {
            return owners.stream().filter(r -> region.equals(r.setIdentifier()) && "TXT".equals(r.type())).findFirst();
        }

        Optional<DnsOwnership.Owner> owner(String region) {
            return ownerRecord(region).flatMap(DnsOwnership::parse);
        }

        /**
         * The weight a region serves with now: the record's weight under Weighted routing;
         * otherwise the override or spec weight (0 while drained via its inverted health check).
         * A region without a record serves nothing.
         */
        int servingWeight(RealtimePlatformSpec spec, String region) {
            Optional<DnsRecord> record = record(region);
            if (record.isEmpty()) {
                return 0;
            }
            if (record.get().weight() != null) {
                return record.get().weight().intValue();
            }
            Optional<Integer> override = owner(region).flatMap(DnsOwnership.Owner::routingWeight);
            return override.orElseGet(() -> DesiredDns.region(spec, region).map(DesiredDns::specWeight).orElse(0));
        }
    }
}
