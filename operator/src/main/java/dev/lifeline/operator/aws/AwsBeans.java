package dev.lifeline.operator.aws;

import dev.lifeline.operator.aws.call.AwsCallPolicy;
import dev.lifeline.operator.aws.call.AwsClients;
import dev.lifeline.operator.aws.call.AwsConfig;
import dev.lifeline.operator.aws.call.AwsSettings;
import dev.lifeline.operator.aws.dns.DnsProvider;
import dev.lifeline.operator.aws.dns.InMemoryDnsProvider;
import dev.lifeline.operator.aws.dns.Route53DnsProvider;
import dev.lifeline.operator.aws.table.DynamoDbTableProvider;
import dev.lifeline.operator.aws.table.InMemoryTableProvider;
import dev.lifeline.operator.aws.table.SessionTableProvider;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * CDI wiring of the AWS side from configuration. Singletons (no client proxy needed for these
 * final classes); everything below is plain Java so tests can build it without CDI.
 *
 * <ul>
 *   <li>{@code lifeline.dns.provider}: route53 (default) | inmemory</li>
 *   <li>{@code lifeline.session-store.provider}: dynamodb (default) | inmemory</li>
 *   <li>{@code lifeline.aws.*}: see {@link AwsConfig}</li>
 * </ul>
 */
public class AwsBeans {

    @Produces
    @Singleton
    AwsClients awsClients(AwsConfig config) {
        // Clients are built lazily per region, so an in-memory local run never touches AWS.
        return new AwsClients(AwsSettings.from(config));
    }

    void closeClients(@Disposes AwsClients clients) {
        clients.close();
    }

    @Produces
    @Singleton
    AwsCallPolicy awsCallPolicy(AwsClients clients, MeterRegistry meters) {
        return new AwsCallPolicy(clients.settings().breaker(), meters);
    }

    @Produces
    @Singleton
    DnsProvider dnsProvider(ProviderConfig.Dns config, AwsClients clients, AwsCallPolicy policy) {
        return switch (config.provider()) {
            case route53 -> new Route53DnsProvider(clients, policy);
            case inmemory -> new InMemoryDnsProvider();
        };
    }

    @Produces
    @Singleton
    SessionTableProvider sessionTableProvider(ProviderConfig.SessionStore config, AwsClients clients,
            AwsCallPolicy policy) {
        return switch (config.provider()) {
            case dynamodb -> new DynamoDbTableProvider(clients, policy);
            case inmemory -> new InMemoryTableProvider();
        };
    }

    @Produces
    @Singleton
    AwsResources awsResources(SessionTableProvider tables, DnsProvider dns, AwsConfig config) {
        return new AwsResources(tables, dns, config.driftInterval(), config.pendingPollInterval(), Clock.systemUTC());
    }
}
