package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.test.harness.ControlPlane;
import dev.lifeline.test.harness.Platforms;
import dev.lifeline.test.harness.RealPodsRegion;
import dev.lifeline.test.harness.RepoPaths;
import dev.lifeline.test.harness.Teardown;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * README's install on a real node: the image archives of {@code scripts/build-images.sh} are loaded
 * into the node's containerd, and the operator's own Deployment from {@code deploy/} runs there,
 * applied with the real kubectl through an overlay of {@code deploy/kustomize/us-east-1} that changes
 * only what an install against an AWS emulator changes (the endpoint, dummy credentials from a
 * Secret; README, "Against an AWS emulator"). The region is a real cluster in what matters here
 * ({@link RealPodsStack#startForInstall()}): pods get their ServiceAccount's token (admission
 * plugin on, kube-controller-manager's token and root-CA publishers), and the node's kube-proxy
 * carries the kubernetes Service's ClusterIP to the API server. In order:
 * <ol>
 *   <li>both replicas run the built image on the real node as ServiceAccount {@code lifeline-operator}
 *       with the projected token, turn Ready through their probes, and one of them holds the
 *       leader-election Lease (so it called the API server with that account's RBAC);</li>
 *   <li>that operator reconciles {@code rtc/meet}: its session table in moto, the media server's
 *       relays and signaling on the real node, and the platform {@code Ready} from their real
 *       available replicas, with no operator anywhere else;</li>
 *   <li>the leader's pod is deleted (SIGTERM, as in a drain or rollout): the standby replica takes the
 *       Lease and reconciles the next spec change, and the ReplicaSet brings a second replica back.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstallE2E {

    private static final String SYSTEM = "lifeline-system";
    private static final String OPERATOR = "lifeline-operator";
    private static final String OPERATOR_IMAGE = "ghcr.io/lifeline/operator:0.1.0";
    private static final Duration OPERATOR_READY = Duration.ofSeconds(240);

    private static RealPodsStack stack;
    private static KubernetesClient client;
    private static List<String> hostRulesBefore;

    @BeforeAll
    static void startRegionWithRealNode() {
        hostRulesBefore = hostRules();
        stack = RealPodsStack.startForInstall();
        client = stack.client;
    }

    @AfterAll
    static void stop() {
        Teardown.closeAll(stack);
        // kube-proxy's rules are the host's: the node's close() removes every one it made.
        assertThat(hostRules()).as("iptables rules after the real node with kube-proxy stopped")
                .isEqualTo(hostRulesBefore);
    }

    /** A built-in chain with its default policy: what a table shows that nothing has changed. */
    private static final java.util.regex.Pattern DEFAULT_CHAIN =
            java.util.regex.Pattern.compile(":(PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING) ACCEPT .*");

    /**
     * The host's iptables and ip6tables rules, chains and policies, each prefixed with its table, without counters.
     * Tables that hold only built-in chains at their default policy are left out: on a new machine a table appears
     * once anything loads it (kube-proxy does), and an empty table is no rule left behind.
     */
    private static List<String> hostRules() {
        List<String> rules = new java.util.ArrayList<>();
        for (String save : List.of("iptables-save", "ip6tables-save")) {
            try {
                Process process = new ProcessBuilder(save).redirectErrorStream(true).start();
                String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(process.waitFor()).as(save).isZero();
                String[] table = { "" };
                out.lines().filter(l -> !l.startsWith("#") && !l.equals("COMMIT"))
                        .map(l -> l.replaceAll("\\[\\d+:\\d+\\]", ""))
                        .filter(l -> {
                            if (l.startsWith("*")) {
                                table[0] = l.substring(1);
                                return false;
                            }
                            return !DEFAULT_CHAIN.matcher(l).matches();
                        })
                        .map(l -> save + " " + table[0] + " " + l)
                        .forEach(rules::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return rules;
    }

    @Test
    @Order(1)
    void operatorDeploymentFromDeployRunsOnTheRealNodeAndTurnsReady() {
        ControlPlane plane = stack.realPods.region().controlPlane();
        Path overlay = writeEmulatorOverlay();
        plane.kubectl("apply", "--server-side", "-k", overlay.toString());

        try {
            Awaitility.await("both operator replicas of the rollout available").atMost(OPERATOR_READY)
                    .pollInterval(Duration.ofSeconds(1)).until(this::operatorRolledOut);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + operatorDiagnosis(), e);
        }

        List<Pod> pods = operatorPods();
        assertThat(pods).hasSize(2).allSatisfy(pod -> {
            assertThat(pod.getSpec().getNodeName()).isEqualTo(RealPodsStack.NODE);
            assertThat(pod.getSpec().getServiceAccountName()).isEqualTo(OPERATOR);
            Container container = pod.getSpec().getContainers().get(0);
            assertThat(container.getImage()).isEqualTo(OPERATOR_IMAGE);
            // The ServiceAccount admission plugin mounted the account's projected token, as in any cluster.
            assertThat(container.getVolumeMounts()).anySatisfy(m -> {
                assertThat(m.getName()).startsWith("kube-api-access-");
                assertThat(m.getMountPath()).isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount");
            });
            assertThat(pod.getStatus().getContainerStatuses().get(0).getReady()).isTrue();
            // Built image, imported archive: nothing was pulled.
            assertThat(pod.getStatus().getContainerStatuses().get(0).getImage()).isEqualTo(OPERATOR_IMAGE);
        });
        // The API server advertises the machine's address (it listens on all), where kube-proxy sends the ClusterIP.
        assertThat(client.discovery().v1().endpointSlices().inNamespace("default").withLabel(
                "kubernetes.io/service-name", "kubernetes").list().getItems())
                .flatExtracting(slice -> slice.getEndpoints()).flatExtracting(e -> e.getAddresses())
                .containsExactly(stack.node.nodeIp());
        // One replica holds the Lease: it talked to the API server through the kubernetes Service with its token.
        Lease lease = Awaitility.await("leader-election Lease held by an operator pod").atMost(Duration.ofSeconds(60))
                .until(() -> client.leases().inNamespace(SYSTEM).withName(OPERATOR).get(),
                        l -> l != null && l.getSpec().getHolderIdentity() != null);
        assertThat(pods).extracting(p -> p.getMetadata().getName())
                .anySatisfy(name -> assertThat(lease.getSpec().getHolderIdentity()).contains(name));
    }

    @Test
    @Order(2)
    void theInstalledOperatorReconcilesAPlatformOnTheRealNode() {
        stack.createPlatform();

        RealtimePlatform platform = Platforms.of(client).inNamespace(RealPodsStack.NAMESPACE)
                .withName(RealPodsStack.NAME).get();
        assertThat(Platforms.condition(platform, "Ready")).hasValueSatisfying(c -> assertThat(c.getStatus())
                .isEqualTo("True"));
        assertThat(platform.getStatus().observedGeneration).isEqualTo(platform.getMetadata().getGeneration());
        assertThat(stack.mediaPods()).hasSize(2).allSatisfy(pod -> {
            assertThat(pod.getSpec().getNodeName()).isEqualTo(RealPodsStack.NODE);
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        });
        // The relays found the session table the in-cluster operator created in moto, and heartbeat into it.
        Awaitility.await("both relays heartbeat as ready").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> stack.relaysReady(2));
    }

    @Test
    @Order(3)
    void theStandbyReplicaTakesOverWhenTheLeaderPodIsDeleted() {
        String leader = Awaitility.await("a replica holds the Lease").atMost(Duration.ofSeconds(30))
                .until(InstallE2E::leaseHolder, h -> h != null && !h.isEmpty());
        Pod leaderPod = operatorPods().stream().filter(p -> leader.contains(p.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no operator pod holds the Lease: " + leader));
        // Deleted gracefully, as a node drain or a rollout does: SIGTERM from the kubelet.
        client.pods().inNamespace(SYSTEM).resource(leaderPod).delete();

        // The leader releases the Lease on SIGTERM (holder ""), then the standby takes it.
        String successor = Awaitility.await("Lease taken over by the other replica").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(InstallE2E::leaseHolder, h -> h != null && !h.isEmpty()
                        && !h.contains(leaderPod.getMetadata().getName()));
        assertThat(operatorPods()).extracting(p -> p.getMetadata().getName())
                .anySatisfy(name -> assertThat(successor).contains(name));
        // The new leader reconciles: it observes a spec change (paused: no remediation, status still reported).
        long generation = Platforms.editSpec(client, RealPodsStack.NAMESPACE, RealPodsStack.NAME, spec -> spec.paused = true)
                .getMetadata().getGeneration();
        Awaitility.await("the new leader observes generation " + generation).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).until(() -> Platforms.of(client).inNamespace(RealPodsStack.NAMESPACE)
                        .withName(RealPodsStack.NAME).get().getStatus().observedGeneration, g -> g != null && g == generation);
        // The ReplicaSet replaced the deleted pod on the real node: two available replicas again.
        Awaitility.await("operator Deployment back to two available replicas").atMost(OPERATOR_READY)
                .pollInterval(Duration.ofSeconds(1)).until(this::operatorRolledOut);
    }

    private static String leaseHolder() {
        Lease lease = client.leases().inNamespace(SYSTEM).withName(OPERATOR).get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    /**
     * What a platform team writes to install against an emulator: an overlay of the region's overlay
     * that points the operator (and, through it, the media server) at moto on the machine's address,
     * with the emulator's dummy keys in a Secret. The manifests themselves stay as they are.
     */
    private static Path writeEmulatorOverlay() {
        Path overlay = RepoPaths.workDir().resolve("install-" + RealPodsStack.REGION);
        Path base = RepoPaths.deploy().resolve("kustomize").resolve(RealPodsStack.REGION);
        String endpoint = stack.moto.endpoint().toString();
        String kustomization = """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %1$s
                secretGenerator:
                  - name: lifeline-aws
                    namespace: lifeline-system
                    options: {disableNameSuffixHash: true}
                    literals: [AWS_ACCESS_KEY_ID=lifeline-test, AWS_SECRET_ACCESS_KEY=lifeline-test, AWS_EC2_METADATA_DISABLED=true]
                patches:
                  - patch: |
                      apiVersion: apps/v1
                      kind: Deployment
                      metadata: {name: lifeline-operator, namespace: lifeline-system}
                      spec:
                        template:
                          spec:
                            containers:
                              - name: operator
                                envFrom:
                                  - secretRef: {name: lifeline-aws}
                                env:
                                  - {name: LIFELINE_AWS_ENDPOINT_OVERRIDE, value: "%2$s"}
                                  - {name: LIFELINE_WORKLOAD_DYNAMODB_ENDPOINT, value: "%2$s"}
                                  - {name: LIFELINE_WORKLOAD_AWS_CREDENTIALS_SECRET, value: %3$s}
                """.formatted(overlay.relativize(base), endpoint, RealPodsRegion.AWS_SECRET);
        try {
            Files.createDirectories(overlay);
            Files.writeString(overlay.resolve("kustomization.yaml"), kustomization);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return overlay;
    }

    private boolean operatorRolledOut() {
        Deployment deployment = client.apps().deployments().inNamespace(SYSTEM).withName(OPERATOR).get();
        if (deployment == null || deployment.getStatus() == null) {
            return false;
        }
        var status = deployment.getStatus();
        return Objects.equals(status.getObservedGeneration(), deployment.getMetadata().getGeneration())
                && Objects.equals(status.getUpdatedReplicas(), 2) && Objects.equals(status.getAvailableReplicas(), 2)
                && Objects.equals(status.getReplicas(), 2);
    }

    private static List<Pod> operatorPods() {
        return client.pods().inNamespace(SYSTEM).withLabel("app.kubernetes.io/name", OPERATOR).list().getItems()
                .stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    /** The operator pods' states and the end of their logs (through the kubelet), for a rollout that did not finish. */
    private static String operatorDiagnosis() {
        StringBuilder out = new StringBuilder();
        try {
            for (Pod pod : operatorPods()) {
                String name = pod.getMetadata().getName();
                out.append("pod ").append(name).append(" on ").append(pod.getSpec().getNodeName()).append(": ")
                        .append(pod.getStatus().getPhase()).append(' ')
                        .append(pod.getStatus().getContainerStatuses()).append('\n');
                try {
                    out.append(client.pods().inNamespace(SYSTEM).withName(name).tailingLines(30).getLog()).append('\n');
                } catch (RuntimeException e) {
                    out.append("(no log: ").append(e.getMessage()).append(")\n");
                }
            }
            out.append(client.v1().events().inNamespace(SYSTEM).list().getItems().stream()
                    .map(e -> e.getInvolvedObject().getName() + ": " + e.getReason() + " " + e.getMessage())
                    .reduce("", (a, b) -> a + b + "\n"));
        } catch (RuntimeException e) {
            out.append("(diagnosis failed: ").append(e).append(')');
        }
        return out.toString();
    }
}
