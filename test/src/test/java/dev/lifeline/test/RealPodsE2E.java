package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.lifeline.operator.api.ComputeResources;
import dev.lifeline.operator.api.MediaServerSpec;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.ReplicaRange;
import dev.lifeline.operator.api.ResourceAmounts;
import dev.lifeline.sessiontable.InstanceHeartbeat;
import dev.lifeline.sessiontable.InstanceHeartbeatCodec;
import dev.lifeline.sessiontable.ItemKeys;
import dev.lifeline.sessiontable.TableSchema;
import dev.lifeline.test.harness.OperatorProcess;
import dev.lifeline.test.harness.Platforms;
import dev.lifeline.test.harness.RealNode;
import dev.lifeline.test.harness.RepoPaths;
import dev.lifeline.test.harness.SimulatedRegion;
import dev.lifeline.test.harness.Teardown;
import dev.lifeline.testkit.MotoServer;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * The operator deploys its own media server on a real node: one simulated region whose only
 * schedulable node is a real kubelet (kwok's fake node is cordoned), moto for DynamoDB and Route 53
 * bound to the node's address so that pods reach it, and the packaged operator as a process.
 * The media-server image built by {@code scripts/build-images.sh} (or {@code -Pimages}) is imported
 * into the node; the media-server and signaling pods run it under the operator's hardened pod
 * template (read-only root, uid 10001, no capabilities), become Ready through their real HTTP
 * probes, heartbeat into the session table the operator created, and the platform's {@code Ready}
 * condition follows from their real available replicas. Then a relay's JVM is SIGKILLed from
 * the host and the kubelet restarts the container.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealPodsE2E {

    private static final String REGION = "us-east-1";
    private static final String NODE = "us-east-1a-real-1";
    private static final String NAMESPACE = "rtc";
    private static final String NAME = "meet";
    private static final String TABLE = "meet-sessions";
    private static final String AWS_SECRET = "lifeline-aws";
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("lifeline-test", "lifeline-test"));
    private static final Duration PODS_READY = Duration.ofSeconds(150);

    private static SimulatedRegion region;
    private static RealNode node;
    private static MotoServer moto;
    private static OperatorProcess operator;
    private static DynamoDbClient dynamo;
    private static KubernetesClient client;

    /** The archive of the media-server image, named as the operator's default image. */
    static Path mediaServerArchive() {
        String tag = MediaServerSpec.DEFAULT_IMAGE.substring(MediaServerSpec.DEFAULT_IMAGE.lastIndexOf(':') + 1);
        Path archive = RepoPaths.root().resolve("target/images/lifeline-media-server-" + tag + ".tar");
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("The media-server image is not built: " + archive + " is missing. Run"
                    + " scripts/build-images.sh (or build with -Pimages, as scripts/test.sh does).");
        }
        return archive;
    }

    @BeforeAll
    static void start() {
        Path archive = mediaServerArchive();
        region = SimulatedRegion.start(REGION, SimulatedRegion.Options.defaults().withZones("a").withRealNodes());
        client = region.client();
        // The region's pods must land on the real node: kwok's fake node only pretends to run them.
        for (String fake : region.nodeNames()) {
            client.nodes().withName(fake).edit(n -> {
                n.getSpec().setUnschedulable(true);
                return n;
            });
        }
        node = RealNode.start(region, NODE, REGION + "a");
        node.importImage(archive);
        // Pods cannot reach the host's loopback: moto listens on the node's address.
        moto = MotoServer.start(node.nodeIp());
        dynamo = DynamoDbClient.builder().endpointOverride(moto.endpoint()).region(Region.of(REGION))
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();

        region.controlPlane().installCrds();
        region.controlPlane().createNamespace(OperatorProcess.OPERATOR_NAMESPACE);
        region.controlPlane().createNamespace(NAMESPACE);
        // What the README's install asks of the user: the signing key; here also the emulator's credentials.
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName(NAME + "-signing")
                .endMetadata().withStringData(Map.of("token-secret", "real-pods-e2e-0123456789abcdef")).build()).create();
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName(AWS_SECRET)
                .endMetadata().withStringData(Map.of("AWS_ACCESS_KEY_ID", "lifeline-test",
                        "AWS_SECRET_ACCESS_KEY", "lifeline-test", "AWS_EC2_METADATA_DISABLED", "true")).build())
                .create();

        Map<String, String> env = new LinkedHashMap<>();
        env.put("LIFELINE_DNS_PROVIDER", "route53");
        env.put("LIFELINE_SESSION_STORE_PROVIDER", "dynamodb");
        env.put("LIFELINE_AWS_ENDPOINT_OVERRIDE", moto.endpoint().toString());
        env.put("LIFELINE_AWS_DRIFT_INTERVAL", "5s");
        env.put("LIFELINE_AWS_PENDING_POLL_INTERVAL", "500ms");
        env.put("AWS_ACCESS_KEY_ID", "lifeline-test");
        env.put("AWS_SECRET_ACCESS_KEY", "lifeline-test");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        // The configuration this test is about: what the operator hands its pods for an emulator.
        env.put("LIFELINE_WORKLOAD_DYNAMODB_ENDPOINT", moto.endpoint().toString());
        env.put("LIFELINE_WORKLOAD_AWS_CREDENTIALS_SECRET", AWS_SECRET);
        operator = OperatorProcess.start("real-pods", region.kubeconfig(), REGION, env);
    }

    @AfterAll
    static void stop() {
        Teardown.closeAll(operator, dynamo, moto, node, region);
    }

    @Test
    @Order(1)
    void theOperatorsPodsRunTheBuiltImageBecomeReadyAndHeartbeat() {
        String zoneId;
        try (Route53Client route53 = Route53Client.builder().endpointOverride(moto.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()) {
            zoneId = route53.createHostedZone(b -> b.name("example.com").callerReference("real-pods"))
                    .hostedZone().id().replace("/hostedzone/", "");
        }
        RealtimePlatform platform = Platforms.typed(NAME, NAMESPACE, REGION);
        platform.getSpec().regions.get(0).endpoint = "192.0.2.10";
        platform.getSpec().dns.hostedZoneId = zoneId;
        // One JVM per pod on a 2-core machine: one replica each, small requests.
        platform.getSpec().mediaServer.replicas = new ReplicaRange(1, 2);
        platform.getSpec().mediaServer.resources = new ComputeResources(new ResourceAmounts("100m", "256Mi"),
                new ResourceAmounts("1", "512Mi"));
        platform.getSpec().signaling.replicas = new ReplicaRange(1, 2);
        platform.getSpec().signaling.resources = new ComputeResources(new ResourceAmounts("100m", "256Mi"),
                new ResourceAmounts("1", "512Mi"));
        Platforms.of(client).resource(platform).create();

        try {
            await("platform Ready from real available replicas").atMost(PODS_READY).pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions().until(() -> Platforms.condition(
                            Platforms.of(client).inNamespace(NAMESPACE).withName(NAME).get(), "Ready")
                            .filter(c -> "True".equals(c.getStatus())).isPresent());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + diagnosis(), e);
        }

        List<Pod> pods = pods();
        assertThat(pods).hasSize(2).allSatisfy(pod -> {
            assertThat(pod.getSpec().getNodeName()).isEqualTo(NODE);
            assertThat(pod.getStatus().getPodIP()).startsWith("10.244.");
            assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo(MediaServerSpec.DEFAULT_IMAGE);
            assertThat(ready(pod)).isTrue();
        });
        RealtimePlatform seen = Platforms.of(client).inNamespace(NAMESPACE).withName(NAME).get();
        assertThat(Platforms.condition(seen, "WorkloadsAvailable")).get().satisfies(c -> assertThat(c.getStatus())
                .isEqualTo("True"));
        assertThat(seen.getStatus().regions).filteredOn(r -> REGION.equals(r.name)).singleElement()
                .satisfies(r -> assertThat(r.readyReplicas).isEqualTo(1));

        // Both roles heartbeat into the table the operator made, as the session-table codec reads them.
        Map<String, String> podOfRole = new LinkedHashMap<>();
        pods.forEach(p -> podOfRole.put(p.getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> "LIFELINE_ROLE".equals(e.getName())).findFirst().orElseThrow().getValue(),
                p.getMetadata().getName()));
        await("INSTANCE# heartbeats of both pods").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(heartbeats()).extracting(InstanceHeartbeat::role,
                        InstanceHeartbeat::instanceId).contains(
                        org.assertj.core.groups.Tuple.tuple(InstanceHeartbeat.MEDIA, podOfRole.get("media")),
                        org.assertj.core.groups.Tuple.tuple(InstanceHeartbeat.SIGNALING, podOfRole.get("signaling"))));
        InstanceHeartbeat relay = heartbeat(InstanceHeartbeat.MEDIA, podOfRole.get("media"));
        assertThat(relay.ready()).isTrue();
        assertThat(relay.region()).isEqualTo(REGION);
        assertThat(relay.address()).startsWith(pod(podOfRole.get("media")).getStatus().getPodIP());
        assertThat(relay.updatedAt()).isAfter(Instant.now().minusSeconds(10));
    }

    @Test
    @Order(2)
    void aRelayKilledFromTheHostIsRestartedByTheKubelet() {
        Pod relay = pods().stream().filter(p -> p.getMetadata().getName().startsWith(NAME + "-media-server-"))
                .findFirst().orElseThrow();
        ContainerStatus before = relay.getStatus().getContainerStatuses().get(0);
        String containerId = before.getContainerID().replaceFirst("^[a-z]+://", "");

        node.ctr("tasks", "kill", "-s", "SIGKILL", containerId);

        await("relay container restarted and Ready again").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1)).until(() -> {
                    Pod now = pod(relay.getMetadata().getName());
                    ContainerStatus status = now.getStatus().getContainerStatuses().get(0);
                    return status.getRestartCount() == before.getRestartCount() + 1 && Boolean.TRUE.equals(status.getReady());
                });
        ContainerStatus after = pod(relay.getMetadata().getName()).getStatus().getContainerStatuses().get(0);
        assertThat(after.getLastState().getTerminated()).isNotNull();
        assertThat(after.getLastState().getTerminated().getExitCode()).isEqualTo(137);
        assertThat(after.getContainerID()).isNotEqualTo(before.getContainerID());
        // Same pod, same instance id: its heartbeat carries on.
        Instant killedAt = Instant.now();
        await("relay heartbeats again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> heartbeat(InstanceHeartbeat.MEDIA, relay.getMetadata().getName()).updatedAt()
                        .isAfter(killedAt));
    }

    private static List<Pod> pods() {
        return client.pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/instance", NAME).list().getItems()
                .stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static Pod pod(String name) {
        return client.pods().inNamespace(NAMESPACE).withName(name).get();
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static List<InstanceHeartbeat> heartbeats() {
        return dynamo.query(b -> b.tableName(TABLE).keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", TableSchema.PARTITION_KEY))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(ItemKeys.instancePk(REGION)))))
                .items().stream().map(InstanceHeartbeatCodec::decode).toList();
    }

    private static InstanceHeartbeat heartbeat(String role, String instanceId) {
        return heartbeats().stream().filter(h -> role.equals(h.role()) && instanceId.equals(h.instanceId()))
                .findFirst().orElseThrow();
    }

    /** What to look at when the pods do not become Ready: their states and the platform's conditions. */
    private static String diagnosis() {
        StringBuilder out = new StringBuilder();
        try {
            for (Pod pod : client.pods().inNamespace(NAMESPACE).list().getItems()) {
                out.append("pod ").append(pod.getMetadata().getName()).append(" on ").append(pod.getSpec().getNodeName())
                        .append(": ").append(pod.getStatus().getPhase()).append(' ')
                        .append(Objects.toString(pod.getStatus().getContainerStatuses())).append('\n');
            }
            RealtimePlatform p = Platforms.of(client).inNamespace(NAMESPACE).withName(NAME).get();
            out.append("conditions: ").append(p == null || p.getStatus() == null ? "-" : p.getStatus().conditions);
        } catch (RuntimeException e) {
            out.append("(diagnosis failed: ").append(e).append(')');
        }
        return out.toString();
    }
}
