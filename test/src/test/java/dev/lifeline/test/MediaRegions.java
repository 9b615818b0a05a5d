package dev.lifeline.test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.awaitility.Awaitility;

import dev.lifeline.media.load.SessionTableSetup;
import dev.lifeline.media.token.TokenCodec;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.test.RelayHeartbeats.Relay;
import dev.lifeline.test.harness.MediaServerProcess;
import dev.lifeline.test.harness.Teardown;
import dev.lifeline.testkit.AwsService;
import dev.lifeline.testkit.Fault;
import dev.lifeline.testkit.FaultProxy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ReplicaStatus;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * {@link RegionSet} with the real media server in some of its regions: per such region a signaling and a relay
 * process ({@link MediaServerProcess}), configured from the ConfigMap the region's operator wrote (the settings
 * contract) plus what a pod gets besides, listening on the region's public address instead of the harness'
 * stand-in endpoints (signaling on the health-check port, which is also {@code spec.signaling.port}), with their
 * table calls through a fault proxy of their own ({@link #dataProxies}: the region's table endpoint as its data plane
 * sees it, so that the operator's proxy can fail alone). The other regions keep the stand-ins and a relay heartbeat
 * written for them. Calls join with join tokens signed with {@link #tokens()}.
 */
final class MediaRegions implements AutoCloseable {

    static final String TABLE = "multi-sessions";
    private static final String TOKEN_SECRET = "media-regions-token-secret-0123456789";

    final RegionSet regions;
    final List<String> real;
    /** Each real region's table endpoint as its media server reaches it (the operator's is {@code regions.proxies}). */
    final Map<String, FaultProxy> dataProxies = new LinkedHashMap<>();
    private final RelayHeartbeats standIn;
    private final Map<String, MediaServerProcess> signaling = new LinkedHashMap<>();
    private final Map<String, MediaServerProcess> relays = new LinkedHashMap<>();

    private MediaRegions(RegionSet regions, List<String> real, RelayHeartbeats standIn) {
        this.regions = regions;
        this.real = List.copyOf(real);
        this.standIn = standIn;
    }

    static MediaRegions start(String name, List<String> names, List<String> real, Consumer<RealtimePlatform> customize,
            Map<String, String> awsTuning, Duration timeout) {
        RegionSet regions = RegionSet.start(name, names, List.of(), platform -> {
            // Signaling serves its health on the port Route 53 checks, as in a cluster (8080 both).
            platform.getSpec().signaling.port = platform.getSpec().dns.healthCheck.port;
            customize.accept(platform);
        }, awsTuning);
        MediaRegions set = new MediaRegions(regions, real, RelayHeartbeats.start(regions.moto.endpoint(), TABLE));
        try {
            for (String region : names) {
                if (!real.contains(region)) {
                    set.standIn.report(region, () -> List.of(new Relay("meet-media-server-" + region, 0, 500,
                            regions.endpoints.relayAddress(region))));
                }
            }
            set.awaitGlobalTable(timeout);
            for (String region : real) {
                set.dataProxies.put(region, FaultProxy.start(regions.moto.endpoint()));
                regions.endpoints.stop(region);
                set.relays.put(region, MediaServerProcess.start(name + "-" + region + "-relay", set.environment(region, "media")));
                set.signaling.put(region, MediaServerProcess.start(name + "-" + region + "-signaling",
                        set.environment(region, "signaling")));
            }
            regions.awaitSteady("start", timeout);
            return set;
        } catch (RuntimeException e) {
            set.close();
            throw e;
        }
    }

    TokenCodec tokens() {
        return new TokenCodec(TOKEN_SECRET.getBytes(StandardCharsets.UTF_8));
    }

    URI signalingUri(String region) {
        return URI.create("ws://" + regions.endpoints.address(region) + ":" + regions.endpoints.healthPort() + "/signal");
    }

    String relayId(String region) {
        return "meet-media-" + region;
    }

    /**
     * The region is lost, data plane and control plane: its signaling and relay are SIGKILLed, and its table
     * endpoint drops every connection, its operator's and its media server's (the operator is cut off from the
     * table; it still runs, so that {@link #restore} can bring the region back).
     */
    void lose(String region) {
        regions.proxies.get(region).inject(Fault.dropConnection().onService(AwsService.DYNAMODB));
        dataProxies.get(region).inject(Fault.dropConnection().onService(AwsService.DYNAMODB));
        signaling.get(region).kill();
        relays.get(region).kill();
    }

    /** Undoes {@link #lose}: the table answers again and the processes start again. */
    void restore(String region) {
        regions.proxies.get(region).clearFaults();
        dataProxies.get(region).clearFaults();
        relays.get(region).start();
        signaling.get(region).start();
    }

    /** The operator created the table in the home region and a replica in each other: all ACTIVE. */
    private void awaitGlobalTable(Duration timeout) {
        try (DynamoDbClient home = SessionTableSetup.emulatorClient(regions.moto.endpoint(), regions.regions.get(0))) {
            Awaitility.await("the session table and its replicas ACTIVE").atMost(timeout).pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions().until(() -> {
                        var table = home.describeTable(b -> b.tableName(TABLE)).table();
                        return table.tableStatus() == TableStatus.ACTIVE
                                && table.replicas().size() == regions.regions.size() - 1
                                && table.replicas().stream().allMatch(r -> r.replicaStatus() == ReplicaStatus.ACTIVE);
                    });
        }
    }

    private Map<String, String> environment(String region, String role) {
        Map<String, String> env = new LinkedHashMap<>(regions.planes.get(region).client().configMaps().inNamespace("rtc")
                .withName("meet-config").get().getData());
        String host = regions.endpoints.address(region);
        String relayPort = regions.endpoints.relayAddress(region).substring(host.length() + 1);
        env.put("LIFELINE_ROLE", role);
        env.put("LIFELINE_INSTANCE_ID", "meet-" + role + "-" + region);
        env.put("LIFELINE_TOKEN_SECRET", TOKEN_SECRET);
        env.put("LIFELINE_DYNAMODB_ENDPOINT", dataProxies.get(region).endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", "lifeline-test");
        env.put("AWS_SECRET_ACCESS_KEY", "lifeline-test");
        env.put("LIFELINE_MEDIA_UDP_PORT", relayPort);
        env.put("LIFELINE_MEDIA_BIND_HOST", host);
        env.put("LIFELINE_MEDIA_ADVERTISED_HOST", host);
        env.put("LIFELINE_MEDIA_THREADS", "1");
        if (role.equals("signaling")) {
            env.put("QUARKUS_HTTP_HOST", host);
            env.put("LIFELINE_HTTP_PORT", Integer.toString(regions.endpoints.healthPort()));
        } else {
            // The relay's own HTTP (health, metrics) on a port of its own; only its UDP is public.
            env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            env.put("LIFELINE_HTTP_PORT", Integer.toString(freePort()));
        }
        return env;
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        Teardown.closeAll(standIn);
        signaling.values().forEach(MediaServerProcess::close);
        relays.values().forEach(MediaServerProcess::close);
        Teardown.closeAll(regions);
        dataProxies.values().forEach(FaultProxy::close);
    }
}
