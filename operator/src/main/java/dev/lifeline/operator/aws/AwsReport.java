package dev.lifeline.operator.aws;

import dev.lifeline.operator.api.DnsStatus;
import dev.lifeline.operator.api.SessionStoreStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;

/**
 * What one {@link AwsResources#reconcile} found and did, for the reconciler to put into status.
 *
 * @param sessionStore      the table and its replicas (null until the table is seen)
 * @param dns               this region's record, health check and pending change
 * @param sessionStoreReady condition SessionStoreReady (lastTransitionTime unset: the status
 *                          aggregator keeps it and changes it only on transitions)
 * @param dnsReady          condition DnsReady
 * @param degraded          condition Degraded from the AWS side: True with the first failing reason
 *                          (Throttled, AccessDenied, Unavailable, ...) while any AWS resource fails
 * @param dnsWeight         this region's weight in DNS, when known
 * @param nextCheckIn       when to call {@link AwsResources#reconcile} again at the latest
 *                          (pending poll, backoff after failures, or the drift interval)
 * @param cached            true when no AWS call was made because the last check is recent enough
 */
public record AwsReport(SessionStoreStatus sessionStore, DnsStatus dns, Condition sessionStoreReady,
        Condition dnsReady, Condition degraded, Integer dnsWeight, Duration nextCheckIn, boolean cached) {

    public static final String SESSION_STORE_READY = "SessionStoreReady";
    public static final String DNS_READY = "DnsReady";
    public static final String DEGRADED = "Degraded";

    public boolean ready() {
        return "True".equals(sessionStoreReady.getStatus()) && "True".equals(dnsReady.getStatus());
    }

    AwsReport asCached(Duration remaining) {
        return new AwsReport(sessionStore, dns, sessionStoreReady, dnsReady, degraded, dnsWeight, remaining, true);
    }
}
