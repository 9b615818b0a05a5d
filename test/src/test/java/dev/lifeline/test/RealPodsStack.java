package dev.lifeline.test;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import dev.lifeline.operator.api.ComputeResources;
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
import dev.lifeline.test.harness.RealPodsRegion;
import dev.lifeline.test.harness.Teardown;
import dev.lifeline.testkit.MotoServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * One region whose operator deploys its own media server on a real node ({@link RealPodsRegion}),
 * moto for DynamoDB and Route 53 bound to the node's address so that pods reach it, the packaged
 * operator as a process, and the platform {@code rtc/meet}: two relays (calls move from one to
 * the other) and one signaling instance. For {@link RealPodsE2E} and {@link RelayKillBenchmark};
 * {@link #startForInstall()} leaves the operator to the test, which installs it in the region
 * ({@link InstallE2E}).
 */
final class RealPodsStack implements AutoCloseable {

    static final String REGION = "us-east-1";
    static final String NODE = "us-east-1a-real-1";
    static final String NAMESPACE = "rtc";
    static final String NAME = "meet";
    static final String TABLE = "meet-sessions";
    static final String TOKEN_SECRET = "real-pods-e2e-0123456789abcdef";
    /** 40 sessions per relay makes pod-deletion-cost buckets of 2 sessions. */
    static final int SESSIONS_PER_RELAY = 40;
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("lifeline-test", "lifeline-test"));
    private static final Duration PODS_READY = Duration.ofSeconds(150);

    final RealPodsRegion realPods;
    final RealNode node;
    final MotoServer moto;
    final DynamoDbClient dynamo;
    final OperatorProcess operator;
    final KubernetesClient client;

    private RealPodsStack(RealPodsRegion realPods, MotoServer moto, DynamoDbClient dynamo, OperatorProcess operator) {
        this.realPods = realPods;
        this.node = realPods.node();
        this.moto = moto;
        this.dynamo = dynamo;
        this.operator = operator;
        this.client = realPods.client();
    }

    /** Starts the region, the real node, moto and the operator; the platform comes with {@link #createPlatform()}. */
    static RealPodsStack start(String operatorName) {
        return start(RealPodsRegion.start(REGION, NODE), operatorName);
    }

    /**
     * Starts the region (its pods get ServiceAccount tokens, its node runs kube-proxy: {@link
     * RealPodsRegion#startForOperatorPods}), the real node with both images, moto and the platform's
     * namespace, without an operator: the test installs it from {@code deploy/}. {@link #operator} is null.
     */
    static RealPodsStack startForInstall() {
        return start(RealPodsRegion.startForOperatorPods(REGION, NODE), null);
    }

    private static RealPodsStack start(RealPodsRegion realPods, String operatorName) {
        MotoServer moto = null;
        DynamoDbClient dynamo = null;
        try {
            // Pods cannot reach the host's loopback: moto listens on the node's address.
            moto = MotoServer.start(realPods.node().nodeIp());
            dynamo = DynamoDbClient.builder().endpointOverride(moto.endpoint()).region(Region.of(REGION))
                    .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
            realPods.prepareNamespace(NAMESPACE, NAME, TOKEN_SECRET);
            if (operatorName == null) {
                return new RealPodsStack(realPods, moto, dynamo, null);
            }
            realPods.region().controlPlane().installCrds();
            realPods.region().controlPlane().createNamespace(OperatorProcess.OPERATOR_NAMESPACE);

            Map<String, String> env = new LinkedHashMap<>(OperatorProcess.awsEmulator(moto.endpoint(), "route53"));
            env.put("LIFELINE_AWS_DRIFT_INTERVAL", "5s");
            env.put("LIFELINE_AWS_PENDING_POLL_INTERVAL", "500ms");
            // What the operator hands its pods for an emulator.
            env.putAll(RealPodsRegion.workloadEnvironment(moto.endpoint()));
            OperatorProcess operator = OperatorProcess.start(operatorName, realPods.region().kubeconfig(), REGION, env);
            return new RealPodsStack(realPods, moto, dynamo, operator);
        } catch (RuntimeException | Error e) {
            Teardown.closeAll(dynamo, moto, realPods);
            throw e;
        }
    }

    /** Creates rtc/meet (with a hosted zone in moto) and waits until it is Ready from real available replicas. */
    void createPlatform() {
        String zoneId;
        try (Route53Client route53 = Route53Client.builder().endpointOverride(moto.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()) {
            zoneId = route53.createHostedZone(b -> b.name("example.com").callerReference("real-pods"))
                    .hostedZone().id().replace("/hostedzone/", "");
        }
        RealtimePlatform platform = Platforms.typed(NAME, NAMESPACE, REGION);
        platform.getSpec().regions.get(0).endpoint = "192.0.2.10";
        platform.getSpec().dns.hostedZoneId = zoneId;
        // One JVM per pod on a 2-core machine: two relays, one signaling instance, small requests.
        platform.getSpec().mediaServer.replicas = new ReplicaRange(2, 2);
        platform.getSpec().mediaServer.sessionsPerReplica = SESSIONS_PER_RELAY;
        platform.getSpec().mediaServer.resources = new ComputeResources(new ResourceAmounts("100m", "256Mi"),
                new ResourceAmounts("1", "512Mi"));
        platform.getSpec().signaling.replicas = new ReplicaRange(1, 1);
        platform.getSpec().signaling.resources = new ComputeResources(new ResourceAmounts("100m", "256Mi"),
                new ResourceAmounts("1", "512Mi"));
        Platforms.of(client).resource(platform).create();
        try {
            Awaitility.await("platform Ready from real available replicas").atMost(PODS_READY)
                    .pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> Platforms.condition(
                            Platforms.of(client).inNamespace(NAMESPACE).withName(NAME).get(), "Ready")
                            .filter(c -> "True".equals(c.getStatus())).isPresent());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + diagnosis(), e);
        }
    }

    /** The platform's pods, without those being deleted. */
    List<Pod> pods() {
        return client.pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/instance", NAME).list().getItems()
                .stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    List<Pod> mediaPods() {
        return pods().stream().filter(p -> p.getMetadata().getName().startsWith(NAME + "-media-server-")).toList();
    }

    Pod pod(String name) {
        return client.pods().inNamespace(NAMESPACE).withName(name).get();
    }

    URI signalingUri() {
        Pod signaling = pods().stream().filter(p -> p.getMetadata().getName().startsWith(NAME + "-signaling-"))
                .findFirst().orElseThrow();
        return URI.create("ws://" + signaling.getStatus().getPodIP() + ":8080/signal");
    }

    /** Host PIDs of a pod's (first) container: the JVM, for a SIGKILL as a crash would deliver it. */
    List<Long> containerPids(String podName) {
        Pod pod = pod(podName);
        return node.containerPids(pod.getMetadata().getUid(),
                pod.getStatus().getContainerStatuses().get(0).getContainerID());
    }

    List<InstanceHeartbeat> heartbeats() {
        return dynamo.query(b -> b.tableName(TABLE).keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", TableSchema.PARTITION_KEY))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(ItemKeys.instancePk(REGION)))))
                .items().stream().map(InstanceHeartbeatCodec::decode).toList();
    }

    InstanceHeartbeat heartbeat(String role, String instanceId) {
        return heartbeats().stream().filter(h -> role.equals(h.role()) && instanceId.equals(h.instanceId()))
                .findFirst().orElseThrow();
    }

    /** Whether {@code count} relays heartbeat as ready within the last 3 s (signaling can assign them). */
    boolean relaysReady(int count) {
        long fresh = System.currentTimeMillis() - 3000;
        return heartbeats().stream().filter(h -> InstanceHeartbeat.MEDIA.equals(h.role()) && h.ready()
                && h.updatedAt().toEpochMilli() > fresh).count() == count;
    }

    /** What to look at when the pods do not become Ready: their states and the platform's conditions. */
    String diagnosis() {
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

    @Override
    public void close() {
        Teardown.closeAll(operator, dynamo, moto, realPods);
    }
}
