package dev.lifeline.operator.aws.dns;

import dev.lifeline.operator.aws.call.AwsFailureException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where DNS records and health checks live: Route 53 ({@link Route53DnsProvider}) or memory
 * ({@link InMemoryDnsProvider}, for a local run without AWS). Expected failures are thrown as
 * {@link AwsFailureException}.
 */
public interface DnsProvider {

    /** Every record set of exactly this name in the zone. */
    List<DnsRecord> records(String zoneId, String name);

    /** Every record set of the zone (one listing, paged), for a snapshot many platforms share. */
    List<DnsRecord> zoneRecords(String zoneId);

    /** Every health check of the account, with their settings but without their tags (one listing, paged). */
    List<HealthCheck> healthChecksWithoutTags();

    /**
     * This provider at a priority of the Route 53 request budget: at {@link Route53Budget.Priority#DRIFT} and
     * {@link Route53Budget.Priority#VERDICT} a request without a free permit fails with
     * {@link dev.lifeline.operator.aws.call.AwsReason#Postponed}. Without a budget, itself.
     */
    default DnsProvider at(Route53Budget.Priority priority) {
        return this;
    }

    /**
     * Runs one drift check as a unit of the request budget (see {@link Route53Budget#asOneCheck}): postponed only
     * before its first request. Without a budget, just runs it.
     */
    default <T> T asOneCheck(java.util.function.Supplier<T> check) {
        return check.get();
    }

    /**
     * Makes later reads of these names direct (not from a shared snapshot). True when they were served from a
     * snapshot until now, so a caller about to write on what it read reads again first. Without snapshots, false.
     */
    default boolean readFresh(String zoneId, java.util.Collection<String> names) {
        return false;
    }

    /** Applies the changes atomically (all or none) and returns the change id. */
    String change(String zoneId, List<DnsChange> changes, String comment);

    /** Whether the change has reached every Route 53 name server. */
    boolean isInSync(String changeId);

    /** The health check, or empty when it does not exist. */
    Optional<HealthCheck> healthCheck(String id);

    /** Every health check whose tags include all of {@code tags}. */
    List<HealthCheck> healthChecksTagged(Map<String, String> tags);

    /**
     * Creates a health check and tags it. Idempotent per caller reference on AWS: the same
     * reference with the same settings returns the existing check.
     */
    HealthCheck createHealthCheck(String callerReference, HealthCheckSettings settings, Map<String, String> tags);

    void updateHealthCheck(String id, HealthCheckSettings settings);

    void deleteHealthCheck(String id);

    HealthStatus healthStatus(String id);

    /**
     * As {@link #healthStatus(String)}, counting a success only when a checker observed it at or after
     * {@code observedSince}: a check that passed before a region fell silent says nothing about it now, and is
     * {@link HealthStatus#UNKNOWN}. A twin without observation times reads the status now.
     */
    default HealthStatus healthStatus(String id, java.time.Instant observedSince) {
        return healthStatus(id);
    }
}
