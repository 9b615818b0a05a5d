package dev.lifeline.operator.aws.dns;

import dev.lifeline.operator.aws.call.AwsCallPolicy;
import dev.lifeline.operator.aws.call.AwsClients;
import dev.lifeline.operator.aws.call.AwsFailureException;
import dev.lifeline.operator.aws.call.AwsReason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.HealthCheckConfig;
import software.amazon.awssdk.services.route53.model.HealthCheckObservation;
import software.amazon.awssdk.services.route53.model.HealthCheckType;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsRequest;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.ResourceTagSet;
import software.amazon.awssdk.services.route53.model.Tag;
import software.amazon.awssdk.services.route53.model.TagResourceType;

/**
 * DNS in Route 53, through the one AWS client policy and the process's {@link Route53Budget}: each request takes a
 * permit first, at this view's priority ({@link #at} gives the drift checks' view).
 */
public final class Route53DnsProvider implements DnsProvider {

    /** ListTagsForResources takes at most 10 ids per call. */
    private static final int TAG_BATCH = 10;

    /** ListHealthChecks returns at most this many per page. */
    private static final int HEALTH_CHECK_PAGE = 1000;

    private final AwsClients clients;
    private final AwsCallPolicy policy;
    private final Route53Budget budget;
    private final Route53Budget.Priority priority;
    /** Changes already seen INSYNC, so a fresh INSYNC answer costs no GetChange; bounded; shared by both views. */
    private final Map<String, Boolean> inSync;

    /** With the budget of {@link AwsClients#settings()}; routing priority (see {@link #at}). */
    public Route53DnsProvider(AwsClients clients, AwsCallPolicy policy) {
        this(clients, policy, Route53Budget.of(clients.settings().route53RequestsPerSecond(),
                clients.settings().callTimeout()));
    }

    public Route53DnsProvider(AwsClients clients, AwsCallPolicy policy, Route53Budget budget) {
        this(clients, policy, budget, Route53Budget.Priority.ROUTING,
                Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                        return size() > 256;
                    }
                }));
    }

    private Route53DnsProvider(AwsClients clients, AwsCallPolicy policy, Route53Budget budget,
            Route53Budget.Priority priority, Map<String, Boolean> inSync) {
        this.clients = clients;
        this.policy = policy;
        this.budget = budget;
        this.priority = priority;
        this.inSync = inSync;
    }

    /** The same Route 53 and budget at another priority. */
    @Override
    public DnsProvider at(Route53Budget.Priority priority) {
        return new Route53DnsProvider(clients, policy, budget, priority, inSync);
    }

    @Override
    public <T> T asOneCheck(Supplier<T> check) {
        return budget.asOneCheck(check);
    }

    @Override
    public List<DnsRecord> zoneRecords(String zoneId) {
        return listRecords(ListResourceRecordSetsRequest.builder().hostedZoneId(zoneId).build(),
                "ListResourceRecordSets " + zoneId, record -> true);
    }

    @Override
    public List<HealthCheck> healthChecksWithoutTags() {
        return listHealthChecks().stream().map(c -> toHealthCheck(c, null)).toList();
    }

    private List<software.amazon.awssdk.services.route53.model.HealthCheck> listHealthChecks() {
        List<software.amazon.awssdk.services.route53.model.HealthCheck> all = new ArrayList<>();
        String marker = null;
        do {
            String page = marker;
            var response = call(page == null ? priority : Route53Budget.Priority.ADMITTED, "ListHealthChecks",
                    () -> route53().listHealthChecks(b -> b.marker(page).maxItems(String.valueOf(HEALTH_CHECK_PAGE))));
            all.addAll(response.healthChecks());
            marker = Boolean.TRUE.equals(response.isTruncated()) ? response.nextMarker() : null;
        } while (marker != null);
        return all;
    }

    @Override
    public List<DnsRecord> records(String zoneId, String name) {
        String canonical = DnsRecord.canonicalName(name);
        // Route 53 lists in name order from startRecordName: past our name, nothing more of it.
        return listRecords(ListResourceRecordSetsRequest.builder().hostedZoneId(zoneId).startRecordName(canonical).build(),
                "ListResourceRecordSets " + canonical, record -> record.name().equals(canonical));
    }

    /**
     * The records of a listing from its first request, page after page, while {@code wanted} holds. The first page
     * at this view's priority; the later pages wait for their permits: a listing begun is finished, not wasted
     * half-way by a postponement.
     */
    private List<DnsRecord> listRecords(ListResourceRecordSetsRequest first, String what,
            java.util.function.Predicate<DnsRecord> wanted) {
        List<DnsRecord> found = new ArrayList<>();
        ListResourceRecordSetsRequest request = first;
        while (request != null) {
            ListResourceRecordSetsRequest page = request;
            ListResourceRecordSetsResponse response = call(page == first ? priority : Route53Budget.Priority.ADMITTED,
                    what, () -> route53().listResourceRecordSets(page));
            for (ResourceRecordSet set : response.resourceRecordSets()) {
                DnsRecord record = toRecord(set);
                if (!wanted.test(record)) {
                    return found;
                }
                found.add(record);
            }
            request = Boolean.TRUE.equals(response.isTruncated())
                    ? page.toBuilder().startRecordName(response.nextRecordName())
                            .startRecordType(response.nextRecordTypeAsString())
                            .startRecordIdentifier(response.nextRecordIdentifier()).build()
                    : null;
        }
        return found;
    }

    static DnsRecord toRecord(ResourceRecordSet set) {
        return new DnsRecord(unescape(set.name()), set.typeAsString(), set.setIdentifier(), set.weight(),
                set.regionAsString(), set.failoverAsString(), set.ttl() == null ? 0 : set.ttl(),
                set.resourceRecords().stream().map(ResourceRecord::value).toList(), set.healthCheckId());
    }

    /** Route 53 returns some characters of names as octal escapes (\052 for *). */
    private static String unescape(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\' && i + 3 < name.length() && name.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(name.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static ResourceRecordSet toSet(DnsRecord record) {
        ResourceRecordSet.Builder set = ResourceRecordSet.builder()
                .name(record.name()).type(record.type()).ttl(record.ttl())
                .resourceRecords(record.values().stream().map(v -> ResourceRecord.builder().value(v).build()).toList());
        if (record.setIdentifier() != null) {
            set.setIdentifier(record.setIdentifier());
        }
        if (record.weight() != null) {
            set.weight(record.weight());
        }
        if (record.latencyRegion() != null) {
            set.region(record.latencyRegion());
        }
        if (record.failover() != null) {
            set.failover(record.failover());
        }
        if (record.healthCheckId() != null) {
            set.healthCheckId(record.healthCheckId());
        }
        return set.build();
    }

    @Override
    public String change(String zoneId, List<DnsChange> changes, String comment) {
        List<Change> batch = changes.stream()
                .map(c -> Change.builder().action(c.action().name()).resourceRecordSet(toSet(c.record())).build())
                .toList();
        ChangeInfo info = call("ChangeResourceRecordSets in " + zoneId, () -> route53().changeResourceRecordSets(
                b -> b.hostedZoneId(zoneId).changeBatch(cb -> cb.comment(comment).changes(batch))).changeInfo());
        if (info.status() == ChangeStatus.INSYNC) {
            inSync.put(info.id(), Boolean.TRUE);
        }
        return info.id();
    }

    @Override
    public boolean isInSync(String changeId) {
        if (inSync.containsKey(changeId)) {
            return true;
        }
        try {
            ChangeInfo info = call("GetChange " + changeId, () -> route53().getChange(b -> b.id(changeId)).changeInfo());
            boolean done = info.status() == ChangeStatus.INSYNC;
            if (done) {
                inSync.put(changeId, Boolean.TRUE);
            }
            return done;
        } catch (AwsFailureException e) {
            if (e.reason() == AwsReason.NotFound) {
                return true; // Route 53 forgets changes after a while; a forgotten change is long INSYNC.
            }
            throw e;
        }
    }

    @Override
    public Optional<HealthCheck> healthCheck(String id) {
        software.amazon.awssdk.services.route53.model.HealthCheck check;
        try {
            check = call("GetHealthCheck " + id, () -> route53().getHealthCheck(b -> b.healthCheckId(id)).healthCheck());
        } catch (AwsFailureException e) {
            if (e.reason() == AwsReason.NotFound) {
                return Optional.empty();
            }
            throw e;
        }
        ResourceTagSet tags = call("ListTagsForResource healthcheck " + id, () -> route53().listTagsForResource(
                b -> b.resourceType(TagResourceType.HEALTHCHECK).resourceId(id)).resourceTagSet());
        return Optional.of(toHealthCheck(check, tags));
    }

    @Override
    public List<HealthCheck> healthChecksTagged(Map<String, String> tags) {
        List<software.amazon.awssdk.services.route53.model.HealthCheck> all = listHealthChecks();
        List<HealthCheck> owned = new ArrayList<>();
        for (int from = 0; from < all.size(); from += TAG_BATCH) {
            List<software.amazon.awssdk.services.route53.model.HealthCheck> batch =
                    all.subList(from, Math.min(from + TAG_BATCH, all.size()));
            List<String> ids = batch.stream().map(software.amazon.awssdk.services.route53.model.HealthCheck::id).toList();
            List<ResourceTagSet> tagSets = call("ListTagsForResources healthcheck", () -> route53().listTagsForResources(
                    b -> b.resourceType(TagResourceType.HEALTHCHECK).resourceIds(ids)).resourceTagSets());
            for (software.amazon.awssdk.services.route53.model.HealthCheck check : batch) {
                tagSets.stream().filter(t -> check.id().equals(t.resourceId())).findFirst()
                        .map(t -> toHealthCheck(check, t))
                        .filter(c -> c.tags().entrySet().containsAll(tags.entrySet()))
                        .ifPresent(owned::add);
            }
        }
        return owned;
    }

    private static HealthCheck toHealthCheck(software.amazon.awssdk.services.route53.model.HealthCheck check,
            ResourceTagSet tagSet) {
        HealthCheckConfig c = check.healthCheckConfig();
        Map<String, String> tags = new LinkedHashMap<>();
        if (tagSet != null) {
            for (Tag tag : tagSet.tags()) {
                tags.put(tag.key(), tag.value());
            }
        }
        HealthCheckSettings settings = new HealthCheckSettings(c.ipAddress(), c.fullyQualifiedDomainName(),
                c.port() == null ? 0 : c.port(), c.resourcePath(), c.requestInterval() == null ? 30 : c.requestInterval(),
                c.failureThreshold() == null ? 3 : c.failureThreshold(), Boolean.TRUE.equals(c.inverted()));
        return new HealthCheck(check.id(), check.callerReference(), settings, tags);
    }

    @Override
    public HealthCheck createHealthCheck(String callerReference, HealthCheckSettings settings, Map<String, String> tags) {
        HealthCheckConfig config = HealthCheckConfig.builder()
                .type(HealthCheckType.HTTP)
                .ipAddress(settings.ipAddress())
                .fullyQualifiedDomainName(settings.fqdn())
                .port(settings.port())
                .resourcePath(settings.path())
                .requestInterval(settings.intervalSeconds())
                .failureThreshold(settings.failureThreshold())
                .inverted(settings.inverted())
                .build();
        String id = call("CreateHealthCheck " + callerReference, () -> route53().createHealthCheck(
                b -> b.callerReference(callerReference).healthCheckConfig(config)).healthCheck().id());
        // Tagging is a second call: a crash in between leaves an untagged check, which a retry with the
        // same CallerReference gets back and tags.
        List<Tag> tagList = new ArrayList<>();
        tags.forEach((k, v) -> tagList.add(Tag.builder().key(k).value(v).build()));
        tagList.add(Tag.builder().key("Name").value("lifeline " + tags.getOrDefault(DnsOwnership.RECORD_TAG, "")
                + " " + tags.getOrDefault(DnsOwnership.REGION_TAG, "")).build());
        call("ChangeTagsForResource healthcheck " + id, () -> route53().changeTagsForResource(
                b -> b.resourceType(TagResourceType.HEALTHCHECK).resourceId(id).addTags(tagList)));
        return new HealthCheck(id, callerReference, settings, tags);
    }

    @Override
    public void updateHealthCheck(String id, HealthCheckSettings settings) {
        call("UpdateHealthCheck " + id, () -> route53().updateHealthCheck(b -> b.healthCheckId(id)
                .ipAddress(settings.ipAddress())
                .fullyQualifiedDomainName(settings.fqdn())
                .port(settings.port())
                .resourcePath(settings.path())
                .failureThreshold(settings.failureThreshold())
                .inverted(settings.inverted())));
    }

    @Override
    public void deleteHealthCheck(String id) {
        try {
            call("DeleteHealthCheck " + id, () -> route53().deleteHealthCheck(b -> b.healthCheckId(id)));
        } catch (AwsFailureException e) {
            if (e.reason() != AwsReason.NotFound) {
                throw e;
            }
        }
    }

    @Override
    public HealthStatus healthStatus(String id) {
        List<HealthCheckObservation> observations = call("GetHealthCheckStatus " + id,
                () -> route53().getHealthCheckStatus(b -> b.healthCheckId(id)).healthCheckObservations());
        if (observations.isEmpty()) {
            return HealthStatus.UNKNOWN;
        }
        boolean anySuccess = observations.stream().anyMatch(o -> o.statusReport() != null
                && o.statusReport().status() != null && o.statusReport().status().startsWith("Success"));
        return anySuccess ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY;
    }

    @Override
    public HealthStatus healthStatus(String id, java.time.Instant observedSince) {
        List<HealthCheckObservation> observations = call("GetHealthCheckStatus " + id,
                () -> route53().getHealthCheckStatus(b -> b.healthCheckId(id)).healthCheckObservations());
        if (observations.isEmpty()) {
            return HealthStatus.UNKNOWN;
        }
        List<HealthCheckObservation> successes = observations.stream().filter(o -> o.statusReport() != null
                && o.statusReport().status() != null && o.statusReport().status().startsWith("Success")).toList();
        if (successes.isEmpty()) {
            return HealthStatus.UNHEALTHY;
        }
        boolean recent = successes.stream().anyMatch(o -> o.statusReport().checkedTime() != null
                && !o.statusReport().checkedTime().isBefore(observedSince));
        return recent ? HealthStatus.HEALTHY : HealthStatus.UNKNOWN;
    }

    private Route53Client route53() {
        return clients.route53();
    }

    private <T> T call(String what, Supplier<T> call) {
        return call(priority, what, call);
    }

    /** One request with a permit of the budget at {@code permit}'s priority. */
    private <T> T call(Route53Budget.Priority permit, String what, Supplier<T> call) {
        budget.acquire(permit, "Route 53 " + what);
        return policy.call(AwsCallPolicy.ROUTE53, "Route 53 " + what, call);
    }
}
