package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.HistoryEntry;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RegionSpec;
import dev.lifeline.test.harness.ControlPlane;
import dev.lifeline.test.harness.OperatorProcess;
import dev.lifeline.test.harness.Platforms;
import dev.lifeline.testkit.AwsService;
import dev.lifeline.testkit.Fault;
import dev.lifeline.testkit.FaultProxy;
import dev.lifeline.testkit.MotoServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Three regions, each a real control plane with its own operator process, sharing one session
 * table (DynamoDB global table in moto, heartbeats replicated between replicas) and one Route 53
 * (moto). Each region's AWS traffic goes through its own fault proxy, so a region can be cut
 * off from the table. Scenarios, in order:
 * <ol>
 *   <li>a partition: ap-southeast-2 loses the table while the others still see each other; the
 *       majority drains it, and it never drains the majority;</li>
 *   <li>a region goes silent (its operator stops): the quorum of the others drains it.</li>
 * </ol>
 * Pods do not run here (no controller manager): the tests report the Deployments available, as
 * the Deployment controller would, so that every region's own components are healthy.
 */
class MultiRegionIT {

    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-2");
    private static final String RECORD = "media.multi.example.com";
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("lifeline-test", "lifeline-test"));
    private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(120);

    private static MotoServer moto;
    private static Route53Client route53;
    private static String zoneId;
    private static final Map<String, FaultProxy> proxies = new LinkedHashMap<>();
    private static final Map<String, ControlPlane> planes = new LinkedHashMap<>();
    private static final Map<String, OperatorProcess> operators = new LinkedHashMap<>();

    @BeforeAll
    static void startRegions() {
        moto = MotoServer.start();
        route53 = Route53Client.builder().endpointOverride(moto.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
        zoneId = route53.createHostedZone(b -> b.name("multi.example.com").callerReference("multi-" + System.nanoTime()))
                .hostedZone().id().replace("/hostedzone/", "");
        for (String region : REGIONS) {
            FaultProxy proxy = FaultProxy.start(moto.endpoint());
            proxies.put(region, proxy);
            ControlPlane plane = ControlPlane.start("multi-" + region);
            planes.put(region, plane);
            plane.installCrds();
            plane.createNamespace(OperatorProcess.OPERATOR_NAMESPACE);
            plane.createNamespace("rtc");
            operators.put(region, OperatorProcess.start("multi-" + region, plane.kubeconfig(), region,
                    awsEnvironment(proxy.endpoint())));
        }
        for (String region : REGIONS) {
            KubernetesSide.apply(planes.get(region), platform());
        }
        await("every region serving at weight 100, seeing every peer").atMost(SCENARIO_TIMEOUT)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> weights().equals(Map.of("us-east-1", 100L, "eu-west-1", 100L, "ap-southeast-2", 100L))
                        && REGIONS.stream().allMatch(MultiRegionIT::seesEveryRegionHealthy));
    }

    @AfterAll
    static void stopRegions() {
        operators.values().forEach(OperatorProcess::close);
        planes.values().forEach(ControlPlane::close);
        proxies.values().forEach(FaultProxy::close);
        if (route53 != null) {
            route53.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void partitionDrainsOnlyTheIsolatedRegionThenASilentRegionIsDrainedByTheQuorum() {
        // 1. Partition: ap-southeast-2 can no longer reach the session table (heartbeats), but
        //    still reaches Route 53, so it could drain the others if it concluded wrongly.
        proxies.get("ap-southeast-2").inject(Fault.dropConnection().onService(AwsService.DYNAMODB));

        await("the majority drains the isolated region").atMost(SCENARIO_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> Long.valueOf(0).equals(weights().get("ap-southeast-2")));
        assertThat(weights()).containsEntry("us-east-1", 100L).containsEntry("eu-west-1", 100L);
        assertThat(drainsDecidedIn("ap-southeast-2")).as("the isolated region drains no one").isEmpty();
        assertThat(drainsDecidedIn("us-east-1", "eu-west-1")).extracting(h -> h.region)
                .containsOnly("ap-southeast-2");

        proxies.get("ap-southeast-2").clearFaults();

        // 2. eu-west-1's operator stops: its heartbeat goes stale; us-east-1 and ap-southeast-2
        //    (a majority of all three) agree it is down, and one of them drains its record.
        operators.get("eu-west-1").close();

        await("the quorum drains the silent region").atMost(SCENARIO_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> Long.valueOf(0).equals(weights().get("eu-west-1")));
        assertThat(weights()).containsEntry("us-east-1", 100L);
        assertThat(drainsDecidedIn("us-east-1", "ap-southeast-2")).extracting(h -> h.region).contains("eu-west-1");
    }

    private static Map<String, String> awsEnvironment(URI endpoint) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LIFELINE_DNS_PROVIDER", "route53");
        env.put("LIFELINE_SESSION_STORE_PROVIDER", "dynamodb");
        env.put("LIFELINE_AWS_ENDPOINT_OVERRIDE", endpoint.toString());
        env.put("LIFELINE_AWS_DRIFT_INTERVAL", "5s");
        env.put("LIFELINE_AWS_PENDING_POLL_INTERVAL", "500ms");
        env.put("LIFELINE_AWS_MAX_ATTEMPTS", "2");
        env.put("LIFELINE_AWS_ATTEMPT_TIMEOUT", "1s");
        env.put("LIFELINE_AWS_CALL_TIMEOUT", "3s");
        env.put("AWS_ACCESS_KEY_ID", "lifeline-test");
        env.put("AWS_SECRET_ACCESS_KEY", "lifeline-test");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        return env;
    }

    private static RealtimePlatform platform() {
        RealtimePlatform platform = new RealtimePlatform();
        platform.getMetadata().setName("meet");
        platform.getMetadata().setNamespace("rtc");
        platform.setSpec(new dev.lifeline.operator.api.RealtimePlatformSpec());
        int octet = 1;
        for (String region : REGIONS) {
            RegionSpec spec = new RegionSpec(region, 100);
            spec.endpoint = "192.0.2." + octet++;
            platform.getSpec().regions.add(spec);
        }
        platform.getSpec().sessionStore.tableName = "multi-sessions";
        platform.getSpec().sessionStore.homeRegion = "us-east-1";
        platform.getSpec().dns.hostedZoneId = zoneId;
        platform.getSpec().dns.recordName = RECORD;
        platform.getSpec().dns.ttlSeconds = 5;
        return platform;
    }

    /** Current weight of each region's record (SetIdentifier = region) in Route 53. */
    private static Map<String, Long> weights() {
        List<ResourceRecordSet> records = route53.listResourceRecordSets(b -> b.hostedZoneId(zoneId))
                .resourceRecordSets().stream().filter(r -> r.name().equals(RECORD + ".")
                        && r.setIdentifier() != null && r.weight() != null).toList();
        return records.stream().collect(Collectors.toMap(ResourceRecordSet::setIdentifier, ResourceRecordSet::weight,
                (a, b) -> a, LinkedHashMap::new));
    }

    private static boolean seesEveryRegionHealthy(String region) {
        RealtimePlatform platform = Platforms.of(planes.get(region).client()).inNamespace("rtc").withName("meet").get();
        return platform != null && platform.getStatus() != null
                && platform.getStatus().regions.size() == REGIONS.size()
                && platform.getStatus().regions.stream().allMatch(r -> "Healthy".equals(r.health));
    }

    /** Drain decisions applied by the operators of the given regions, from their status history. */
    private static List<HistoryEntry> drainsDecidedIn(String... regions) {
        List<HistoryEntry> drains = new ArrayList<>();
        for (String region : regions) {
            RealtimePlatform platform = Platforms.of(planes.get(region).client()).inNamespace("rtc").withName("meet").get();
            platform.getStatus().history.stream()
                    .filter(h -> "Drain".equals(h.action) && "Applied".equals(h.outcome))
                    .forEach(drains::add);
        }
        return drains;
    }

    /** The Kubernetes side of one region: the platform applied, its Deployments reported available. */
    private static final class KubernetesSide {
        static void apply(ControlPlane plane, RealtimePlatform platform) {
            Platforms.of(plane.client()).resource(platform).create();
            Platforms.awaitDeployment(plane.client(), "rtc", "meet-media-server");
            Platforms.awaitDeployment(plane.client(), "rtc", "meet-signaling");
            Platforms.markAvailable(plane.client(), "rtc", "meet-media-server");
            Platforms.markAvailable(plane.client(), "rtc", "meet-signaling");
        }
    }
}
