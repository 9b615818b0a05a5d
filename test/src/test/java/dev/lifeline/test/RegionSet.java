package dev.lifeline.test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;

import dev.lifeline.operator.api.HealthCheckSpec;
import dev.lifeline.operator.api.HistoryEntry;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.RegionSpec;
import dev.lifeline.test.harness.ControlPlane;
import dev.lifeline.test.harness.OperatorProcess;
import dev.lifeline.test.harness.Platforms;
import dev.lifeline.test.harness.RealPodsRegion;
import dev.lifeline.test.harness.SimulatedRegion;
import dev.lifeline.testkit.FaultProxy;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import dev.lifeline.testkit.MotoServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Simulated regions for multi-region tests: per region a real control plane and the packaged
 * operator, all sharing one moto (the session table as a DynamoDB global table, and Route 53),
 * each region's AWS traffic through its own fault proxy, and each region's public endpoints
 * ({@link RegionEndpoints}: its DNS target, checked by moto's Route 53 and probed by the peers). The platform "rtc/meet" is applied in
 * every region and its Deployments reported available (no Deployment controller runs here).
 */
final class RegionSet implements AutoCloseable {

    static final String RECORD = "media.multi.example.com";
    /** The session table every region's operator shares (a global table in moto). */
    static final String TABLE = "multi-sessions";
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("lifeline-test", "lifeline-test"));

    final List<String> regions;
    final MotoServer moto;
    final Route53Client route53;
    final String zoneId;
    final Map<String, FaultProxy> proxies = new LinkedHashMap<>();
    final Map<String, ControlPlane> planes = new LinkedHashMap<>();
    final Map<String, OperatorProcess> operators = new LinkedHashMap<>();
    /** Each region's operator environment (AWS through its fault proxy), for further replicas ({@link #startReplica}). */
    private final Map<String, Map<String, String>> operatorEnvironments = new LinkedHashMap<>();
    /** Regions with real pods (controller manager, scheduler, kwok nodes); the others report Deployments available by hand. */
    final Map<String, SimulatedRegion> simulated = new LinkedHashMap<>();
    /** Each region's public endpoints (signaling health, a relay's PING), its DNS target and health-check target. */
    final RegionEndpoints endpoints;

    /** A region whose pods run on a real node, when one was asked for ({@link #startWithRealPods}). */
    final Map<String, RealPodsRegion> realPods = new LinkedHashMap<>();

    private RegionSet(List<String> regions, String motoHost) {
        this.regions = regions;
        this.endpoints = RegionEndpoints.start(regions);
        this.moto = MotoServer.start(motoHost);
        this.route53 = Route53Client.builder().endpointOverride(moto.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
        this.zoneId = route53.createHostedZone(b -> b.name("multi.example.com")
                .callerReference("multi-" + System.nanoTime())).hostedZone().id().replace("/hostedzone/", "");
    }

    /** Starts the regions and applies the platform (adjusted by {@code customize}) in each. */
    /**
     * Drills that end in about 20 s: restore steps of max(TTL, 10 s health-check interval x 1) and two of
     * them (50 %). Edits the health check in place, so that it keeps the endpoint port RegionSet gave it.
     */
    static void shortDrills(RealtimePlatform platform) {
        HealthCheckSpec healthCheck = platform.getSpec().dns.healthCheck;
        healthCheck.intervalSeconds = 10;
        healthCheck.failureThreshold = 1;
        platform.getSpec().failover.reroute.stepPercent = 50;
    }

    static RegionSet start(String name, List<String> regions, Consumer<RealtimePlatform> customize) {
        return start(name, regions, List.of(), customize);
    }

    /** As above; the regions in {@code withPods} are simulated regions whose Deployments get real pods. */
    static RegionSet start(String name, List<String> regions, List<String> withPods,
            Consumer<RealtimePlatform> customize) {
        return start(name, regions, withPods, customize, TEST_TUNING);
    }

    /**
     * As above, with the operators' AWS settings: {@link #TEST_TUNING} (short poll intervals and
     * timeouts, so tests finish quickly) or {@link #OPERATOR_DEFAULTS} (as shipped, for benchmarks).
     */
    static RegionSet start(String name, List<String> regions, List<String> withPods,
            Consumer<RealtimePlatform> customize, Map<String, String> awsTuning) {
        return start(name, regions, withPods, null, null, customize, awsTuning);
    }

    /**
     * As {@link #start(String, List, List, Consumer)}, with {@code realPodsRegion}'s pods on a real node
     * ({@link RealPodsRegion}, node {@code <region>a-real-1}) running the built media-server image, its
     * relays and signaling heartbeating into moto (which then listens on the machine's address, where pods
     * reach it, bypassing the region's fault proxy); its namespace gets the signing key {@code tokenSecret}.
     */
    static RegionSet startWithRealPods(String name, List<String> regions, String realPodsRegion, List<String> withPods,
            String tokenSecret, Consumer<RealtimePlatform> customize) {
        return start(name, regions, withPods, realPodsRegion, tokenSecret, customize, TEST_TUNING);
    }

    private static RegionSet start(String name, List<String> regions, List<String> withPods, String realPodsRegion,
            String tokenSecret, Consumer<RealtimePlatform> customize, Map<String, String> awsTuning) {
        RegionSet set = new RegionSet(regions, realPodsRegion == null ? "127.0.0.1" : RealPodsRegion.machineAddress());
        for (String region : regions) {
            FaultProxy proxy = FaultProxy.start(set.moto.endpoint());
            set.proxies.put(region, proxy);
            ControlPlane plane;
            Map<String, String> env = new LinkedHashMap<>(awsEnvironment(proxy.endpoint(), awsTuning));
            if (region.equals(realPodsRegion)) {
                RealPodsRegion real = RealPodsRegion.start(region, region + "a-real-1");
                set.realPods.put(region, real);
                set.simulated.put(region, real.region());
                plane = real.region().controlPlane();
                real.prepareNamespace("rtc", "meet", tokenSecret);
                env.putAll(RealPodsRegion.workloadEnvironment(set.moto.endpoint()));
            } else if (withPods.contains(region)) {
                SimulatedRegion simulatedRegion = SimulatedRegion.start(region);
                set.simulated.put(region, simulatedRegion);
                plane = simulatedRegion.controlPlane();
            } else {
                plane = ControlPlane.start(name + "-" + region);
            }
            set.planes.put(region, plane);
            plane.installCrds();
            plane.createNamespace(OperatorProcess.OPERATOR_NAMESPACE);
            if (!set.realPods.containsKey(region)) {
                plane.createNamespace("rtc");
            }
            set.operatorEnvironments.put(region, env);
            set.operators.put(region, OperatorProcess.start(name + "-" + region, plane.kubeconfig(), region, env));
        }
        RealtimePlatform platform = set.platform();
        customize.accept(platform);
        for (Map.Entry<String, ControlPlane> entry : set.planes.entrySet()) {
            ControlPlane plane = entry.getValue();
            Platforms.of(plane.client()).resource(platform).create();
            Platforms.awaitDeployment(plane.client(), "rtc", "meet-media-server");
            Platforms.awaitDeployment(plane.client(), "rtc", "meet-signaling");
            if (!set.simulated.containsKey(entry.getKey())) {
                Platforms.markAvailable(plane.client(), "rtc", "meet-media-server");
                Platforms.markAvailable(plane.client(), "rtc", "meet-signaling");
            }
        }
        return set;
    }

    /** Short AWS poll intervals and timeouts, so that tests do not wait on the production defaults. */
    static final Map<String, String> TEST_TUNING = Map.of(
            "LIFELINE_AWS_DRIFT_INTERVAL", "5s",
            "LIFELINE_AWS_PENDING_POLL_INTERVAL", "500ms",
            "LIFELINE_AWS_MAX_ATTEMPTS", "2",
            "LIFELINE_AWS_ATTEMPT_TIMEOUT", "1s",
            "LIFELINE_AWS_CALL_TIMEOUT", "3s");
    /** The operator's own defaults (see AwsConfig). */
    static final Map<String, String> OPERATOR_DEFAULTS = Map.of();

    private static Map<String, String> awsEnvironment(URI endpoint, Map<String, String> awsTuning) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LIFELINE_DNS_PROVIDER", "route53");
        env.put("LIFELINE_SESSION_STORE_PROVIDER", "dynamodb");
        env.put("LIFELINE_AWS_ENDPOINT_OVERRIDE", endpoint.toString());
        env.putAll(awsTuning);
        env.put("AWS_ACCESS_KEY_ID", "lifeline-test");
        env.put("AWS_SECRET_ACCESS_KEY", "lifeline-test");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        return env;
    }

    private RealtimePlatform platform() {
        RealtimePlatform platform = new RealtimePlatform();
        platform.getMetadata().setName("meet");
        platform.getMetadata().setNamespace("rtc");
        platform.setSpec(new dev.lifeline.operator.api.RealtimePlatformSpec());
        for (String region : regions) {
            RegionSpec spec = new RegionSpec(region, 100);
            spec.endpoint = endpoints.address(region);
            platform.getSpec().regions.add(spec);
        }
        platform.getSpec().sessionStore.tableName = TABLE;
        platform.getSpec().sessionStore.homeRegion = regions.get(0);
        platform.getSpec().dns.hostedZoneId = zoneId;
        platform.getSpec().dns.recordName = RECORD;
        platform.getSpec().dns.ttlSeconds = 5;
        platform.getSpec().dns.healthCheck.port = endpoints.healthPort();
        return platform;
    }

    /**
     * Another replica of {@code region}'s operator, as {@code deploy/} runs two: same settings, same control plane and
     * fault proxy; it waits for the leader-election Lease. Named (and identified in the Lease) {@code name}; the
     * caller closes it.
     */
    OperatorProcess startReplica(String region, String name) {
        return OperatorProcess.start(name, planes.get(region).kubeconfig(), region, operatorEnvironments.get(region));
    }

    /** The holder of {@code region}'s leader-election Lease, "" when released, or null when there is none yet. */
    String leaseHolder(String region) {
        var lease = planes.get(region).client().leases().inNamespace(OperatorProcess.OPERATOR_NAMESPACE)
                .withName(OperatorProcess.LEASE_NAME).get();
        return lease == null || lease.getSpec() == null ? null
                : java.util.Objects.requireNonNullElse(lease.getSpec().getHolderIdentity(), "");
    }

    /** Current weight of each region's record (SetIdentifier = region) in Route 53. */
    Map<String, Long> weights() {
        List<ResourceRecordSet> records = route53.listResourceRecordSets(b -> b.hostedZoneId(zoneId))
                .resourceRecordSets().stream().filter(r -> r.name().equals(RECORD + ".")
                        && r.setIdentifier() != null && r.weight() != null).toList();
        return records.stream().collect(Collectors.toMap(ResourceRecordSet::setIdentifier, ResourceRecordSet::weight,
                (a, b) -> a, LinkedHashMap::new));
    }

    Map<String, Long> allAt(long weight) {
        Map<String, Long> all = new LinkedHashMap<>();
        regions.forEach(r -> all.put(r, weight));
        return all;
    }

    RealtimePlatform platformIn(String region) {
        return Platforms.of(planes.get(region).client()).inNamespace("rtc").withName("meet").get();
    }

    boolean seesEveryRegionHealthy(String region) {
        RealtimePlatform platform = platformIn(region);
        return platform != null && platform.getStatus() != null
                && platform.getStatus().regions.size() == regions.size()
                && platform.getStatus().regions.stream().allMatch(r -> "Healthy".equals(r.health));
    }

    /** Waits until every region serves at weight 100 and every operator sees every region healthy. */
    void awaitSteady(String phase, Duration timeout) {
        Awaitility.await("every region at weight 100 and seen healthy by every operator (" + phase + ")")
                .atMost(timeout).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> weights().equals(allAt(100)) && regions.stream().allMatch(this::seesEveryRegionHealthy));
    }

    /** Waits until every region serves at weight 100 and {@code region}'s operator sees every region healthy. */
    void awaitServing(String region, Duration timeout) {
        Awaitility.await("every region at weight 100, " + region + "'s operator seeing every region healthy")
                .atMost(timeout).pollInterval(Duration.ofSeconds(1))
                .until(() -> weights().equals(allAt(100)) && seesEveryRegionHealthy(region));
    }

    /** The condition of the given type on the platform's status in {@code region}, or {@code null}. */
    Condition condition(String region, String type) {
        RealtimePlatform platform = platformIn(region);
        if (platform == null || platform.getStatus() == null) {
            return null;
        }
        return platform.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst()
                .orElse(null);
    }

    /** True when the condition of the given type has this status in every one of {@code inRegions}. */
    boolean conditionIs(String type, String status, String... inRegions) {
        for (String region : inRegions) {
            Condition c = condition(region, type);
            if (c == null || !status.equals(c.getStatus())) {
                return false;
            }
        }
        return true;
    }

    /** Warning Events with this reason on the platform in {@code region}. */
    List<Event> warnings(String region, String reason) {
        return planes.get(region).client().v1().events().inNamespace("rtc").list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason())).toList();
    }

    /** Every region's decision history, on standard output (in the failsafe report): what a failed assertion needs explained. */
    private void logHistories() {
        for (String region : planes.keySet()) {
            try {
                RealtimePlatform platform = platformIn(region);
                List<HistoryEntry> history = platform == null || platform.getStatus() == null ? List.of()
                        : platform.getStatus().history;
                System.out.println("History of rtc/meet in " + region + " (" + history.size() + " entries):"
                        + history.stream().map(h -> "\n  " + h).collect(Collectors.joining()));
            } catch (RuntimeException e) {
                System.out.println("History of rtc/meet in " + region + " unreadable: " + e);
            }
        }
    }

    /** Decisions of the given action and outcome taken by the operators of the given regions (status history). */
    List<HistoryEntry> history(String action, String outcome, String... inRegions) {
        List<HistoryEntry> entries = new ArrayList<>();
        for (String region : inRegions) {
            platformIn(region).getStatus().history.stream()
                    .filter(h -> action.equals(h.action) && outcome.equals(h.outcome))
                    .forEach(entries::add);
        }
        return entries;
    }

    @Override
    public void close() {
        logHistories();
        operators.values().forEach(OperatorProcess::close);
        planes.forEach((region, plane) -> {
            if (realPods.containsKey(region)) {
                realPods.get(region).close();
            } else if (simulated.containsKey(region)) {
                simulated.get(region).close();
            } else {
                plane.close();
            }
        });
        proxies.values().forEach(FaultProxy::close);
        route53.close();
        moto.close();
        endpoints.close();
    }
}
