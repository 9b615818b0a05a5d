package dev.lifeline.test.aws;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.aws.call.AwsCallPolicy;
import dev.lifeline.operator.aws.call.AwsClients;
import dev.lifeline.operator.aws.call.AwsSettings;
import dev.lifeline.operator.aws.dns.DnsOwnership;
import dev.lifeline.testkit.FaultProxy;
import dev.lifeline.testkit.MotoServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HealthCheck;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.TagResourceType;

/**
 * moto as a real process, the fault proxy in front of it for the operator's AWS calls, and
 * direct clients (bypassing the proxy) with which a test sets the scene and checks the result,
 * so the proxy records only what the operator itself called.
 */
final class AwsHarness implements AutoCloseable {

    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("lifeline-test", "lifeline-test"));

    final MotoServer moto;
    final FaultProxy proxy;
    final Route53Client route53;
    private final Map<String, DynamoDbClient> dynamo = new ConcurrentHashMap<>();

    private AwsHarness(MotoServer moto, FaultProxy proxy) {
        this.moto = moto;
        this.proxy = proxy;
        this.route53 = Route53Client.builder().endpointOverride(moto.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    static AwsHarness start() {
        MotoServer moto = MotoServer.start();
        return new AwsHarness(moto, FaultProxy.start(moto.endpoint()));
    }

    /**
     * The client policy of the operator, pointed at the proxy, with intervals short enough for
     * tests: drift check every 1.5 s, pending changes polled every 200 ms, 3 attempts per call,
     * attempts time out after 1 s and calls (with the adaptive strategy's throttling backoff) after 15 s,
     * and a breaker that opens after 3 failed calls of 6 and probes again after 2 s.
     */
    AwsSettings settings() {
        return AwsSettings.forEndpoint(proxy.endpoint(), CREDENTIALS)
                .withMaxAttempts(3)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(15))
                .withIntervals(Duration.ofMillis(1500), Duration.ofMillis(200))
                .withBreaker(new AwsSettings.BreakerSettings(50, 6, 3, Duration.ofSeconds(2), 1));
    }

    /** One region's operator: its own clients, breakers, schedule and copy of the status. */
    RegionOperator operator(RealtimePlatform platform, String region) {
        AwsSettings settings = settings();
        AwsClients clients = new AwsClients(settings);
        return new RegionOperator(platform, region, clients, new AwsCallPolicy(settings.breaker()), settings);
    }

    /** Clean slate between tests: moto forgets everything, faults and recorded calls end. */
    void reset() {
        proxy.clearFaults();
        proxy.clearCalls();
        moto.reset();
    }

    String createZone(String name) {
        return route53.createHostedZone(b -> b.name(name).callerReference("zone-" + System.nanoTime()))
                .hostedZone().id().replace("/hostedzone/", "");
    }

    DynamoDbClient dynamo(String region) {
        return dynamo.computeIfAbsent(region, r -> DynamoDbClient.builder().endpointOverride(moto.endpoint())
                .region(Region.of(r)).credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
                .build());
    }

    List<ResourceRecordSet> records(String zoneId) {
        return route53.listResourceRecordSets(b -> b.hostedZoneId(zoneId)).resourceRecordSets().stream()
                .filter(r -> !"SOA".equals(r.typeAsString()) && !"NS".equals(r.typeAsString())).toList();
    }

    List<ResourceRecordSet> records(String zoneId, String name) {
        String canonical = name.endsWith(".") ? name : name + ".";
        return records(zoneId).stream().filter(r -> r.name().equals(canonical)).toList();
    }

    /** Health checks with their tags, keyed by id. */
    Map<String, Map<String, String>> healthChecks() {
        Map<String, Map<String, String>> checks = new TreeMap<>();
        for (HealthCheck check : route53.listHealthChecks().healthChecks()) {
            checks.put(check.id(), route53.listTagsForResource(b -> b.resourceType(TagResourceType.HEALTHCHECK)
                    .resourceId(check.id())).resourceTagSet().tags().stream()
                    .collect(Collectors.toMap(t -> t.key(), t -> t.value())));
        }
        return checks;
    }

    Map<String, Map<String, String>> healthChecksOf(String region) {
        return healthChecks().entrySet().stream()
                .filter(e -> region.equals(e.getValue().get(DnsOwnership.REGION_TAG)))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    static RealtimePlatform sample(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Serialization.unmarshal(in, RealtimePlatform.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        route53.close();
        dynamo.values().forEach(DynamoDbClient::close);
        proxy.close();
        moto.stop();
    }
}
