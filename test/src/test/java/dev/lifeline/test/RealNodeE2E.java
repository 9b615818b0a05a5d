package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.test.harness.ControlPlane;
import dev.lifeline.test.harness.RealNode;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A real kubelet node ({@link RealNode}: containerd, runc, CNI bridge) joined to a real control
 * plane runs real containers: the Node turns Ready, a pod gets Running with a bridge IP that
 * answers from the host, a container SIGKILLed from the host is restarted by the kubelet (exit
 * 137, restartCount + 1), logs and exec go through the API server to the kubelet. Afterwards
 * nothing of the node is left on the machine.
 */
class RealNodeE2E {

    private static final String NAMESPACE = "default";
    private static final String NODE = "real-node-1";
    private static final Duration SOON = Duration.ofSeconds(45);
    /** The host's sysctls before the node; null when a crashed run left a node behind (its values are not the host's). */
    private static Map<String, String> sysctlsBefore;
    private static ControlPlane plane;
    private static RealNode node;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        sysctlsBefore = Files.exists(RealNode.BASE) ? null : sysctls();
        long started = System.nanoTime();
        plane = ControlPlane.startForRealNodes("real-node");
        long planeUp = System.nanoTime();
        node = RealNode.start(plane, NODE);
        System.out.printf("[RealNodeE2E] control plane up in %d ms, node %s Ready %d ms later%n",
                (planeUp - started) / 1_000_000, NODE, (System.nanoTime() - planeUp) / 1_000_000);
        client = plane.client();
    }

    @AfterAll
    static void stopAndLeaveNothing() throws Exception {
        try {
            if (node != null) {
                node.close();
            }
        } finally {
            if (plane != null) {
                plane.close();
            }
        }
        assertThat(Files.exists(RealNode.BASE)).as("node directories removed").isFalse();
        assertThat(Files.exists(Path.of("/sys/fs/cgroup/memory/lifeline-" + NODE))
                || Files.exists(Path.of("/sys/fs/cgroup/lifeline-" + NODE))).as("pod cgroups removed").isFalse();
        assertThat(Files.exists(Path.of("/sys/class/net/lfl1"))).as("bridge removed").isFalse();
        if (sysctlsBefore != null) {
            assertThat(sysctls()).as("sysctls restored").isEqualTo(sysctlsBefore);
        }
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain("lifeline-nodes");
    }

    @Test
    void nodeIsReadyWithTheMachinesAddress() {
        Node current = client.nodes().withName(NODE).get();
        assertThat(node.ready()).isTrue();
        assertThat(current.getStatus().getAddresses()).extracting(NodeAddress::getType, NodeAddress::getAddress)
                .contains(org.assertj.core.groups.Tuple.tuple("InternalIP", node.nodeIp()));
        assertThat(current.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v" + ControlPlane.version());
        assertThat(current.getStatus().getNodeInfo().getContainerRuntimeVersion()).startsWith("containerd://");
    }

    @Test
    void podRunsIsRestartedAfterSigkillAndServesLogsAndExec() throws Exception {
        Pod pod = client.pods().inNamespace(NAMESPACE).resource(new PodBuilder()
                .withNewMetadata().withName("pause").endMetadata()
                .withNewSpec()
                .withNodeName(NODE)
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("main").withImage(RealNode.PAUSE_IMAGE).withImagePullPolicy("Never")
                .endContainer()
                .endSpec().build()).create();
        try {
            Pod running = await("pod Running with an IP").atMost(SOON).pollInterval(Duration.ofMillis(250))
                    .until(() -> client.pods().inNamespace(NAMESPACE).withName("pause").get(),
                            p -> "Running".equals(p.getStatus().getPhase()) && p.getStatus().getPodIP() != null
                                    && ready(p));
            String ip = running.getStatus().getPodIP();
            assertThat(ip).startsWith(node.podCidr().substring(0, node.podCidr().lastIndexOf('.') + 1));
            assertThat(InetAddress.getByName(ip).isReachable(2000)).as("pod IP %s answers from the host", ip).isTrue();

            ContainerStatus before = running.getStatus().getContainerStatuses().get(0);
            List<Long> pids = node.containerPids(running.getMetadata().getUid(), before.getContainerID());
            assertThat(pids).isNotEmpty();
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));   // SIGKILL

            Pod restarted = await("container restarted by the kubelet").atMost(SOON).pollInterval(Duration.ofMillis(250))
                    .until(() -> client.pods().inNamespace(NAMESPACE).withName("pause").get(),
                            p -> p.getStatus().getContainerStatuses().get(0).getRestartCount() == 1
                                    && p.getStatus().getContainerStatuses().get(0).getState().getRunning() != null);
            ContainerStatus after = restarted.getStatus().getContainerStatuses().get(0);
            assertThat(after.getLastState().getTerminated().getExitCode()).isEqualTo(137);
            assertThat(after.getContainerID()).isNotEqualTo(before.getContainerID());
            assertThat(restarted.getStatus().getPodIP()).as("same sandbox, same IP").isEqualTo(ip);

            assertThat(client.pods().inNamespace(NAMESPACE).withName("pause").getLog())
                    .contains("lifeline pause: started");
            assertThat(plane.kubectl("exec", "-n", NAMESPACE, "pause", "--", "/pause", "-v"))
                    .contains("lifeline pause 1.0");
        } finally {
            client.pods().inNamespace(NAMESPACE).resource(pod).withGracePeriod(0).delete();
        }
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Map<String, String> sysctls() throws Exception {
        Map<String, String> values = new java.util.TreeMap<>();
        for (String sysctl : List.of("vm/overcommit_memory", "kernel/panic", "kernel/panic_on_oops", "net/ipv4/ip_forward")) {
            values.put(sysctl, Files.readString(Path.of("/proc/sys", sysctl)).trim());
        }
        return values;
    }
}
