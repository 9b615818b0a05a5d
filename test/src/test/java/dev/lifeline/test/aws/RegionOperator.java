package dev.lifeline.test.aws;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RealtimePlatformSpec;
import dev.lifeline.operator.api.RealtimePlatformStatus;
import dev.lifeline.operator.aws.call.AwsCallPolicy;
import dev.lifeline.operator.aws.call.AwsClients;
import dev.lifeline.operator.aws.AwsReport;
import dev.lifeline.operator.aws.AwsResources;
import dev.lifeline.operator.aws.call.AwsSettings;
import dev.lifeline.operator.aws.call.CleanupResult;
import dev.lifeline.operator.aws.table.DynamoDbTableProvider;
import dev.lifeline.operator.aws.dns.Route53DnsProvider;
import dev.lifeline.operator.aws.dns.RoutingResult;
import java.time.Clock;
import java.util.Set;

/**
 * Plays one region's operator the way the reconciler uses {@link AwsResources}: the same spec
 * in every region (shared object, so a test edits it once), a status of its own that takes each
 * report, and the signaling Service's load-balancer address {@code lb-<region>.elb.example.net}.
 */
final class RegionOperator implements AutoCloseable {

    final String region;
    final RealtimePlatform platform;
    final AwsResources aws;
    private final AwsClients clients;
    private final AwsCallPolicy policy;
    private volatile AwsReport last;

    RegionOperator(RealtimePlatform shared, String region, AwsClients clients, AwsCallPolicy policy,
            AwsSettings settings) {
        this.region = region;
        this.clients = clients;
        this.policy = policy;
        this.platform = new RealtimePlatform();
        this.platform.setMetadata(shared.getMetadata());
        this.platform.setSpec(shared.getSpec());
        this.platform.setStatus(new RealtimePlatformStatus());
        this.aws = new AwsResources(new DynamoDbTableProvider(clients, policy), new Route53DnsProvider(clients, policy),
                settings.driftInterval(), settings.pendingPollInterval(), Clock.systemUTC());
    }

    RealtimePlatformSpec spec() {
        return platform.getSpec();
    }

    String loadBalancer() {
        return "lb-" + region + ".elb.example.net";
    }

    AwsReport reconcile() {
        AwsReport report = aws.reconcile(platform, region, loadBalancer());
        platform.getStatus().sessionStore = report.sessionStore();
        platform.getStatus().dns = report.dns();
        last = report;
        return report;
    }

    AwsReport last() {
        return last;
    }

    CleanupResult cleanup() {
        return aws.cleanup(platform, region);
    }

    RoutingResult drain(String target, Set<String> knownDown) {
        return aws.drain(platform, target, knownDown);
    }

    RoutingResult restore(String target) {
        return aws.restore(platform, target);
    }

    AwsCallPolicy policy() {
        return policy;
    }

    @Override
    public void close() {
        clients.close();
    }
}
