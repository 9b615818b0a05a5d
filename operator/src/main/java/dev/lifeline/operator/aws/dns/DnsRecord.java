package dev.lifeline.operator.aws.dns;

import java.util.List;
import java.util.Locale;

/**
 * One Route 53 resource record set, provider-neutral. Names are lower-case with a trailing dot,
 * as Route 53 returns them, so desired and observed records compare with {@code equals}.
 *
 * @param weight        Weighted routing weight, or null
 * @param latencyRegion Latency routing region, or null
 * @param failover      PRIMARY or SECONDARY for Failover routing, or null
 * @param healthCheckId health check the record is tied to, or null
 */
public record DnsRecord(String name, String type, String setIdentifier, Long weight, String latencyRegion,
        String failover, long ttl, List<String> values, String healthCheckId) {

    public DnsRecord {
        name = canonicalName(name);
        values = List.copyOf(values);
    }

    public static String canonicalName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower : lower + ".";
    }

    /** Same record set in Route 53's eyes: name, type and SetIdentifier. */
    public boolean sameSetAs(DnsRecord other) {
        return name.equals(other.name) && type.equals(other.type)
                && java.util.Objects.equals(setIdentifier, other.setIdentifier);
    }

    public DnsRecord withWeight(Long newWeight) {
        return new DnsRecord(name, type, setIdentifier, newWeight, latencyRegion, failover, ttl, values, healthCheckId);
    }

    public DnsRecord withValues(List<String> newValues) {
        return new DnsRecord(name, type, setIdentifier, weight, latencyRegion, failover, ttl, newValues, healthCheckId);
    }
}
