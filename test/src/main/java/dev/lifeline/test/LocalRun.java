package dev.lifeline.test;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import dev.lifeline.media.load.CallLoad;
import dev.lifeline.media.token.TokenCodec;
import dev.lifeline.operator.api.ComputeResources;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.ReplicaRange;
import dev.lifeline.operator.api.ResourceAmounts;
import dev.lifeline.test.harness.ApiTokens;
import dev.lifeline.test.harness.ControlPlane;
import dev.lifeline.test.harness.OperatorProcess;
import dev.lifeline.test.harness.Platforms;
import dev.lifeline.test.harness.RealNode;
import dev.lifeline.test.harness.RealPodsRegion;
import dev.lifeline.test.harness.RepoPaths;
import dev.lifeline.test.harness.SimulatedRegion;
import dev.lifeline.test.harness.Teardown;
import dev.lifeline.testkit.MotoServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The README's local run: one region on this machine with the packaged operator and samples/
 * applied, waiting until the platforms are {@code Ready}, then printing what was created, how to
 * watch it and how to break something. Where the machine allows real nodes (root, containerd,
 * the built media-server image) the region's pods run for real on a kubelet of its own, the
 * session table lives in moto, and the load generator keeps calls flowing through the real pods;
 * elsewhere the region's nodes are kwok's simulated ones (no containers run, no calls), and it says
 * so. Keeps running until Ctrl-C (or stops at once with {@code --exit}, which the tests use).
 */
public final class LocalRun {

    static final String NAMESPACE = "rtc";
    /** The platform that runs on the real node: the smallest sample. */
    static final String DEMO = "demo";
    static final String DEMO_SAMPLE = "minimal-single-region.yaml";
    static final int CALLS = 10;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);

    private LocalRun() {
    }

    /** What a local run started; {@link #close()} stops all of it. */
    public record Running(ControlPlane plane, OperatorProcess operator, Optional<CallLoad> calls,
            List<AutoCloseable> resources) implements AutoCloseable {
        @Override
        public void close() {
            List<AutoCloseable> order = new ArrayList<>();
            calls.ifPresent(order::add);
            order.add(operator);
            order.addAll(resources);
            Teardown.closeAll(order.toArray(AutoCloseable[]::new));
        }
    }

    public static void main(String[] args) throws InterruptedException {
        boolean exit = List.of(args).contains("--exit");
        String region = System.getenv().getOrDefault("LIFELINE_REGION", "us-east-1");
        Optional<String> noRealNodes = realNodesUnavailable();
        Running running = noRealNodes.isPresent() ? startOnKwok(region, noRealNodes.get(), System.out)
                : startWithRealPods(region, System.out);
        if (exit) {
            running.close();
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }));
        System.out.println("\nRunning. Ctrl-C stops everything.");
        while (!stopped.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
            running.calls().ifPresent(calls -> System.out.println(callsLine(calls)));
        }
    }

    /** Why this machine cannot run real nodes (what is missing), or empty when it can. */
    static Optional<String> realNodesUnavailable() {
        try {
            RealNode.checkHost();
            RealPodsRegion.mediaServerArchive();
            return Optional.empty();
        } catch (IllegalStateException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Real pods: a region whose only schedulable node is a real kubelet on this machine, moto for the
     * session table (on the machine's address, where pods reach it; DNS stays in memory), the demo
     * platform sized for one machine, and {@link #CALLS} calls through its real signaling and relays.
     */
    public static Running startWithRealPods(String regionName, PrintStream out) {
        out.println("Real nodes available: the platform's pods run as real containers on a kubelet of this machine.");
        List<AutoCloseable> resources = new ArrayList<>();
        OperatorProcess operator = null;
        try {
            RealPodsRegion region = RealPodsRegion.start(regionName, "local-1");
            resources.add(0, region);
            MotoServer moto = MotoServer.start(RealPodsRegion.machineAddress());
            resources.add(0, moto);
            ControlPlane plane = region.region().controlPlane();
            KubernetesClient client = plane.client();
            plane.installCrds();
            plane.createNamespace(OperatorProcess.OPERATOR_NAMESPACE);
            Map<String, String> env = new LinkedHashMap<>(OperatorProcess.awsEmulator(moto.endpoint(), "inmemory"));
            env.putAll(RealPodsRegion.workloadEnvironment(moto.endpoint()));
            operator = OperatorProcess.start("local", plane.kubeconfig(), regionName, env);

            for (Path file : ControlPlane.yamlFiles(RepoPaths.samples())) {
                if (file.getFileName().toString().startsWith("0")) {
                    apply(plane, file, out);
                }
            }
            region.createAwsSecret(NAMESPACE);
            RealtimePlatform demo = plane.load(RepoPaths.samples().resolve(DEMO_SAMPLE)).stream()
                    .filter(LocalRun::isPlatform).findFirst()
                    .map(item -> client.getKubernetesSerialization().convertValue(item, RealtimePlatform.class))
                    .orElseThrow(() -> new IllegalStateException("no RealtimePlatform in samples/" + DEMO_SAMPLE));
            sizeForOneMachine(demo);
            Platforms.of(client).resource(demo).serverSideApply();
            out.printf("applied   RealtimePlatform/%s from samples/%s, sized for one machine (media-server 2 replicas,"
                    + " signaling 1, 100m CPU and 256Mi requested each); samples/three-region.yaml is left out:"
                    + " its pods would not fit beside them%n", DEMO, DEMO_SAMPLE);

            awaitReady(client, NAMESPACE, DEMO, out);
            printPlatform(client, NAMESPACE, DEMO, out);
            CallLoad calls = startCalls(client, out);
            printHowToWatch(plane, operator, region, out);
            return new Running(plane, operator, Optional.of(calls), resources);
        } catch (RuntimeException | Error e) {
            List<AutoCloseable> all = new ArrayList<>();
            all.add(operator);
            all.addAll(resources);
            Teardown.closeAll(all.toArray(AutoCloseable[]::new));
            throw e;
        }
    }

    /**
     * No real nodes: a simulated region whose nodes are kwok's (pods get status, no containers
     * run), the operator's in-memory session store and DNS, every sample applied.
     */
    public static Running startOnKwok(String regionName, String whyNoRealNodes, PrintStream out) {
        out.println("No real nodes on this machine, so the pods are simulated by kwok (no containers run, no calls):");
        out.println("  " + whyNoRealNodes.replace("\n", "\n  "));
        SimulatedRegion region = SimulatedRegion.start(regionName);
        OperatorProcess operator = null;
        try {
            ControlPlane plane = region.controlPlane();
            plane.installCrds();
            plane.createNamespace(OperatorProcess.OPERATOR_NAMESPACE);
            operator = OperatorProcess.start("local", plane.kubeconfig(), regionName, OperatorProcess.WITHOUT_AWS);
            List<HasMetadata> platforms = new ArrayList<>();
            for (Path file : ControlPlane.yamlFiles(RepoPaths.samples())) {
                platforms.addAll(apply(plane, file, out).stream().filter(LocalRun::isPlatform).toList());
            }
            for (HasMetadata platform : platforms) {
                awaitReady(plane.client(), platform.getMetadata().getNamespace(), platform.getMetadata().getName(), out);
                printPlatform(plane.client(), platform.getMetadata().getNamespace(), platform.getMetadata().getName(),
                        out);
            }
            out.printf("%nWatch the platform:   KUBECONFIG=%s %s get rtp -A -w%n", plane.kubeconfig(), kubectl());
            printRestAccess(plane, operator, out);
            out.printf("Operator log: %s%n", operator.log());
            return new Running(plane, operator, Optional.empty(), List.of(region));
        } catch (RuntimeException | Error e) {
            Teardown.closeAll(operator, region);
            throw e;
        }
    }

    private static boolean isPlatform(HasMetadata item) {
        return "RealtimePlatform".equals(item.getKind());
    }

    private static List<HasMetadata> apply(ControlPlane plane, Path file, PrintStream out) {
        List<HasMetadata> items = plane.load(file);
        for (HasMetadata item : items) {
            plane.client().resource(item).serverSideApply();
            out.printf("applied   %s/%s from %s%n", item.getKind(), item.getMetadata().getName(),
                    RepoPaths.root().relativize(file));
        }
        return items;
    }

    /** Two relays (calls move between them) and one signaling instance, small requests: one JVM per pod. */
    private static void sizeForOneMachine(RealtimePlatform platform) {
        ComputeResources small = new ComputeResources(new ResourceAmounts("100m", "256Mi"),
                new ResourceAmounts("1", "512Mi"));
        platform.getSpec().mediaServer.replicas = new ReplicaRange(2, 2);
        platform.getSpec().mediaServer.resources = small;
        platform.getSpec().signaling.replicas = new ReplicaRange(1, 1);
        platform.getSpec().signaling.resources = small;
    }

    private static void awaitReady(KubernetesClient client, String namespace, String name, PrintStream out) {
        out.printf("waiting   for RealtimePlatform %s/%s to be Ready ...%n", namespace, name);
        try {
            Awaitility.await(name + " Ready").atMost(READY_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions().until(() -> Platforms.condition(
                            Platforms.of(client).inNamespace(namespace).withName(name).get(), "Ready")
                            .filter(c -> "True".equals(c.getStatus())).isPresent());
        } catch (ConditionTimeoutException e) {
            out.printf("          %s/%s is not Ready after %d s; its status:%n", namespace, name,
                    READY_TIMEOUT.toSeconds());
        }
    }

    /** Calls from this process through the demo platform's real signaling pod and relays. */
    private static CallLoad startCalls(KubernetesClient client, PrintStream out) {
        String secret = new String(Base64.getDecoder().decode(client.secrets().inNamespace(NAMESPACE)
                .withName(DEMO + "-signing").get().getData().get("token-secret")), StandardCharsets.UTF_8);
        Pod signaling = client.pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/instance", DEMO)
                .withLabel("app.kubernetes.io/component", "signaling").list().getItems().stream()
                .filter(p -> p.getStatus().getPodIP() != null).findFirst().orElseThrow();
        URI uri = URI.create("ws://" + signaling.getStatus().getPodIP() + ":8080/signal");
        try {
            CallLoad calls = CallLoad.start(List.of(uri), new TokenCodec(secret.getBytes(StandardCharsets.UTF_8)),
                    CALLS, 2);
            out.printf("%nCalls: the load generator keeps %d two-party calls going through %s and the relays"
                    + " (50 audio packets/s each way)%n", CALLS, uri);
            return calls;
        } catch (Exception e) {
            throw new IllegalStateException("calls through " + uri + " did not start", e);
        }
    }

    /** One line on the calls: where they are and how much media arrived so far. */
    static String callsLine(CallLoad calls) {
        Map<String, Integer> perRelay = new LinkedHashMap<>();
        calls.callsByRelay().forEach((relay, hosted) -> perRelay.put(relay, hosted.size()));
        long resumes = calls.participants().stream().mapToLong(p -> p.client().resumes()).sum();
        return String.format("calls %d on relays %s, media packets received %d, resumes %d", calls.calls().size(),
                perRelay, calls.received(), resumes);
    }

    private static void printHowToWatch(ControlPlane plane, OperatorProcess operator, RealPodsRegion region,
            PrintStream out) {
        KubernetesClient client = plane.client();
        Pod relay = client.pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/instance", DEMO)
                .withLabel("app.kubernetes.io/component", "media-server").list().getItems().get(0);
        List<Long> pids = region.node().containerPids(relay.getMetadata().getUid(),
                relay.getStatus().getContainerStatuses().get(0).getContainerID());
        out.printf("%nWatch the platform:   KUBECONFIG=%s %s get rtp -A -w%n", plane.kubeconfig(), kubectl());
        out.printf("Watch the pods:       KUBECONFIG=%s %s -n %s get pods -w%n", plane.kubeconfig(), kubectl(),
                NAMESPACE);
        printRestAccess(plane, operator, out);
        out.printf("Break a relay:        kill -9 %s   # SIGKILLs relay %s's JVM: its calls resume on the other relay"
                + " (see the calls line), the kubelet restarts it%n",
                pids.stream().map(String::valueOf).reduce((a, b) -> a + " " + b).orElse("?"),
                relay.getMetadata().getName());
        out.printf("Operator log: %s%n", operator.log());
    }

    /**
     * The status page and the REST API take a Kubernetes bearer token: a ready one (a ServiceAccount
     * bound to cluster-admin on this throwaway control plane) and how to make one for another account.
     */
    private static void printRestAccess(ControlPlane plane, OperatorProcess operator, PrintStream out) {
        out.printf("Status page:          %s/status/?namespace=%s&name=%s%n", operator.baseUrl(), NAMESPACE, DEMO);
        out.printf("Token for the page and the REST API (ServiceAccount %s/%s, cluster-admin here):%n  %s%n",
                ApiTokens.ADMIN_NAMESPACE, ApiTokens.ADMIN_ACCOUNT, operator.adminToken());
        out.printf("REST health view:     curl -s -H \"Authorization: Bearer <token>\" %s/api/v1/namespaces/%s/realtimeplatforms/%s/health%n",
                operator.baseUrl(), NAMESPACE, DEMO);
        out.printf("Another account's token:  KUBECONFIG=%s %s create token <serviceaccount> -n <namespace>%n",
                plane.kubeconfig(), kubectl());
    }

    private static Path kubectl() {
        return Path.of(System.getProperty("user.home"), ".kubeapitest", "k8s", ControlPlane.version() + "-linux-amd64",
                "kubectl");
    }

    private static void printPlatform(KubernetesClient client, String namespace, String name, PrintStream out) {
        RealtimePlatform platform = Platforms.of(client).inNamespace(namespace).withName(name).get();
        out.printf("%nRealtimePlatform %s/%s (regions %s)%n", namespace, name,
                platform.getSpec().regions.stream().map(r -> r.name).toList());
        client.configMaps().inNamespace(namespace).withLabel("app.kubernetes.io/instance", name).list().getItems()
                .forEach(c -> out.printf("  created   ConfigMap/%s%n", c.getMetadata().getName()));
        client.apps().deployments().inNamespace(namespace).withLabel("app.kubernetes.io/instance", name).list()
                .getItems().forEach(d -> out.printf("  created   Deployment/%s (replicas %d, ready %d, image %s)%n",
                        d.getMetadata().getName(), d.getSpec().getReplicas(),
                        d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0
                                : d.getStatus().getReadyReplicas(),
                        d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()));
        client.services().inNamespace(namespace).withLabel("app.kubernetes.io/instance", name).list().getItems()
                .forEach(s -> out.printf("  created   Service/%s (%s, ports %s)%n", s.getMetadata().getName(),
                        s.getSpec().getType(), s.getSpec().getPorts().stream()
                                .map(p -> p.getProtocol() + "/" + p.getPort()).toList()));
        client.policy().v1().podDisruptionBudget().inNamespace(namespace).withLabel("app.kubernetes.io/instance", name)
                .list().getItems().forEach(p -> out.printf("  created   PodDisruptionBudget/%s%n", p.getMetadata().getName()));
        out.println("  status:");
        if (platform.getStatus() != null) {
            for (Condition c : platform.getStatus().conditions) {
                out.printf("    %-20s %-7s %-16s %s%n", c.getType(), c.getStatus(), c.getReason(), c.getMessage());
            }
            out.printf("    regions: %s%n", platform.getStatus().regions.stream().map(r -> r.name + "=" + r.health).toList());
        }
    }
}
