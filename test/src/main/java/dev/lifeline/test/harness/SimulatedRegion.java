package dev.lifeline.test.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A simulated cloud region for multi-region tests: a real control plane ({@link ControlPlane}:
 * kube-apiserver + etcd) plus kube-controller-manager, kube-scheduler and kwok as real processes
 * on loopback. kwok plays the kubelets of fake nodes spread over the region's zones, so a
 * Deployment gets a ReplicaSet and Pods that are scheduled, run and turn Ready with full status;
 * the garbage collector, the node lifecycle controller and the rest of the controller manager
 * work as in a cluster. Pods can be made to crash-loop or go unready on demand
 * ({@link #inject}), through kwok stages (resource {@code kwok/stages.yaml}). Services of type
 * LoadBalancer get a DNS name in their status, as from a cloud provider ({@link #loadBalancerHostname}).
 *
 * <p>Binaries: {@code test/scripts/kube-binaries.sh kube-apiserver kubectl etcd
 * kube-controller-manager kube-scheduler kwok}. Logs: {@code test/target/harness/<region>-*.log}.
 */
public final class SimulatedRegion implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedRegion.class);
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    public static final String REGION_LABEL = "topology.kubernetes.io/region";
    public static final String HOSTNAME_LABEL = "kubernetes.io/hostname";
    /** Label that marks the nodes kwok manages. */
    public static final String FAKE_NODE_LABEL = "type";
    public static final String FAKE_NODE_VALUE = "kwok";
    /** Node liveness: kwok renews each node's Lease for this long (the kubelet's default); the node lifecycle controller watches it. */
    static final int NODE_LEASE_SECONDS = 40;
    private static final AtomicInteger REGIONS = new AtomicInteger();

    /**
     * Shape of a region.
     *
     * @param zoneSuffixes            zones are the region name plus each suffix (us-east-1 + a = us-east-1a)
     * @param nodesPerZone            fake nodes in each zone
     * @param nodeCpu                 allocatable CPU of each node
     * @param nodeMemory              allocatable memory of each node
     * @param nodeMaxPods             pods each node takes
     * @param nodeMonitorGracePeriod  how long a node may stay silent (kwok stopped) before the node
     *                                lifecycle controller marks it NotReady and its pods not Ready;
     *                                kube-controller-manager's default is 50 s
     * @param realNodes               the control plane takes real kubelets as well
     *                                ({@link RealNode#start(SimulatedRegion, String, String)})
     * @param operatorPods            and its pods get ServiceAccount tokens, so the operator itself can
     *                                run in a pod ({@link ControlPlane#startForOperatorPods})
     */
    public record Options(List<String> zoneSuffixes, int nodesPerZone, String nodeCpu, String nodeMemory,
            int nodeMaxPods, Duration nodeMonitorGracePeriod, boolean realNodes, boolean operatorPods) {

        public Options {
            zoneSuffixes = List.copyOf(zoneSuffixes);
            if (zoneSuffixes.isEmpty() || nodesPerZone < 1 || nodeMaxPods < 1) {
                throw new IllegalArgumentException("a region needs at least one zone with one node: " + zoneSuffixes);
            }
            Objects.requireNonNull(nodeCpu);
            Objects.requireNonNull(nodeMemory);
            Objects.requireNonNull(nodeMonitorGracePeriod);
            if (nodeMonitorGracePeriod.toSeconds() < 8) {
                throw new IllegalArgumentException("nodeMonitorGracePeriod below 8 s makes nodes flap: "
                        + nodeMonitorGracePeriod);
            }
        }

        /** Three zones (a, b, c), one node each, 16 CPUs, 64 GiB and 110 pods per node, 50 s grace. */
        public static Options defaults() {
            return new Options(List.of("a", "b", "c"), 1, "16", "64Gi", 110, Duration.ofSeconds(50), false, false);
        }

        public Options withNodesPerZone(int nodes) {
            return new Options(zoneSuffixes, nodes, nodeCpu, nodeMemory, nodeMaxPods, nodeMonitorGracePeriod, realNodes,
                    operatorPods);
        }

        public Options withZones(String... suffixes) {
            return new Options(List.of(suffixes), nodesPerZone, nodeCpu, nodeMemory, nodeMaxPods,
                    nodeMonitorGracePeriod, realNodes, operatorPods);
        }

        public Options withNodeMonitorGracePeriod(Duration grace) {
            return new Options(zoneSuffixes, nodesPerZone, nodeCpu, nodeMemory, nodeMaxPods, grace, realNodes, operatorPods);
        }

        /** The region's control plane also takes real kubelet nodes ({@link RealNode}). */
        public Options withRealNodes() {
            return new Options(zoneSuffixes, nodesPerZone, nodeCpu, nodeMemory, nodeMaxPods, nodeMonitorGracePeriod, true,
                    operatorPods);
        }

        /**
         * Real nodes, and pods get ServiceAccount tokens (the admission plugin kube-api-test turns off is on),
         * so the operator's own Deployment can run here; its node needs kube-proxy for the kubernetes Service
         * ({@link RealNode.Options#withKubeProxy()}).
         */
        public Options withOperatorPods() {
            return new Options(zoneSuffixes, nodesPerZone, nodeCpu, nodeMemory, nodeMaxPods, nodeMonitorGracePeriod, true,
                    true);
        }

        /** kwok renews each Lease every quarter of its duration, as the kubelet does: 4-5 renewals per grace period. */
        int nodeLeaseSeconds() {
            return (int) Math.min(NODE_LEASE_SECONDS, nodeMonitorGracePeriod.toSeconds());
        }
    }

    private final String name;
    private final Options options;
    private final int index;
    private final List<ComponentProcess> components = new ArrayList<>();
    private final Map<String, String> nodeZones = new LinkedHashMap<>();
    private ControlPlane plane;
    private ComponentProcess controllerManager;
    private ComponentProcess scheduler;
    private ComponentProcess kwok;
    private LoadBalancerController loadBalancers;

    private SimulatedRegion(String name, Options options) {
        this.name = name;
        this.options = options;
        this.index = REGIONS.incrementAndGet();
    }

    /** Starts region {@code name} (an AWS region name, e.g. us-east-1) with {@link Options#defaults()}. */
    public static SimulatedRegion start(String name) {
        return start(name, Options.defaults());
    }

    /** Starts every component, registers the fake nodes and waits until they are Ready. */
    public static SimulatedRegion start(String name, Options options) {
        SimulatedRegion region = new SimulatedRegion(name, options);
        try {
            region.startComponents();
            return region;
        } catch (RuntimeException | Error e) {
            region.close();
            throw e;
        }
    }

    /** {@link #startAll(Options, String...)} with {@link Options#defaults()}. */
    public static List<SimulatedRegion> startAll(String... names) {
        return startAll(Options.defaults(), names);
    }

    /**
     * Starts several regions at once (their startups mostly wait on I/O), in the order given.
     * If one fails, the others are closed and the failure is thrown.
     */
    public static List<SimulatedRegion> startAll(Options options, String... names) {
        List<CompletableFuture<SimulatedRegion>> starts = new ArrayList<>();
        // Not the common pool: on a 2-core machine it has a single thread.
        ExecutorService executor = Executors.newFixedThreadPool(names.length);
        for (String regionName : names) {
            starts.add(CompletableFuture.supplyAsync(() -> start(regionName, options), executor));
        }
        executor.shutdown();
        List<SimulatedRegion> regions = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<SimulatedRegion> start : starts) {
            try {
                regions.add(start.join());
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            regions.forEach(SimulatedRegion::close);
            throw failure;
        }
        return regions;
    }

    private void startComponents() {
        long started = System.nanoTime();
        Path binaries = ControlPlane.kubectlBinary().getParent();
        Path controllerManagerBinary = binary(binaries, "kube-controller-manager");
        Path schedulerBinary = binary(binaries, "kube-scheduler");
        Path kwokBinary = binary(binaries, "kwok");
        plane = ControlPlane.start("region-" + name, options.realNodes(), options.operatorPods());
        String kubeconfig = plane.kubeconfig().toString();
        Path certs = plane.certDir();

        int kcmPort = OperatorProcess.freePort();
        controllerManager = component("kube-controller-manager", List.of(
                controllerManagerBinary.toString(),
                "--kubeconfig=" + kubeconfig,
                "--bind-address=127.0.0.1",
                "--secure-port=" + kcmPort,
                "--cert-dir=" + certDir("kube-controller-manager"),
                "--leader-elect=false",
                "--controllers=*",
                "--cluster-name=" + name,
                "--node-monitor-grace-period=" + options.nodeMonitorGracePeriod().toSeconds() + "s",
                // The token controller signs with the API server's service-account key (kube-api-test's apiserver.key).
                "--service-account-private-key-file=" + certs.resolve("apiserver.key"),
                "--root-ca-file=" + certs.resolve("apiserver.crt"),
                "--kube-api-qps=100",
                "--kube-api-burst=200",
                "--v=1"), URI.create("https://127.0.0.1:" + kcmPort + "/healthz"));

        int schedulerPort = OperatorProcess.freePort();
        scheduler = component("kube-scheduler", List.of(
                schedulerBinary.toString(),
                "--kubeconfig=" + kubeconfig,
                "--bind-address=127.0.0.1",
                "--secure-port=" + schedulerPort,
                "--cert-dir=" + certDir("kube-scheduler"),
                "--leader-elect=false",
                "--kube-api-qps=100",
                "--kube-api-burst=200",
                "--v=1"), URI.create("https://127.0.0.1:" + schedulerPort + "/healthz"));

        int kwokPort = OperatorProcess.freePort();
        kwok = component("kwok", List.of(
                kwokBinary.toString(),
                "--kubeconfig=" + kubeconfig,
                "--config=" + stagesFile(),
                "--manage-all-nodes=false",
                "--manage-nodes-with-label-selector=" + FAKE_NODE_LABEL + "=" + FAKE_NODE_VALUE,
                "--node-lease-duration-seconds=" + options.nodeLeaseSeconds(),
                "--cidr=" + podCidr(),
                "--server-address=127.0.0.1:" + kwokPort), URI.create("http://127.0.0.1:" + kwokPort + "/healthz"));

        controllerManager.start();
        scheduler.start();
        kwok.start();
        registerNodes();
        awaitNodesReady();
        loadBalancers = new LoadBalancerController(client(), name);
        // The controllers run: the service-account controller has made the default ServiceAccount.
        Awaitility.await("controller manager of " + name + " running its controllers").atMost(Duration.ofSeconds(60))
                .until(() -> client().serviceAccounts().inNamespace("default").withName("default").get() != null);
        LOG.info("Simulated region {} ready in {} ms: {} nodes in zones {}", name,
                (System.nanoTime() - started) / 1_000_000, nodeZones.size(), zones());
    }

    private ComponentProcess component(String component, List<String> command, URI health) {
        ComponentProcess process = new ComponentProcess(name + "-" + component, command, health);
        components.add(process);
        return process;
    }

    private static Path binary(Path dir, String binary) {
        Path path = dir.resolve(binary);
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(path + " is missing: run test/scripts/kube-binaries.sh kube-apiserver"
                    + " kubectl etcd kube-controller-manager kube-scheduler kwok");
        }
        return path;
    }

    /** Where kube-api-test keeps its certificates and keys (the API server's key signs service-account tokens). */
    static Path kubeApiTestDir() {
        String dir = System.getenv("KUBE_API_TEST_DIR");
        return dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".kubeapitest");
    }

    private Path certDir(String component) {
        Path dir = RepoPaths.workDir().resolve(name + "-" + component + "-certs");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private Path stagesFile() {
        Path file = RepoPaths.workDir().resolve(name + "-kwok-stages.yaml");
        try (InputStream in = SimulatedRegion.class.getResourceAsStream("/kwok/stages.yaml")) {
            if (in == null) {
                throw new IllegalStateException("kwok/stages.yaml is not on the classpath");
            }
            Files.write(file, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Each region its own pod network, as separate clusters have. */
    private String podCidr() {
        return "10." + (100 + index % 100) + ".0.1/16";
    }

    private void registerNodes() {
        int zoneIndex = 0;
        for (String suffix : options.zoneSuffixes()) {
            String zone = name + suffix;
            for (int n = 1; n <= options.nodesPerZone(); n++) {
                String node = name + suffix + "-node-" + n;
                Node fake = new NodeBuilder().withNewMetadata().withName(node)
                        .addToLabels(FAKE_NODE_LABEL, FAKE_NODE_VALUE)
                        .addToLabels(HOSTNAME_LABEL, node)
                        .addToLabels(ZONE_LABEL, zone)
                        .addToLabels(REGION_LABEL, name)
                        .addToLabels("kubernetes.io/os", "linux")
                        .addToLabels("kubernetes.io/arch", "amd64")
                        .addToAnnotations("kwok.x-k8s.io/node", "fake")
                        .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
                        .addToAnnotations("sim.lifeline.dev/node-ip",
                                "172.16." + (index % 16 * 16 + zoneIndex) + "." + (10 + n))
                        .addToAnnotations("sim.lifeline.dev/cpu", options.nodeCpu())
                        .addToAnnotations("sim.lifeline.dev/memory", options.nodeMemory())
                        .addToAnnotations("sim.lifeline.dev/pods", Integer.toString(options.nodeMaxPods()))
                        .endMetadata().build();
                client().nodes().resource(fake).create();
                nodeZones.put(node, zone);
            }
            zoneIndex++;
        }
    }

    private void awaitNodesReady() {
        Awaitility.await("fake nodes of " + name + " Ready (kwok log: " + kwok.log() + ")")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> nodeZones.keySet().stream().allMatch(this::nodeReady));
    }

    /** True when the node reports Ready (kwok is alive and renews its heartbeat). */
    public boolean nodeReady(String node) {
        Node current = client().nodes().withName(node).get();
        return current != null && current.getStatus() != null && current.getStatus().getConditions() != null
                && current.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    public String name() {
        return name;
    }

    public ControlPlane controlPlane() {
        return plane;
    }

    public KubernetesClient client() {
        return plane.client();
    }

    /** Admin kubeconfig file of this region, for processes such as the region's operator. */
    public Path kubeconfig() {
        return plane.kubeconfig();
    }

    /** Zone names, e.g. us-east-1a, us-east-1b, us-east-1c. */
    public List<String> zones() {
        return nodeZones.values().stream().distinct().toList();
    }

    public List<String> nodeNames() {
        return List.copyOf(nodeZones.keySet());
    }

    /** Zone of a node of this region, or null for an unknown node. */
    public String zoneOf(String node) {
        return nodeZones.get(node);
    }

    public ComponentProcess controllerManager() {
        return controllerManager;
    }

    public ComponentProcess scheduler() {
        return scheduler;
    }

    /** The fake kubelets. Stopping kwok stops every node's heartbeat and every pod status change. */
    public ComponentProcess kwok() {
        return kwok;
    }

    /**
     * Injects {@code fault} into the pods of {@code namespace} matching {@code podLabels} (for
     * example a component's selector). Heal it with {@link FaultInjection#heal()} or close().
     */
    public FaultInjection inject(String namespace, Map<String, String> podLabels, PodFault fault) {
        return FaultInjection.inject(client(), namespace, podLabels, fault);
    }

    /** Existing and new matching pods crash-loop (one crash every 2 s) until healed. */
    public FaultInjection crashLoop(String namespace, Map<String, String> podLabels) {
        return inject(namespace, podLabels, PodFault.crashLoop());
    }

    /** Existing and new matching pods fail their readiness probe until healed. */
    public FaultInjection unready(String namespace, Map<String, String> podLabels) {
        return inject(namespace, podLabels, PodFault.unready());
    }

    /**
     * The DNS name the region's simulated cloud gives a Service of type LoadBalancer, in its
     * {@code status.loadBalancer.ingress} (set as soon as the Service exists, as for an AWS NLB).
     */
    public String loadBalancerHostname(String namespace, String service) {
        return LoadBalancerController.hostname(name, namespace, service);
    }

    @Override
    public void close() {
        if (loadBalancers != null) {
            loadBalancers.close();
        }
        for (int i = components.size() - 1; i >= 0; i--) {
            try {
                components.get(i).stop();
            } catch (RuntimeException e) {
                LOG.warn("Stopping {} failed", components.get(i), e);
            }
        }
        if (plane != null) {
            plane.close();
        }
    }

    @Override
    public String toString() {
        return "SimulatedRegion[" + name + "]";
    }
}
