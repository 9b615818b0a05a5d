package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.media.load.CallLoad;
import dev.lifeline.media.load.Disruption;
import dev.lifeline.media.load.SessionTableSetup;
import dev.lifeline.media.token.TokenCodec;
import dev.lifeline.sessiontable.ItemKeys;
import dev.lifeline.sessiontable.SessionCodec;
import dev.lifeline.sessiontable.SessionRecord;
import dev.lifeline.test.RelayHeartbeats.Relay;
import dev.lifeline.test.harness.MediaServerProcess;
import dev.lifeline.test.harness.Teardown;
import dev.lifeline.testkit.AwsService;
import dev.lifeline.testkit.Fault;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ReplicaStatus;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * A whole region lost (issue 11, 6c) on the multi-region harness ({@link RegionSet}, three regions): us-east-1 and
 * eu-west-1 run the real media server (a signaling and a relay process each, configured from the ConfigMap their
 * region's operator wrote, on the region's public address, their table calls through the region's fault proxy);
 * ap-southeast-2 keeps the harness' stand-in endpoints. Calls join in eu-west-1 through its signaling only. Then
 * eu-west-1 is lost: its operator and signaling and relay are SIGKILLed, its control plane stops, and its table
 * endpoint stops answering. The quorum of the other two drains its Route 53 record, and every call that was in it
 * resumes in us-east-1, found through the endpoints in the join reply, none lost.
 */
class RegionLossIT {

    private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(150);
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-2");
    private static final List<String> REAL = List.of("us-east-1", "eu-west-1");
    private static final String LOST = "eu-west-1";
    private static final String SURVIVOR = "us-east-1";
    private static final String TABLE = "multi-sessions";
    private static final String TOKEN_SECRET = "region-loss-token-secret-0123456789";
    private static final int CALLS = 6;

    private static RegionSet regions;
    private static RelayHeartbeats standIn;
    private static final Map<String, MediaServerProcess> signaling = new LinkedHashMap<>();
    private static final Map<String, MediaServerProcess> relays = new LinkedHashMap<>();
    private static CallLoad calls;

    @BeforeAll
    static void startRegions() {
        regions = RegionSet.start("loss", REGIONS, platform ->
                // Signaling serves its health on the port Route 53 checks, as in a cluster (8080 both).
                platform.getSpec().signaling.port = platform.getSpec().dns.healthCheck.port);
        standIn = RelayHeartbeats.start(regions.moto.endpoint(), TABLE);
        standIn.report("ap-southeast-2", () -> List.of(new Relay("meet-media-server-ap-southeast-2", 0, 500,
                regions.endpoints.relayAddress("ap-southeast-2"))));
        awaitGlobalTable();
        for (String region : REAL) {
            regions.endpoints.stop(region);
            relays.put(region, MediaServerProcess.start(region + "-relay", environment(region, "media")));
            signaling.put(region, MediaServerProcess.start(region + "-signaling", environment(region, "signaling")));
        }
        regions.awaitSteady("start", SCENARIO_TIMEOUT);
    }

    @AfterAll
    static void stopRegions() {
        Teardown.closeAll(calls, standIn);
        signaling.values().forEach(MediaServerProcess::close);
        relays.values().forEach(MediaServerProcess::close);
        Teardown.closeAll(regions);
    }

    @Test
    void aLostRegionIsDrainedAndEveryCallInItResumesInAnotherRegion() throws Exception {
        calls = CallLoad.start(List.of(signalingUri(LOST)), new TokenCodec(TOKEN_SECRET.getBytes(StandardCharsets.UTF_8)),
                CALLS, 2);
        String lostRelay = relayId(LOST);
        assertThat(calls.callsByRelay()).containsOnlyKeys(lostRelay);
        await("media flowing in every call").atMost(Duration.ofSeconds(30))
                .until(() -> calls.participants().stream().allMatch(p -> p.stats().received() > 10));
        assertThat(calls.participants()).allSatisfy(p -> assertThat(p.client().signalingEndpoints())
                .as("the join reply's endpoints, own region first").startsWith(signalingUri(LOST), signalingUri(SURVIVOR)));

        // eu-west-1 is lost: control plane, operator, signaling and relay stop; its table endpoint stops answering.
        Disruption loss = calls.disruption("region-loss", lostRelay);
        regions.proxies.get(LOST).inject(Fault.dropConnection().onService(AwsService.DYNAMODB));
        signaling.get(LOST).kill();
        relays.get(LOST).kill();
        regions.operators.get(LOST).close();
        regions.planes.get(LOST).close();

        await("every call that was in " + LOST + " has media again").atMost(SCENARIO_TIMEOUT)
                .pollInterval(Duration.ofMillis(500)).until(loss::allBack);
        assertThat(loss.lost()).isEmpty();
        String survivorRelay = relayId(SURVIVOR);
        assertThat(calls.participants()).allSatisfy(p -> assertThat(p.assignment().relayId()).isEqualTo(survivorRelay));
        try (DynamoDbClient table = SessionTableSetup.emulatorClient(regions.moto.endpoint(), SURVIVOR)) {
            for (List<dev.lifeline.media.load.AudioParticipant> call : calls.calls()) {
                SessionRecord session = SessionCodec.decode(table.getItem(b -> b.tableName(TABLE)
                        .key(ItemKeys.sessionKey(call.get(0).assignment().sessionId())).consistentRead(true)).item());
                assertThat(session.region()).isEqualTo(SURVIVOR);
                assertThat(session.relayId()).isEqualTo(survivorRelay);
                assertThat(session.participants()).hasSize(2);
            }
        }

        await("the quorum drains the lost region").atMost(SCENARIO_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> Long.valueOf(0).equals(regions.weights().get(LOST)));
        assertThat(regions.weights()).containsEntry(SURVIVOR, 100L).containsEntry("ap-southeast-2", 100L);
        await("the drain recorded by the quorum").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> regions.history("Drain", "Applied", SURVIVOR, "ap-southeast-2").stream()
                        .anyMatch(h -> LOST.equals(h.region)));
    }

    /** The operator created the table in the home region and a replica in each other: wait until all are ACTIVE. */
    private static void awaitGlobalTable() {
        try (DynamoDbClient home = SessionTableSetup.emulatorClient(regions.moto.endpoint(), REGIONS.get(0))) {
            await("the session table and its replicas ACTIVE").atMost(SCENARIO_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions().until(() -> {
                        var table = home.describeTable(b -> b.tableName(TABLE)).table();
                        return table.tableStatus() == TableStatus.ACTIVE && table.replicas().size() == REGIONS.size() - 1
                                && table.replicas().stream().allMatch(r -> r.replicaStatus() == ReplicaStatus.ACTIVE);
                    });
        }
    }

    /**
     * The media server's settings in {@code region}: what the region's operator wrote into the platform's ConfigMap
     * (the contract), then what a pod would get besides: its identity, the token secret, where it listens (the
     * region's public address; signaling on the health-check port), and the table through the region's proxy.
     */
    private static Map<String, String> environment(String region, String role) {
        Map<String, String> env = new LinkedHashMap<>(regions.planes.get(region).client().configMaps().inNamespace("rtc")
                .withName("meet-config").get().getData());
        String host = regions.endpoints.address(region);
        String relayPort = regions.endpoints.relayAddress(region).substring(host.length() + 1);
        env.put("LIFELINE_ROLE", role);
        env.put("LIFELINE_INSTANCE_ID", "meet-" + role + "-" + region);
        env.put("LIFELINE_TOKEN_SECRET", TOKEN_SECRET);
        env.put("LIFELINE_DYNAMODB_ENDPOINT", regions.proxies.get(region).endpoint().toString());
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

    private static URI signalingUri(String region) {
        return URI.create("ws://" + regions.endpoints.address(region) + ":" + regions.endpoints.healthPort() + "/signal");
    }

    private static String relayId(String region) {
        return "meet-media-" + region;
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
