package dev.lifeline.test.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lifeline.test.harness.NodeCertificates.Host;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;

/**
 * A real Kubernetes node on this machine: its own containerd (config, root, state and socket
 * under {@link #BASE}{@code /<node>}), Debian's runc and CNI plugins (bridge + host-local +
 * portmap, a /24 pod CIDR per node), and a kubelet of the pinned version that registers with a
 * {@link ControlPlane#startForRealNodes} control plane as {@code system:node:<name>}. Pods run as real containers (the sandbox is
 * the static {@code test/node/pause.c} image, {@link #PAUSE_IMAGE}); images are local only
 * ({@link #importImage}), so pods use {@code imagePullPolicy: Never} or IfNotPresent.
 *
 * <p>The kubelet changes the host; {@link #close()} undoes it: sysctls ({@code vm.overcommit_memory},
 * {@code kernel.panic}, {@code kernel.panic_on_oops}, {@code net.ipv4.ip_forward}, recorded before the
 * first node starts in {@link #BASE}{@code /host-state.properties}), the directories the kubelet and
 * containerd write regardless of their configuration ({@code /var/lib/kubelet/device-plugins},
 * {@code /var/log/containers}, {@code /var/lib/cni}, when they did not exist before), every mount
 * under the node's directory (the kubelet's bind-mounted root dir, pod volumes, network namespaces,
 * container root filesystems), the pod cgroups ({@code /lifeline-<node>} in every hierarchy, depth
 * first, after killing what runs in them), containerd's shims and the bridge, and with
 * {@link Options#withKubeProxy()} kube-proxy's iptables chains and rules. A run that crashed
 * leaves these behind; the next {@link #start} clears them first. One JVM at a time owns the real
 * nodes of a machine (a lock file in {@link #BASE}).
 *
 * <p>Needs root, a cgroup v1 or v2 hierarchy, containerd, runc and the CNI plugins
 * ({@code test/scripts/node-prereqs.sh}), and the kubelet ({@code test/scripts/kube-binaries.sh kubelet}).
 * Logs: {@code test/target/harness/<node>-containerd.log}, {@code <node>-kubelet.log}.
 */
public final class RealNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RealNode.class);
    /** Where the nodes keep their state; outside the repository, so a later run finds what a crashed one left. */
    public static final Path BASE = Path.of(System.getProperty("lifeline.node.base", "/var/tmp/lifeline-nodes"));
    /** The sandbox image every node has (a static C pause() program). */
    public static final String PAUSE_IMAGE = "lifeline.test/pause:1.0";
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    private static final Path CNI_BIN = Path.of("/usr/lib/cni");
    private static final List<String> SYSCTLS = List.of("vm/overcommit_memory", "kernel/panic", "kernel/panic_on_oops",
            "net/ipv4/ip_forward", "net/ipv4/conf/all/route_localnet");
    /** Exists while kube-proxy's iptables rules may be on the host: the next run removes what a crashed one left. */
    private static final Path KUBE_PROXY_MARKER = BASE.resolve("kube-proxy-rules");
    /** All real nodes' pod CIDRs (10.244.<n>.0/24 each): kube-proxy's cluster CIDR. */
    private static final String CLUSTER_CIDR = "10.244.0.0/16";
    private static final List<Path> HOST_DIRS = List.of(Path.of("/var/lib/kubelet"), Path.of("/var/log/containers"),
            Path.of("/var/lib/cni"));
    private static final String BRIDGE_PREFIX = "lfl";
    private static final AtomicInteger NODES = new AtomicInteger();
    private static final Set<RealNode> LIVE = ConcurrentHashMap.newKeySet();
    private static FileChannel lockChannel;
    private static FileLock lock;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(LIVE).forEach(RealNode::close),
                "real-node-reaper"));
    }

    /**
     * Shape of a node.
     *
     * @param labels    extra node labels (the kubelet may set {@code topology.kubernetes.io/zone} and {@code /region})
     * @param kubeProxy the node runs a kube-proxy (iptables mode), so Services' ClusterIPs work from its pods
     *                  and the host, the kubernetes Service's among them; one per machine (its rules are the host's)
     */
    public record Options(Map<String, String> labels, boolean kubeProxy) {
        public Options {
            labels = Map.copyOf(labels);
        }

        public static Options defaults() {
            return new Options(Map.of(), false);
        }

        public Options withLabel(String key, String value) {
            Map<String, String> copy = new LinkedHashMap<>(labels);
            copy.put(key, value);
            return new Options(copy, kubeProxy);
        }

        public Options withKubeProxy() {
            return new Options(labels, true);
        }
    }

    private final String name;
    private final int index;
    private final ControlPlane plane;
    private final Options options;
    private final Path dir;
    private final String cgroupName;
    private final String bridge;
    private final String podCidr;
    private ComponentProcess containerd;
    private ComponentProcess kubelet;
    private ComponentProcess kubeProxy;
    private String nodeIp;
    private boolean closed;

    private RealNode(String name, ControlPlane plane, Options options) {
        this.name = name;
        this.plane = plane;
        this.options = options;
        this.index = NODES.incrementAndGet();
        this.dir = BASE.resolve(name);
        this.cgroupName = "lifeline-" + name;
        this.bridge = BRIDGE_PREFIX + index;
        this.podCidr = "10.244." + index + ".0/24";
    }

    /** Starts node {@code name} against {@code plane} and waits until it is Ready. */
    public static RealNode start(ControlPlane plane, String name) {
        return start(plane, name, Options.defaults());
    }

    /** Starts a node of {@code region} in {@code zone} (labels zone and region), so it can take the region's pods. */
    public static RealNode start(SimulatedRegion region, String name, String zone) {
        return start(region, name, zone, Options.defaults());
    }

    /** {@link #start(SimulatedRegion, String, String)} with more {@code options} (kube-proxy). */
    public static RealNode start(SimulatedRegion region, String name, String zone, Options options) {
        return start(region.controlPlane(), name, options
                .withLabel(SimulatedRegion.ZONE_LABEL, zone)
                .withLabel(SimulatedRegion.REGION_LABEL, region.name()));
    }

    public static RealNode start(ControlPlane plane, String name, Options options) {
        if (!name.matches("[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?")) {
            throw new IllegalArgumentException("node name must be a short DNS label: " + name);
        }
        if (!plane.acceptsRealNodes()) {
            throw new IllegalArgumentException("control plane " + plane.name() + " cannot take real nodes: start it with"
                    + " ControlPlane.startForRealNodes (or SimulatedRegion.Options.withRealNodes())");
        }
        Path pauseImage = checkHost();
        if (options.kubeProxy() && !Files.isExecutable(kubeProxyBinary())) {
            throw new IllegalStateException(kubeProxyBinary() + " is missing: run test/scripts/kube-binaries.sh kube-proxy");
        }
        RealNode node;
        synchronized (RealNode.class) {
            if (options.kubeProxy() && LIVE.stream().anyMatch(n -> n.options.kubeProxy())) {
                throw new IllegalStateException("another real node of this machine runs kube-proxy; its iptables"
                        + " rules are the host's, so one node per machine may run one");
            }
            acquireMachine();
            node = new RealNode(name, plane, options);
            LIVE.add(node);
        }
        try {
            node.startNode(pauseImage);
            return node;
        } catch (RuntimeException | Error e) {
            node.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------- host checks

    /**
     * Checks what a node needs from this machine and returns the pause image archive; throws
     * with what is missing and how to get it.
     */
    public static Path checkHost() {
        List<String> problems = new ArrayList<>();
        if (!isRoot()) {
            problems.add("not root: the kubelet and containerd need root (run the tests as root, e.g. in a privileged container)");
        }
        boolean cgroupV1 = Files.isDirectory(CGROUP_ROOT.resolve("memory")) && Files.isDirectory(CGROUP_ROOT.resolve("cpu"));
        boolean cgroupV2 = Files.exists(CGROUP_ROOT.resolve("cgroup.controllers"));
        if (!cgroupV1 && !cgroupV2) {
            problems.add("no cgroup v1 (memory, cpu) or v2 hierarchy mounted at /sys/fs/cgroup");
        }
        if (!Files.exists(Path.of("/dev/kmsg"))) {
            problems.add("/dev/kmsg is missing (the kubelet's OOM watcher reads it; a privileged container has it)");
        }
        for (String tool : List.of("containerd", "ctr", "runc", "iptables", "openssl", "mount", "umount", "ip")) {
            if (which(tool) == null) {
                problems.add(tool + " is missing: run test/scripts/node-prereqs.sh (installs containerd, runc,"
                        + " containernetworking-plugins, iptables from Debian)");
            }
        }
        for (String plugin : List.of("bridge", "host-local", "portmap", "loopback")) {
            if (!Files.isExecutable(CNI_BIN.resolve(plugin))) {
                problems.add(CNI_BIN.resolve(plugin) + " is missing: run test/scripts/node-prereqs.sh"
                        + " (Debian package containernetworking-plugins)");
            }
        }
        if (!Files.isExecutable(kubeletBinary())) {
            problems.add(kubeletBinary() + " is missing: run test/scripts/kube-binaries.sh kubelet");
        }
        Path pause = null;
        if (problems.isEmpty()) {
            try {
                String out = Host.run(List.of(RepoPaths.root().resolve("test/scripts/node-prereqs.sh").toString(), "--check"));
                pause = Path.of(out.lines().filter(l -> l.endsWith(".tar")).reduce((a, b) -> b).orElseThrow().trim());
            } catch (RuntimeException e) {
                problems.add("the pause image is missing: run test/scripts/node-prereqs.sh (" + e.getMessage().trim() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("This machine cannot run a real node:\n - " + String.join("\n - ", problems)
                    + "\nSee test/README.md, 'Real nodes'.");
        }
        return pause;
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    private static Path which(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    public static Path kubeletBinary() {
        return ControlPlane.kubectlBinary().resolveSibling("kubelet");
    }

    public static Path kubeProxyBinary() {
        return ControlPlane.kubectlBinary().resolveSibling("kube-proxy");
    }

    // ---------------------------------------------------------------- machine ownership and leftovers

    /** Takes the machine's real-node lock; the first node of this JVM clears a crashed run's leftovers and records the host. */
    private static void acquireMachine() {
        if (!LIVE.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(BASE);
            if (lock == null) {
                lockChannel = FileChannel.open(BASE.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                try {
                    lock = lockChannel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    lockChannel.close();
                    lockChannel = null;
                    throw new IllegalStateException("another process runs real nodes on this machine (lock "
                            + BASE.resolve("lock") + "); one test JVM at a time");
                }
            }
            clearLeftovers();
            recordHost();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void releaseMachine() {
        restoreHost();
        try {
            if (lock != null) {
                lock.release();
                lockChannel.close();
            }
            lock = null;
            lockChannel = null;
            Files.deleteIfExists(BASE.resolve("lock"));
            Files.deleteIfExists(BASE);
        } catch (IOException e) {
            LOG.warn("Cannot remove {}", BASE, e);
        }
    }

    /** What an earlier run left (it crashed or was killed): processes, mounts, cgroups, bridges, sysctls, directories. */
    private static void clearLeftovers() throws IOException {
        List<Path> stale;
        try (Stream<Path> entries = Files.list(BASE)) {
            stale = entries.filter(Files::isDirectory).toList();
        }
        boolean cgroupsLeft = !cgroupDirs(p -> p.getFileName().toString().startsWith("lifeline-")).isEmpty();
        if (stale.isEmpty() && !cgroupsLeft && !Files.exists(BASE.resolve("host-state.properties"))
                && !Files.exists(KUBE_PROXY_MARKER)) {
            return;
        }
        removeKubeProxyRules();
        LOG.warn("Clearing what an earlier real-node run left behind: {}", stale);
        killCgroupProcesses(p -> p.getFileName().toString().startsWith("lifeline-"));
        killProcessesMentioning(BASE.toString());
        unmountUnder(BASE);
        removeCgroups(p -> p.getFileName().toString().startsWith("lifeline-"));
        deleteBridges(null);
        for (Path path : stale) {
            deleteTree(path);
        }
        restoreHost();
    }

    /** Records sysctls and which host directories exist, once, before any node changes them. */
    private static void recordHost() throws IOException {
        Path file = BASE.resolve("host-state.properties");
        if (Files.exists(file)) {
            return;
        }
        Properties state = new Properties();
        for (String sysctl : SYSCTLS) {
            state.setProperty("sysctl." + sysctl, Files.readString(Path.of("/proc/sys", sysctl)).trim());
        }
        for (Path hostDir : HOST_DIRS) {
            state.setProperty("existed." + hostDir, Boolean.toString(Files.exists(hostDir)));
        }
        Path tmp = BASE.resolve("host-state.properties.tmp");
        try (var out = Files.newOutputStream(tmp)) {
            state.store(out, "host state before the first real node; restored when the last one stops");
        }
        Files.move(tmp, file);
    }

    private static void restoreHost() {
        Path file = BASE.resolve("host-state.properties");
        if (!Files.exists(file)) {
            return;
        }
        Properties state = new Properties();
        try (var in = Files.newInputStream(file)) {
            state.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String sysctl : SYSCTLS) {
            String value = state.getProperty("sysctl." + sysctl);
            if (value != null) {
                try {
                    Files.writeString(Path.of("/proc/sys", sysctl), value);
                } catch (IOException e) {
                    LOG.warn("Cannot restore {} = {}", sysctl, value, e);
                }
            }
        }
        for (Path hostDir : HOST_DIRS) {
            if ("false".equals(state.getProperty("existed." + hostDir))) {
                unmountUnder(hostDir);
                deleteTree(hostDir);
            }
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- start

    private void startNode(Path pauseImage) {
        long started = System.nanoTime();
        nodeIp = machineAddress();
        try {
            deleteTree(dir);
            for (String sub : List.of("containerd/root", "containerd/state", "containerd/opt", "runc", "cni/conf",
                    "cni/ipam", "kubelet", "kubelet-certs", "pod-logs")) {
                Files.createDirectories(dir.resolve(sub));
            }
            writeCniConfig();
            Files.writeString(dir.resolve("containerd/config.toml"), containerdConfig());
            createCgroupRoot();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path socket = dir.resolve("containerd/containerd.sock");
        containerd = new ComponentProcess(name + "-containerd", List.of("containerd", "--config",
                dir.resolve("containerd/config.toml").toString()), () -> Files.exists(socket) && ctrWorks(socket));
        containerd.start();
        Host.run(List.of("ctr", "--address", socket.toString(), "-n", "k8s.io", "images", "import", pauseImage.toString()));

        authorizeNodes();
        Path[] client = NodeCertificates.kubeletClient(plane.certDir(), dir.resolve("kubelet-certs"), name);
        int port = OperatorProcess.freePort();
        int healthz = OperatorProcess.freePort();
        try {
            Files.writeString(dir.resolve("kubelet/kubeconfig.yaml"), kubeconfig(client));
            Files.writeString(dir.resolve("kubelet-config.yaml"), kubeletConfig(socket, port, healthz));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(kubeletBinary().toString(),
                "--config=" + dir.resolve("kubelet-config.yaml"),
                "--kubeconfig=" + dir.resolve("kubelet/kubeconfig.yaml"),
                "--root-dir=" + dir.resolve("kubelet"),
                "--cert-dir=" + dir.resolve("kubelet-certs"),
                "--hostname-override=" + name,
                "--node-ip=" + nodeIp,
                "--v=2"));
        if (!options.labels().isEmpty()) {
            command.add("--node-labels=" + String.join(",", options.labels().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        kubelet = new ComponentProcess(name + "-kubelet", command, URI.create("http://127.0.0.1:" + healthz + "/healthz"));
        kubelet.start();
        Awaitility.await("node " + name + " Ready (log: " + kubelet.log() + ")")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .failFast("kubelet exited; see " + kubelet.log(), () -> !kubelet.isAlive())
                .until(this::ready);
        if (options.kubeProxy()) {
            startKubeProxy();
        }
        LOG.info("Real node {} Ready in {} ms (node IP {}, pod CIDR {}, kubelet port {})", name,
                (System.nanoTime() - started) / 1_000_000, nodeIp, podCidr, port);
    }

    /**
     * kube-proxy in iptables mode as user {@code system:kube-proxy}: the Services' ClusterIPs (the
     * kubernetes Service's among them) work from pods and the host. Beyond its chains and rules (removed by
     * {@link #removeKubeProxyRules()}) it changes nothing on the host: conntrack limits and timeouts stay as
     * they are (0), no localhost NodePorts (no route_localnet),
     * oom_score_adj stays (root here lacks CAP_SYS_RESOURCE). Ready when its rules for the kubernetes
     * Service are in the nat table.
     */
    private void startKubeProxy() {
        Path[] client = NodeCertificates.kubeProxyClient(plane.certDir(), dir.resolve("kubelet-certs"));
        int healthz = OperatorProcess.freePort();
        int metrics = OperatorProcess.freePort();
        try {
            Files.writeString(dir.resolve("kube-proxy-kubeconfig.yaml"), kubeconfig("system:kube-proxy", client));
            Files.writeString(dir.resolve("kube-proxy-config.yaml"), """
                    apiVersion: kubeproxy.config.k8s.io/v1alpha1
                    kind: KubeProxyConfiguration
                    mode: iptables
                    clientConnection: {kubeconfig: %s}
                    hostnameOverride: %s
                    clusterCIDR: %s
                    healthzBindAddress: 127.0.0.1:%d
                    metricsBindAddress: 127.0.0.1:%d
                    oomScoreAdj: 0
                    conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
                    iptables: {localhostNodePorts: false}
                    nodePortAddresses: [primary]
                    """.formatted(dir.resolve("kube-proxy-kubeconfig.yaml"), name, CLUSTER_CIDR, healthz, metrics));
            Files.writeString(KUBE_PROXY_MARKER, name + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        kubeProxy = new ComponentProcess(name + "-kube-proxy", List.of(kubeProxyBinary().toString(),
                "--config=" + dir.resolve("kube-proxy-config.yaml"), "--v=2"),
                () -> Host.run(List.of("iptables-save", "-t", "nat")).contains("default/kubernetes:https"));
        kubeProxy.start();
    }

    /**
     * Removes kube-proxy's chains and rules: {@code kube-proxy --cleanup} (iptables, nftables, IPVS), and
     * the filter chain {@code KUBE-FIREWALL} with its jumps from INPUT and OUTPUT (IPv4 and IPv6), which
     * kube-proxy makes as a copy of the kubelet's and leaves to the kubelet (its CleanupLeftovers skips
     * it); the kubelet here makes none ({@code makeIPTablesUtilChains: false}).
     */
    private static void removeKubeProxyRules() {
        if (!Files.exists(KUBE_PROXY_MARKER)) {
            return;
        }
        if (Files.isExecutable(kubeProxyBinary())) {
            Host.tryRun(kubeProxyBinary().toString(), "--cleanup");
        }
        for (String iptables : List.of("iptables", "ip6tables")) {
            Host.tryRun(iptables, "-t", "filter", "-D", "INPUT", "-j", "KUBE-FIREWALL");
            Host.tryRun(iptables, "-t", "filter", "-D", "OUTPUT", "-j", "KUBE-FIREWALL");
            Host.tryRun(iptables, "-t", "filter", "-F", "KUBE-FIREWALL");
            Host.tryRun(iptables, "-t", "filter", "-X", "KUBE-FIREWALL");
        }
        try {
            Files.deleteIfExists(KUBE_PROXY_MARKER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean ctrWorks(Path socket) {
        try {
            Host.run(List.of("ctr", "--address", socket.toString(), "version"));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Kubelets are authorized by RBAC's system:node role (kube-api-test fixes --authorization-mode RBAC, so no Node authorizer). */
    private void authorizeNodes() {
        plane.client().rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
                .withNewMetadata().withName("lifeline-test:nodes").endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                .withName("system:node").endRoleRef()
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("Group").withName("system:nodes")
                .endSubject().build()).serverSideApply();
    }

    /** The machine's own address: the kubelet rejects loopback, and the API server reaches the kubelet there. */
    public static String machineAddress() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                String nicName = nic.getName();
                if (!nic.isUp() || nic.isLoopback() || nicName.startsWith(BRIDGE_PREFIX) || nicName.startsWith("veth")
                        || nicName.startsWith("cni") || nicName.startsWith("docker")) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no non-loopback IPv4 address on this machine for the kubelet's --node-ip");
    }

    private void writeCniConfig() throws IOException {
        String network = "lifeline-" + name;
        Files.writeString(dir.resolve("cni/conf/10-lifeline.conflist"), """
                {
                  "cniVersion": "0.4.0",
                  "name": "%s",
                  "plugins": [
                    {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": false, "hairpinMode": true,
                     "ipam": {"type": "host-local", "ranges": [[{"subnet": "%s"}]], "routes": [{"dst": "0.0.0.0/0"}],
                              "dataDir": "%s"}},
                    {"type": "portmap", "capabilities": {"portMappings": true}}
                  ]
                }
                """.formatted(network, bridge, podCidr, dir.resolve("cni/ipam")));
    }

    private String containerdConfig() {
        Path c = dir.resolve("containerd");
        return """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                [grpc]
                  address = "%1$s/containerd.sock"
                [ttrpc]
                  address = "%1$s/containerd.sock.ttrpc"
                [metrics]
                  address = ""
                [plugins."io.containerd.internal.v1.opt"]
                  path = "%1$s/opt"
                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = "%2$s"
                  # Required here: root lacks CAP_SYS_RESOURCE, so runc cannot set the sandbox's oom_score_adj -998.
                  restrict_oom_score_adj = true
                  disable_apparmor = true
                  netns_mounts_under_state_dir = true
                  enable_selinux = false
                  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = "%3$s"
                    conf_dir = "%4$s"
                  [plugins."io.containerd.grpc.v1.cri".containerd]
                    default_runtime_name = "runc"
                    snapshotter = "overlayfs"
                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"
                      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                        SystemdCgroup = false
                        Root = "%5$s"
                """.formatted(c, PAUSE_IMAGE, CNI_BIN, dir.resolve("cni/conf"), dir.resolve("runc"));
    }

    private String kubeconfig(Path[] client) {
        return kubeconfig("system:node:" + name, client);
    }

    private String kubeconfig(String user, Path[] client) {
        String server = plane.client().getConfiguration().getMasterUrl().replaceAll("/$", "");
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: lifeline
                  cluster:
                    server: %s
                    certificate-authority: %s
                users:
                - name: %s
                  user:
                    client-certificate: %s
                    client-key: %s
                contexts:
                - name: lifeline
                  context: {cluster: lifeline, user: %3$s}
                current-context: lifeline
                """.formatted(server, plane.certDir().resolve("apiserver.crt"), user, client[0], client[1]);
    }

    private String kubeletConfig(Path socket, int port, int healthz) {
        return """
                apiVersion: kubelet.config.k8s.io/v1beta1
                kind: KubeletConfiguration
                address: %1$s
                port: %2$d
                readOnlyPort: 0
                healthzBindAddress: 127.0.0.1
                healthzPort: %3$d
                cgroupDriver: cgroupfs
                cgroupRoot: /%4$s
                failCgroupV1: false
                failSwapOn: false
                makeIPTablesUtilChains: false
                podCIDR: %5$s
                podLogsDir: %6$s
                containerRuntimeEndpoint: unix://%7$s
                authentication:
                  anonymous: {enabled: false}
                  webhook: {enabled: true}
                  x509: {clientCAFile: %8$s}
                authorization:
                  mode: Webhook
                rotateCertificates: false
                serverTLSBootstrap: false
                registerNode: true
                resolvConf: ""
                clusterDomain: cluster.local
                nodeStatusUpdateFrequency: 4s
                nodeStatusReportFrequency: 10s
                syncFrequency: 10s
                fileCheckFrequency: 10s
                evictionHard: {memory.available: "1Mi", nodefs.available: "1%%", imagefs.available: "1%%", nodefs.inodesFree: "1%%"}
                imageGCHighThresholdPercent: 100
                imageGCLowThresholdPercent: 99
                """.formatted(nodeIp, port, healthz, cgroupName, podCidr, dir.resolve("pod-logs"), socket,
                NodeCertificates.kubeletClientCa());
    }

    /** The kubelet refuses a cgroup root that does not exist; cpuset needs its cpus and mems before tasks join. */
    private void createCgroupRoot() throws IOException {
        for (Path hierarchy : hierarchies()) {
            Path cgroup = hierarchy.resolve(cgroupName);
            Files.createDirectories(cgroup);
            for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
                Path parent = hierarchy.resolve(file);
                if (Files.exists(parent) && Files.readString(cgroup.resolve(file)).isBlank()) {
                    Files.writeString(cgroup.resolve(file), Files.readString(parent).trim());
                }
            }
        }
    }

    /** cgroup v1 hierarchies (and the unified one), or the v2 root. */
    private static List<Path> hierarchies() {
        if (Files.exists(CGROUP_ROOT.resolve("cgroup.controllers"))) {
            return List.of(CGROUP_ROOT);
        }
        try (Stream<Path> dirs = Files.list(CGROUP_ROOT)) {
            return dirs.filter(d -> Files.isDirectory(d) && !Files.isSymbolicLink(d)
                    && Files.exists(d.resolve("cgroup.procs"))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- queries

    public String name() {
        return name;
    }

    /** The node's (and the kubelet's) address: the machine's own interface address. */
    public String nodeIp() {
        return nodeIp;
    }

    public String podCidr() {
        return podCidr;
    }

    public ComponentProcess kubelet() {
        return kubelet;
    }

    public ComponentProcess containerd() {
        return containerd;
    }

    /** True when the Node reports Ready. */
    public boolean ready() {
        Node node = plane.client().nodes().withName(name).get();
        return node != null && node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Imports an OCI or Docker image archive into this node's containerd, for pods with imagePullPolicy Never. */
    public void importImage(Path archive) {
        ctr("images", "import", archive.toString());
    }

    /** Runs {@code ctr -n k8s.io <args>} against this node's containerd. */
    public String ctr(String... args) {
        List<String> command = new ArrayList<>(List.of("ctr", "--address",
                dir.resolve("containerd/containerd.sock").toString(), "-n", "k8s.io"));
        command.addAll(List.of(args));
        return Host.run(command);
    }

    /** Host PIDs of the processes of a pod's container, found through the pod's cgroup. */
    public List<Long> containerPids(String podUid, String containerId) {
        // cgroupfs driver: <cgroup root>/kubepods[/<qos>]/pod<uid>/<container id>
        String id = containerId.replaceFirst("^[a-z]+://", "");
        Path hierarchy = hierarchies().stream().filter(h -> h.getFileName().toString().equals("memory")).findFirst()
                .orElse(hierarchies().get(0));
        try (Stream<Path> walk = Files.walk(hierarchy.resolve(cgroupName))) {
            Path cgroup = walk.filter(p -> p.getFileName().toString().equals(id)
                    && p.getParent().getFileName().toString().equals("pod" + podUid))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no cgroup for container " + id));
            return Files.readAllLines(cgroup.resolve("cgroup.procs")).stream().filter(l -> !l.isBlank())
                    .map(Long::parseLong).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- stop and cleanup

    /** Stops the kubelet and containerd, kills every pod, and undoes this node's host changes. */
    @Override
    public void close() {
        synchronized (RealNode.class) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                java.util.function.Predicate<Path> mine = p -> p.getFileName().toString().equals(cgroupName);
                // Each step on its own: one that fails must not leave the rest undone.
                step("stop kube-proxy and remove its rules", () -> {
                    if (kubeProxy != null) {
                        kubeProxy.stop();
                        removeKubeProxyRules();
                    }
                });
                step("stop the kubelet", () -> {
                    if (kubelet != null) {
                        kubelet.stop();
                    }
                });
                step("kill the pods", () -> killCgroupProcesses(mine));
                step("stop containerd", () -> {
                    if (containerd != null) {
                        containerd.stop();
                    }
                });
                step("kill the shims", () -> killProcessesMentioning(dir.toString()));
                step("unmount", () -> unmountUnder(dir));
                step("remove the cgroups", () -> removeCgroups(mine));
                step("delete the bridge", () -> deleteBridges(bridge));
                step("delete " + dir, () -> deleteTree(dir));
                step("delete the Node", () -> plane.client().nodes().withName(name).delete());
            } finally {
                LIVE.remove(this);
                if (LIVE.isEmpty()) {
                    releaseMachine();
                }
            }
            LOG.info("Real node {} stopped and cleaned up", name);
        }
    }

    private void step(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("Real node {}: cannot {}", name, what, e);
        }
    }

    private static List<Path> cgroupDirs(java.util.function.Predicate<Path> top) {
        List<Path> dirs = new ArrayList<>();
        if (!Files.isDirectory(CGROUP_ROOT)) {
            return dirs;
        }
        for (Path hierarchy : hierarchies()) {
            try (Stream<Path> children = Files.list(hierarchy)) {
                for (Path child : children.filter(Files::isDirectory).filter(top).toList()) {
                    try (Stream<Path> walk = Files.walk(child)) {
                        walk.filter(Files::isDirectory).forEach(dirs::add);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dirs;
    }

    /** SIGKILLs every process in the matching cgroup trees until they are empty. */
    private static void killCgroupProcesses(java.util.function.Predicate<Path> top) {
        Awaitility.await("processes of the node's pods gone").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    List<String> pids = new ArrayList<>();
                    for (Path cgroup : cgroupDirs(top)) {
                        try {
                            Files.readAllLines(cgroup.resolve("cgroup.procs")).stream().filter(l -> !l.isBlank())
                                    .forEach(pids::add);
                        } catch (IOException e) {
                            // removed meanwhile
                        }
                    }
                    pids = pids.stream().distinct().toList();
                    for (String pid : pids) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                    return pids.isEmpty();
                });
    }

    /** containerd's shims outlive containerd; they and anything else started for the node name its directory. */
    private static void killProcessesMentioning(String path) {
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> victims = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self)
                .filter(p -> cmdline(p.pid()).contains(path))
                .toList();
        victims.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle victim : victims) {
            try {
                victim.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Process {} did not exit", victim.pid());
            }
        }
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** Unmounts every mount at or below {@code root}, deepest first (lazily, so a busy one cannot block cleanup). */
    private static void unmountUnder(Path root) {
        for (int round = 0; round < 5; round++) {
            List<String> mounts;
            try {
                mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                        .map(l -> l.split(" ")[4].replace("\\040", " "))
                        .filter(m -> m.equals(root.toString()) || m.startsWith(root + "/"))
                        .distinct()
                        .sorted(Comparator.comparingInt(String::length).reversed())
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (mounts.isEmpty()) {
                return;
            }
            for (String mount : mounts) {
                Host.tryRun("umount", "-l", mount);
            }
        }
    }

    private static void removeCgroups(java.util.function.Predicate<Path> top) {
        List<Path> dirs = new ArrayList<>(cgroupDirs(top));
        dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path cgroup : dirs) {
            try {
                Files.deleteIfExists(cgroup);
            } catch (IOException e) {
                LOG.warn("Cannot remove cgroup {}: {}", cgroup, e.toString());
            }
        }
    }

    /** Deletes the node's bridge, or (name null) every bridge of a real node. */
    private static void deleteBridges(String name) {
        try (Stream<Path> links = Files.list(Path.of("/sys/class/net"))) {
            for (Path link : links.toList()) {
                String linkName = link.getFileName().toString();
                if (name == null ? linkName.matches(BRIDGE_PREFIX + "\\d+") : linkName.equals(name)) {
                    Host.tryRun("ip", "link", "delete", linkName);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list network links", e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // A file may be busy for a moment (a shim's socket); rm is more forgiving.
            Host.tryRun("rm", "-rf", "--one-file-system", root.toString());
        }
    }

    @Override
    public String toString() {
        return "RealNode[" + name + "]";
    }
}
