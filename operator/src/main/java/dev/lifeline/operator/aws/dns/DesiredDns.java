package dev.lifeline.operator.aws.dns;

import dev.lifeline.operator.api.DnsSpec;
import dev.lifeline.operator.api.RealtimePlatformSpec;
import dev.lifeline.operator.api.RegionSpec;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.DigestUtils;

/** Builds the record and health check one region should have. Pure. */
public final class DesiredDns {

    private static final Pattern IPV4 = Pattern.compile(
            "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");

    private DesiredDns() {
    }

    public static Optional<RegionSpec> region(RealtimePlatformSpec spec, String region) {
        return spec.regions.stream().filter(r -> r.name.equals(region)).findFirst();
    }

    /** Why the DNS spec cannot be carried out for this region, or empty. */
    public static Optional<String> invalid(RealtimePlatformSpec spec, String region) {
        if (region(spec, region).isEmpty()) {
            return Optional.of("this operator's region " + region + " is not in spec.regions " + regionNames(spec));
        }
        if (spec.dns.routingPolicy == DnsSpec.RoutingPolicy.Failover && spec.regions.size() > 2) {
            return Optional.of("spec.dns.routingPolicy Failover supports exactly one primary and one secondary region, "
                    + "but spec.regions has " + spec.regions.size() + "; use Weighted or Latency");
        }
        return Optional.empty();
    }

    /** The DNS target of a region: its explicit endpoint, else the load-balancer address; empty if neither is known. */
    public static Optional<String> target(RegionSpec region, String loadBalancerAddress) {
        if (region.endpoint != null && !region.endpoint.isBlank()) {
            return Optional.of(region.endpoint);
        }
        return Optional.ofNullable(loadBalancerAddress).filter(a -> !a.isBlank());
    }

    /** The weight the spec gives a region when nothing overrides it: 0 while {@code drain}. */
    public static int specWeight(RegionSpec region) {
        return region.drain ? 0 : region.weight;
    }

    public static boolean isIpv4(String target) {
        return IPV4.matcher(target).matches();
    }

    /**
     * The region's record. Under Weighted routing {@code servingWeight} is the weight; under
     * Latency and Failover routing draining works through the health check instead
     * ({@link #healthCheck}).
     */
    public static DnsRecord record(RealtimePlatformSpec spec, String region, String target, String healthCheckId,
            int servingWeight) {
        DnsSpec dns = spec.dns;
        String type = isIpv4(target) ? "A" : "CNAME";
        Long weight = null;
        String latencyRegion = null;
        String failover = null;
        switch (dns.routingPolicy) {
            case Weighted -> weight = (long) servingWeight;
            case Latency -> latencyRegion = region;
            case Failover -> failover = spec.regions.get(0).name.equals(region) ? "PRIMARY" : "SECONDARY";
            default -> throw new IllegalArgumentException("unknown routing policy " + dns.routingPolicy);
        }
        return new DnsRecord(dns.recordName, type, region, weight, latencyRegion, failover, dns.ttlSeconds,
                List.of(target), healthCheckId);
    }

    public static HealthCheckSettings healthCheck(RealtimePlatformSpec spec, String target, int servingWeight) {
        boolean ip = isIpv4(target);
        boolean invertToDrain = spec.dns.routingPolicy != DnsSpec.RoutingPolicy.Weighted && servingWeight == 0;
        return new HealthCheckSettings(ip ? target : null, ip ? null : target, spec.dns.healthCheck.port,
                spec.dns.healthCheck.path, spec.dns.healthCheck.intervalSeconds, spec.dns.healthCheck.failureThreshold,
                invertToDrain);
    }

    /**
     * The CallerReference for creating a health check: deterministic, so a create whose answer
     * was lost returns the same health check on retry instead of a duplicate; {@code attempt}
     * moves on when AWS refuses a reference used before (by a deleted health check).
     */
    public static String callerReference(String owner, String region, String recordName, HealthCheckSettings settings,
            int attempt) {
        String identity = owner + "|" + region + "|" + DnsRecord.canonicalName(recordName) + "|" + settings;
        return "lifeline-" + DigestUtils.sha256Hex(identity).substring(0, 40) + "-" + attempt;
    }

    private static List<String> regionNames(RealtimePlatformSpec spec) {
        return spec.regions.stream().map(r -> r.name).toList();
    }
}
