package dev.lifeline.operator.aws.dns;

import dev.lifeline.operator.api.RealtimePlatform;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How Lifeline marks what it owns in Route 53, so it never changes or deletes anything it did not
 * create. Pure.
 *
 * <ul>
 *   <li>Records cannot be tagged, so each region's record has an owner TXT record (like
 *       external-dns' TXT registry): name {@code _lifeline-owner.<recordName>}, SetIdentifier =
 *       region, value {@code "heritage=lifeline,owner=<namespace>/<name>,region=<region>"}. The
 *       owner record and the record are created in one atomic change batch. The owner record
 *       also carries a routing override ({@code routing-weight=<n>}) set by the DNS API (drain,
 *       set weight), so the override survives restarts, leader changes and region loss, and
 *       every region's operator sees it.</li>
 *   <li>Health checks carry tags {@value #OWNER_TAG}, {@value #REGION_TAG}, {@value #RECORD_TAG}.</li>
 * </ul>
 */
public final class DnsOwnership {

    public static final String OWNER_TAG = "lifeline.dev/owner";
    public static final String REGION_TAG = "lifeline.dev/region";
    public static final String RECORD_TAG = "lifeline.dev/record";
    public static final String OWNER_RECORD_PREFIX = "_lifeline-owner.";
    static final long OWNER_RECORD_TTL = 300;
    private static final String HERITAGE = "heritage=lifeline";
    private static final String OVERRIDE_KEY = "routing-weight";

    private DnsOwnership() {
    }

    /** Owner id of a platform: {@code <namespace>/<name>}. */
    public static String ownerOf(RealtimePlatform platform) {
        return platform.getMetadata().getNamespace() + "/" + platform.getMetadata().getName();
    }

    public static String ownerRecordName(String recordName) {
        return DnsRecord.canonicalName(OWNER_RECORD_PREFIX + recordName);
    }

    /** The owner TXT record of one region, with the routing override if any. */
    public static DnsRecord ownerRecord(String recordName, String region, String owner, Optional<Integer> override) {
        String value = HERITAGE + ",owner=" + owner + ",region=" + region
                + override.map(w -> "," + OVERRIDE_KEY + "=" + w).orElse("");
        // Weighted with weight 0: the only routing policy that lets one name hold one TXT per region.
        return new DnsRecord(ownerRecordName(recordName), "TXT", region, 0L, null, null, OWNER_RECORD_TTL,
                List.of("\"" + value + "\""), null);
    }

    /** The parsed owner record, or empty when the record is not a Lifeline owner record. */
    public static Optional<Owner> parse(DnsRecord record) {
        if (!"TXT".equals(record.type()) || record.values().size() != 1) {
            return Optional.empty();
        }
        String value = record.values().get(0);
        if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
            value = value.substring(1, value.length() - 1);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        if (!"lifeline".equals(fields.get("heritage")) || fields.get("owner") == null) {
            return Optional.empty();
        }
        Optional<Integer> override;
        try {
            override = Optional.ofNullable(fields.get(OVERRIDE_KEY)).map(Integer::valueOf);
        } catch (NumberFormatException e) {
            override = Optional.empty();
        }
        return Optional.of(new Owner(fields.get("owner"), fields.get("region"), override));
    }

    /** What an owner record says. */
    public record Owner(String owner, String region, Optional<Integer> routingWeight) {
    }

    public static Map<String, String> healthCheckTags(String owner, String region, String recordName) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(OWNER_TAG, owner);
        tags.put(REGION_TAG, region);
        tags.put(RECORD_TAG, DnsRecord.canonicalName(recordName));
        return tags;
    }

    /** Whether a health check carries every ownership tag. */
    public static boolean owns(Map<String, String> ownershipTags, HealthCheck check) {
        return check.tags().entrySet().containsAll(ownershipTags.entrySet());
    }
}
