package dev.lifeline.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.workload.MediaServerDeploymentDependent;
import dev.lifeline.operator.workload.MediaServerNetworkPolicyDependent;
import dev.lifeline.operator.workload.MediaServerPdbDependent;
import dev.lifeline.operator.workload.MediaServerServiceDependent;
import dev.lifeline.operator.workload.PlatformConfigMapDependent;
import dev.lifeline.operator.workload.SignalingDeploymentDependent;
import dev.lifeline.operator.workload.SignalingNetworkPolicyDependent;
import dev.lifeline.operator.workload.SignalingPdbDependent;
import dev.lifeline.operator.workload.SignalingServiceDependent;
import dev.lifeline.operator.workload.WorkloadServiceAccountDependent;
import dev.lifeline.test.harness.ApiServerRequests;
import dev.lifeline.test.harness.ControlPlane;
import dev.lifeline.test.harness.OperatorProcess;
import dev.lifeline.test.harness.Platforms;
import dev.lifeline.test.harness.RepoPaths;
import dev.lifeline.testkit.FaultProxy;
import dev.lifeline.testkit.MotoServer;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * The scale benchmark (issue 13, item 4): how one operator holds many platforms. Not a test: a
 * program that writes a results file. Run it with {@code test/bench/scale-bench.sh [platforms] [idle-seconds] [aws]}.
 *
 * <p>One real kube-apiserver + etcd with a Service range wide enough (10.96.0.0/16), the packaged
 * operator (prod profile, leader election) for us-east-1, and AWS either moto behind a recording
 * proxy (the request log: {@code moto}, the default) or the operator's in-memory twins ({@code inmemory}).
 * The control plane has no controller manager and no cloud, so this program plays the two
 * components a cluster has that write what Ready waits for, and nothing else: the Deployment
 * controller (status: every desired replica available, as {@link Platforms#markAvailable} does) and
 * the cloud's load-balancer controller (the signaling Service's ingress address). They write only
 * the status subresources of Deployments and Services, which the operator never writes, so the
 * API server's own counters ({@code apiserver_request_total}) tell their writes from the operator's.
 *
 * <p>Phases: N single-region platforms created at once (16 client threads) → time until all are
 * Ready, the operator's RSS and live heap (after a full GC, jcmd) against the same before; then the
 * platforms left alone for the idle duration → writes to the API server (by resource) and to AWS (by
 * action), which should be none; then one spec change → time until the operator has reconciled it
 * (status.observedGeneration and the Deployment) while the rest idle.
 */
public final class ScaleBenchmark {

    static final String NAMESPACE = "scale";
    static final String REGION = "us-east-1";
    static final String SERVICE_RANGE = "10.96.0.0/16";
    static final Duration READY_TIMEOUT = Duration.ofMinutes(30);
    /** After all are Ready, Events and last status patches may still be on their way. */
    static final Duration SETTLE = Duration.ofSeconds(30);
    /** JVM options for the operator alone (say, a collector or JIT setting to compare), given to it as JDK_JAVA_OPTIONS. */
    static final String OPERATOR_JAVA_OPTIONS = "OPERATOR_JAVA_OPTIONS";

    private ScaleBenchmark() {
    }

    public static void main(String[] args) {
        try {
            benchmark(args);
        } catch (Throwable failure) {
            // exec:java waits for every non-daemon thread (the clients' Vert.x threads) before it reports a failure
            failure.printStackTrace();
            System.exit(1);
        }
    }

    private static void benchmark(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Duration idle = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 600);
        String aws = args.length > 2 ? args[2] : "moto";
        Path resultsDir = RepoPaths.root().resolve("test/bench/results");
        Files.createDirectories(resultsDir);
        Instant started = Instant.now();
        StringBuilder out = new StringBuilder();
        line(out, "# Scale benchmark (issue 13, item 4) %s", started);
        line(out, "platforms=%d idle=%ds aws=%s machine: %d cores, load average before %s", count, idle.toSeconds(), aws,
                Runtime.getRuntime().availableProcessors(), MachineLoad.loadAverage());
        // The operator inherits the environment: say when it was run with other JVM or allocator settings.
        for (String variable : List.of("JAVA_TOOL_OPTIONS", "MALLOC_ARENA_MAX", OPERATOR_JAVA_OPTIONS)) {
            if (System.getenv(variable) != null) {
                line(out, "environment: %s=%s", variable, System.getenv(variable));
            }
        }

        MotoServer moto = null;
        FaultProxy proxy = null;
        Map<String, String> env = new LinkedHashMap<>();
        String zoneId = "Z0123456789ABCDEFGHIJ";
        if ("moto".equals(aws)) {
            moto = MotoServer.start();
            proxy = FaultProxy.start(moto.endpoint());
            env.putAll(OperatorProcess.awsEmulator(proxy.endpoint(), "route53"));
            // Moto enforces no Route 53 quota, and this measures the operator: at the shipped budget (4/s) the
            // 1,000 new platforms' first checks alone (about 5,000 requests) would take some 21 minutes.
            env.put("LIFELINE_AWS_ROUTE53_REQUESTS_PER_SECOND", "1000");
            try (Route53Client route53 = Route53Client.builder().endpointOverride(moto.endpoint())
                    .region(Region.AWS_GLOBAL).httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build()) {
                zoneId = route53.createHostedZone(b -> b.name("scale.example.com").callerReference("scale-" + System.nanoTime()))
                        .hostedZone().id().replace("/hostedzone/", "");
            }
        } else {
            env.putAll(OperatorProcess.WITHOUT_AWS);
        }
        // Kubernetes' own leader-election timings: this measures scale, not takeover, and on a shared machine whose
        // load reaches 60 the shipped 1.5 s renew deadline can pass, and the replica halts (as it should) mid-run.
        env.put("LIFELINE_LEADER_ELECTION_LEASE_DURATION", "15s");
        env.put("LIFELINE_LEADER_ELECTION_RENEW_DEADLINE", "10s");
        env.put("LIFELINE_LEADER_ELECTION_RETRY_PERIOD", "2s");
        if (System.getenv(OPERATOR_JAVA_OPTIONS) != null) {
            // read by the operator's java launcher only, unlike JAVA_TOOL_OPTIONS, which this JVM and Maven read too
            env.put("JDK_JAVA_OPTIONS", System.getenv(OPERATOR_JAVA_OPTIONS));
        }
        try (ControlPlane plane = ControlPlane.startWithServiceRange("scale", SERVICE_RANGE)) {
            plane.installCrds();
            plane.createNamespace(OperatorProcess.OPERATOR_NAMESPACE);
            plane.createNamespace(NAMESPACE);
            KubernetesClient client = plane.client();
            BareClient cap = BareClient.run(client, count, zoneId);
            try (OperatorProcess operator = OperatorProcess.start("scale", plane.kubeconfig(), REGION, env);
                    ClusterStandIns standIns = ClusterStandIns.start(client, NAMESPACE)) {
                run(out, count, idle, client, operator, proxy, zoneId, cap);
            } catch (Exception failure) {
                line(out, "FAILED: %s", failure);
                Files.writeString(resultsDir.resolve("scale-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                        .withZone(ZoneOffset.UTC).format(started) + "-partial.txt"), out);
                throw failure;
            }
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            if (moto != null) {
                moto.close();
            }
        }
        Path file = resultsDir.resolve("scale-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC).format(started) + ".txt");
        line(out, "load average after %s", MachineLoad.loadAverage());
        Files.writeString(file, out);
        System.out.println(out);
        System.out.println("Results: " + file);
        System.exit(0);
    }

    private static void run(StringBuilder out, int count, Duration idle, KubernetesClient client,
            OperatorProcess operator, FaultProxy proxy, String zoneId, BareClient cap) throws Exception {
        Awaitility.await("the operator's leader election").atMost(Duration.ofSeconds(60))
                .until(() -> client.leases().inNamespace(OperatorProcess.OPERATOR_NAMESPACE).list().getItems().stream()
                        .anyMatch(l -> l.getSpec().getHolderIdentity() != null));
        Memory before = Memory.of(operator);
        line(out, "operator before: RSS %.1f MB, live heap %.1f MB, %d threads", mb(before.rss()), mb(before.heap()),
                before.threads());
        before.nativeMemory(out, "before");

        // Phase 1: all at once.
        CpuTimes cpu0 = CpuTimes.now();
        ApiServerRequests requests0 = ApiServerRequests.of(client);
        long t0 = System.nanoTime();
        ExecutorService creators = Executors.newFixedThreadPool(16);
        for (int i = 0; i < count; i++) {
            String name = "p" + i;
            creators.submit(() -> Platforms.of(client).resource(platform(name, zoneId)).create());
        }
        creators.shutdown();
        creators.awaitTermination(10, TimeUnit.MINUTES);
        double created = seconds(System.nanoTime() - t0);
        List<String> milestones = new ArrayList<>();
        AtomicLong lastReady = new AtomicLong(-1);
        Awaitility.await("all " + count + " platforms Ready").atMost(READY_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    long ready = Platforms.of(client).inNamespace(NAMESPACE).list().getItems().stream()
                            .filter(p -> Platforms.condition(p, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false))
                            .count();
                    if (ready / Math.max(1, count / 10) != lastReady.get() / Math.max(1, count / 10)) {
                        milestones.add(String.format(Locale.ROOT, "%d at %.1f s", ready, seconds(System.nanoTime() - t0)));
                    }
                    lastReady.set(ready);
                    return ready == count;
                });
        double allReady = seconds(System.nanoTime() - t0);
        ApiServerRequests requests1 = ApiServerRequests.of(client);
        CpuTimes cpu1 = CpuTimes.now();
        line(out, "");
        line(out, "## Start-up: %d platforms created at once", count);
        line(out, "created (16 client threads): %.1f s; all Ready: %.1f s after the first create", created, allReady);
        line(out, "Ready over time: %s", String.join(", ", milestones));
        line(out, "this API server's own pace, before the operator started: a bare client (%d threads) applied the same "
                + "%d objects (%d per platform, from the operator's builders) in %.1f s (%.0f writes/s); the operator "
                + "took %.1f times that", BareClient.THREADS, cap.objects(), BareClient.OBJECTS_PER_PLATFORM,
                cap.seconds(), cap.objects() / cap.seconds(), allReady / cap.seconds());
        Memory after = Memory.of(operator);
        line(out, "operator after: RSS %.1f MB, live heap %.1f MB, %d threads", mb(after.rss()), mb(after.heap()),
                after.threads());
        line(out, "per platform: RSS %.1f KB, live heap %.1f KB", (after.rss() - before.rss()) / 1024.0 / count,
                (after.heap() - before.heap()) / 1024.0 / count);
        after.nativeMemory(out, "after");
        after.growth(out, before, count, 15);
        line(out, "CPU used during start-up (of %.0f core-seconds on this machine): %s", allReady
                * Runtime.getRuntime().availableProcessors(), cpu1.since(cpu0));
        requestTable(out, "API server requests during start-up (all clients)", requests1.since(requests0), allReady);
        awsTable(out, "AWS requests during start-up", proxy, allReady);
        eventsByReason(out, client, count);

        // Phase 2: nothing changes.
        Thread.sleep(SETTLE.toMillis()); // the measuring window of a benchmark, not a synchronisation
        ApiServerRequests requests2 = ApiServerRequests.of(client);
        line(out, "");
        line(out, "## Settling: %d s after all Ready", SETTLE.toSeconds());
        requestTable(out, "API server requests while settling", requests2.since(requests1), SETTLE.toSeconds());
        awsTable(out, "AWS requests while settling", proxy, SETTLE.toSeconds());
        Map<String, Integer> eventsBefore = eventCounts(client);
        CpuTimes cpu2 = CpuTimes.now();
        Thread.sleep(idle.toMillis());
        ApiServerRequests requests3 = ApiServerRequests.of(client);
        CpuTimes cpu3 = CpuTimes.now();
        line(out, "");
        line(out, "## Steady state: %d s with nothing changed", idle.toSeconds());
        ApiServerRequests idleRequests = requests3.since(requests2);
        requestTable(out, "API server requests at steady state", idleRequests, idle.toSeconds());
        awsTable(out, "AWS requests at steady state", proxy, idle.toSeconds());
        line(out, "CPU used at steady state: %s", cpu3.since(cpu2));
        eventsWritten(out, client, eventsBefore);
        Memory steady = Memory.of(operator);
        line(out, "operator at the end of steady state: RSS %.1f MB, live heap %.1f MB", mb(steady.rss()),
                mb(steady.heap()));

        // Phase 3: one spec change while the rest idle.
        String changed = "p" + (count / 2);
        long t1 = System.nanoTime();
        RealtimePlatform edited = Platforms.editSpec(client, NAMESPACE, changed,
                spec -> spec.mediaServer.image = "ghcr.io/lifeline/media-server:0.2.0");
        long generation = edited.getMetadata().getGeneration();
        Awaitility.await("the spec change reconciled").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    RealtimePlatform p = Platforms.of(client).inNamespace(NAMESPACE).withName(changed).get();
                    Deployment media = client.apps().deployments().inNamespace(NAMESPACE).withName(changed + "-media-server").get();
                    return p.getStatus() != null && Long.valueOf(generation).equals(p.getStatus().observedGeneration)
                            && media.getSpec().getTemplate().getSpec().getContainers().get(0).getImage().endsWith(":0.2.0");
                });
        line(out, "");
        line(out, "## One spec change while %d platforms idle", count - 1);
        line(out, "image of %s changed → Deployment updated and status.observedGeneration %d: %.2f s", changed, generation,
                seconds(System.nanoTime() - t1));
    }

    /**
     * What this machine's API server takes without the operator: a bare client creating, with server-side apply, the
     * same ten objects the operator applies for each platform, built by the operator's own pure builders, in another
     * namespace and without the operator's labels (so its informers never see them). Its Services are deleted
     * afterwards: they hold node ports, and the range has room for about 1,300 platforms.
     */
    record BareClient(int objects, double seconds) {
        static final int THREADS = 32;
        static final int OBJECTS_PER_PLATFORM = 10;
        static final String NAMESPACE = "scale-bare-client";

        static BareClient run(KubernetesClient client, int count, String zoneId) throws InterruptedException {
            client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                    .withName(NAMESPACE).endMetadata().build()).create();
            ExecutorService appliers = Executors.newFixedThreadPool(THREADS);
            AtomicLong applied = new AtomicLong();
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                RealtimePlatform platform = platform("b" + i, zoneId);
                platform.getMetadata().setNamespace(NAMESPACE);
                platform.getMetadata().setUid(java.util.UUID.randomUUID().toString());
                appliers.submit(() -> objects(platform).forEach(object -> {
                    object.getMetadata().setLabels(Map.of("lifeline.dev/benchmark", "bare-client"));
                    client.resource(object).fieldManager("bare-client").forceConflicts().serverSideApply();
                    applied.incrementAndGet();
                }));
            }
            appliers.shutdown();
            appliers.awaitTermination(30, TimeUnit.MINUTES);
            BareClient result = new BareClient((int) applied.get(), ScaleBenchmark.seconds(System.nanoTime() - t0));
            // Its Services hold node ports (30000-32767, two per platform): gone, they leave the range to the operator.
            ExecutorService deleters = Executors.newFixedThreadPool(THREADS);
            client.services().inNamespace(NAMESPACE).list().getItems().forEach(service -> deleters.submit(
                    () -> client.resource(service).delete()));
            deleters.shutdown();
            deleters.awaitTermination(30, TimeUnit.MINUTES);
            Awaitility.await("the bare client's Services deleted").atMost(Duration.ofMinutes(5))
                    .until(() -> client.services().inNamespace(NAMESPACE).list().getItems().isEmpty());
            return result;
        }

        private static List<io.fabric8.kubernetes.api.model.HasMetadata> objects(RealtimePlatform platform) {
            return List.of(PlatformConfigMapDependent.build(platform, REGION),
                    WorkloadServiceAccountDependent.build(platform, REGION),
                    MediaServerDeploymentDependent.build(platform, REGION),
                    MediaServerServiceDependent.build(platform, REGION),
                    MediaServerPdbDependent.build(platform, REGION),
                    MediaServerNetworkPolicyDependent.build(platform, REGION),
                    SignalingDeploymentDependent.build(platform, REGION),
                    SignalingServiceDependent.build(platform, REGION),
                    SignalingPdbDependent.build(platform, REGION),
                    SignalingNetworkPolicyDependent.build(platform, REGION));
        }
    }

    /** The Events of the start-up by type and reason: which transitions a new platform announces. */
    private static void eventsByReason(StringBuilder out, KubernetesClient client, int platforms) {
        Map<String, Integer> byReason = new java.util.TreeMap<>();
        Map<String, String> example = new java.util.HashMap<>();
        client.v1().events().inNamespace(NAMESPACE).list().getItems().forEach(e -> {
            byReason.merge(e.getType() + " " + e.getReason(), e.getCount() == null ? 1 : e.getCount(), Integer::sum);
            example.putIfAbsent(e.getType() + " " + e.getReason(), e.getMessage());
        });
        int total = byReason.values().stream().mapToInt(Integer::intValue).sum();
        line(out, "Events by type and reason after start-up: %d in all, %.1f per platform", total,
                total / (double) platforms);
        byReason.forEach((reason, n) -> line(out, "  %-32s %6d  e.g. %.120s", reason, n, example.get(reason)));
    }

    /** Each Event's count by name, in the benchmark's namespace. */
    private static Map<String, Integer> eventCounts(KubernetesClient client) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        client.v1().events().inNamespace(NAMESPACE).list().getItems().forEach(e -> counts.put(e.getMetadata().getName(),
                e.getCount() == null ? 1 : e.getCount()));
        return counts;
    }

    /** The Events created or counted up since {@code before}: what the steady state's Event writes were about. */
    private static void eventsWritten(StringBuilder out, KubernetesClient client, Map<String, Integer> before) {
        List<String> written = new ArrayList<>();
        for (var event : client.v1().events().inNamespace(NAMESPACE).list().getItems()) {
            int count = event.getCount() == null ? 1 : event.getCount();
            int was = before.getOrDefault(event.getMetadata().getName(), 0);
            if (count > was) {
                String message = event.getMessage() == null ? "" : event.getMessage();
                written.add(String.format(Locale.ROOT, "  %s %s %s x%d: %s", event.getInvolvedObject().getName(),
                        event.getType(), event.getReason(), count - was,
                        message.length() > 160 ? message.substring(0, 160) + "..." : message));
            }
        }
        line(out, "Events written at steady state: %d", written.size());
        written.stream().limit(20).forEach(w -> line(out, "%s", w));
    }

    /**
     * CPU seconds used by each process this program started (the operator, kube-apiserver, etcd, moto) and by this
     * program itself (the clients, the stand-in controllers), by command name.
     */
    record CpuTimes(Map<String, Double> seconds) {
        static CpuTimes now() {
            Map<String, Double> seconds = new java.util.TreeMap<>();
            ProcessHandle self = ProcessHandle.current();
            java.util.stream.Stream.concat(java.util.stream.Stream.of(self), self.descendants()).forEach(p -> {
                String command = p.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("?");
                String name = p.equals(self) ? "benchmark (clients, stand-ins)"
                        : p.info().arguments().map(a -> String.join(" ", a)).filter(a -> a.contains("quarkus-run.jar"))
                                .isPresent() ? "operator" : command;
                p.info().totalCpuDuration().ifPresent(d -> seconds.merge(name, d.toMillis() / 1000.0, Double::sum));
            });
            return new CpuTimes(seconds);
        }

        String since(CpuTimes earlier) {
            StringBuilder text = new StringBuilder();
            seconds.forEach((name, s) -> {
                double used = s - earlier.seconds().getOrDefault(name, 0.0);
                if (used >= 0.5) {
                    text.append(text.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.0f s", name,
                            used));
                }
            });
            return text.toString();
        }
    }

    static RealtimePlatform platform(String name, String zoneId) {
        RealtimePlatform platform = Platforms.typed(name, NAMESPACE, REGION);
        platform.getSpec().dns.hostedZoneId = zoneId;
        platform.getSpec().dns.recordName = name + ".scale.example.com";
        return platform;
    }

    private static void requestTable(StringBuilder out, String title, ApiServerRequests requests, double seconds) {
        Map<String, Double> counts = requests.counts();
        double writes = requests.writes().total();
        double reads = requests.total() - writes;
        line(out, "%s: %.0f writes (%.2f/s), %.0f reads (%.2f/s) in %.0f s", title, writes, writes / seconds, reads,
                reads / seconds, seconds);
        counts.forEach((k, v) -> line(out, "  %-8s %-50s %8.0f  %s", ApiServerRequests.isWrite(k) ? "write" : "read", k, v,
                k.endsWith("/status") && (k.contains("deployments") || k.contains("services")) ? "(stand-in controllers)"
                        : k.contains("leases") ? "(leader election; the API server's own identity lease)" : ""));
    }

    private static void awsTable(StringBuilder out, String title, FaultProxy proxy, double seconds) {
        if (proxy == null) {
            line(out, "%s: not measured (in-memory AWS)", title);
            return;
        }
        Map<String, Long> byAction = proxy.countsByAction();
        proxy.clearCalls();
        long total = byAction.values().stream().mapToLong(Long::longValue).sum();
        long writes = byAction.entrySet().stream().filter(e -> !isAwsRead(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        line(out, "%s: %d requests (%.2f/s), of which %d writes", title, total, total / seconds, writes);
        byAction.forEach((k, v) -> line(out, "  %-6s %-45s %8d", isAwsRead(k) ? "read" : "write", k, v));
    }

    static boolean isAwsRead(String action) {
        String verb = action.substring(action.indexOf(':') + 1);
        return verb.startsWith("Get") || verb.startsWith("List") || verb.startsWith("Describe") || verb.startsWith("Query")
                || verb.startsWith("Scan") || verb.startsWith("BatchGet");
    }

    /**
     * The operator JVM's resident set, its thread count, its live heap (the bytes of its live objects, jcmd's class
     * histogram) and that histogram's bytes by class.
     */
    record Memory(long rss, int threads, long heap, Map<String, Long> bytesByClass, Map<String, Long> nativeCommitted) {
        private static final Pattern HISTOGRAM_ROW = Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");
        /** A category of Native Memory Tracking's summary: "-  Java Heap (reserved=393216KB, committed=180224KB)". */
        private static final Pattern NMT_CATEGORY =
                Pattern.compile("(?m)^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

        static Memory of(OperatorProcess operator) throws IOException, InterruptedException {
            jcmd(operator, "GC.run");
            // The class histogram counts live objects only (after a full collection), whatever the collector.
            String histogram = jcmd(operator, "GC.class_histogram");
            Matcher total = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(histogram);
            long heap = total.find() ? Long.parseLong(total.group(1)) : 0;
            Map<String, Long> bytesByClass = new LinkedHashMap<>();
            Matcher row = HISTOGRAM_ROW.matcher(histogram);
            while (row.find()) {
                bytesByClass.merge(row.group(2), Long.parseLong(row.group(1)), Long::sum);
            }
            String status = Files.readString(Path.of("/proc", Long.toString(operator.pid()), "status"));
            Matcher rss = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(status);
            Matcher threads = Pattern.compile("Threads:\\s+(\\d+)").matcher(status);
            return new Memory(rss.find() ? Long.parseLong(rss.group(1)) * 1024 : 0,
                    threads.find() ? Integer.parseInt(threads.group(1)) : 0, heap, bytesByClass, nativeCommitted(operator));
        }

        /**
         * Where the operator's memory goes, by Native Memory Tracking's categories (committed bytes), when the
         * operator runs with it ({@code OPERATOR_JAVA_OPTIONS=-XX:NativeMemoryTracking=summary}); empty otherwise.
         */
        private static Map<String, Long> nativeCommitted(OperatorProcess operator)
                throws IOException, InterruptedException {
            String summary = jcmd(operator, "VM.native_memory", "summary");
            Map<String, Long> committed = new LinkedHashMap<>();
            Matcher category = NMT_CATEGORY.matcher(summary);
            while (category.find()) {
                committed.put(category.group(1).trim(), Long.parseLong(category.group(2)) * 1024);
            }
            return committed;
        }

        /** Runs a diagnostic command in the operator's JVM (this JDK's jcmd) and returns what it printed. */
        private static String jcmd(OperatorProcess operator, String... command) throws IOException, InterruptedException {
            List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd")
                    .toString(), Long.toString(operator.pid())));
            line.addAll(List.of(command));
            Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes());
            jcmd.waitFor();
            return output;
        }

        /** The Native Memory Tracking categories above 1 MB, largest first, and what the tracking does not see. */
        void nativeMemory(StringBuilder out, String when) {
            if (nativeCommitted.isEmpty()) {
                return;
            }
            long tracked = nativeCommitted.values().stream().mapToLong(Long::longValue).sum();
            line(out, "operator %s, Native Memory Tracking (committed MB; RSS minus all of them: %.1f MB, the C "
                    + "library's allocator and pages committed but not touched): %s", when, mb(rss - tracked),
                    nativeCommitted.entrySet().stream().filter(e -> e.getValue() >= 1 << 20)
                            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                            .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), mb(e.getValue())))
                            .collect(java.util.stream.Collectors.joining(", ")));
        }

        /** The classes whose live bytes grew most since {@code before}, per platform: where the heap per platform goes. */
        void growth(StringBuilder out, Memory before, int platforms, int rows) {
            line(out, "live heap growth by class, per platform (top %d):", rows);
            bytesByClass.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - before.bytesByClass.getOrDefault(e.getKey(), 0L)))
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(rows)
                    .forEach(e -> line(out, "  %-80s %8.1f KB", e.getKey(), e.getValue() / 1024.0 / platforms));
        }
    }

    /**
     * The two cluster components the bare control plane lacks, each writing only its status
     * subresource: the Deployment controller (every desired replica available) and the cloud's
     * load-balancer controller (an ingress address for each signaling Service).
     */
    static final class ClusterStandIns implements AutoCloseable {
        private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
        private final ExecutorService writer = Executors.newFixedThreadPool(4);

        static ClusterStandIns start(KubernetesClient client, String namespace) {
            ClusterStandIns standIns = new ClusterStandIns();
            AtomicLong addresses = new AtomicLong();
            standIns.informers.add(client.apps().deployments().inNamespace(namespace).inform(new OnChange<>(d -> {
                var s = d.getStatus();
                boolean available = s != null && d.getMetadata().getGeneration().equals(s.getObservedGeneration())
                        && d.getSpec().getReplicas().equals(s.getAvailableReplicas())
                        && d.getSpec().getReplicas().equals(s.getUpdatedReplicas());
                if (!available) {
                    standIns.writer.submit(() -> Platforms.markAvailable(client, namespace, d.getMetadata().getName()));
                }
            })));
            standIns.informers.add(client.services().inNamespace(namespace).inform(new OnChange<Service>(s -> {
                boolean signaling = s.getMetadata().getName().endsWith("-signaling");
                boolean hasAddress = s.getStatus() != null && s.getStatus().getLoadBalancer() != null
                        && !s.getStatus().getLoadBalancer().getIngress().isEmpty();
                if (signaling && !hasAddress) {
                    long n = addresses.incrementAndGet();
                    String ip = "198.18." + (n / 250) + "." + (1 + n % 250);
                    String platform = s.getMetadata().getName().substring(0, s.getMetadata().getName().length()
                            - "-signaling".length());
                    standIns.writer.submit(() -> Platforms.assignLoadBalancer(client, namespace, platform, ip));
                }
            })));
            return standIns;
        }

        @Override
        public void close() {
            informers.forEach(SharedIndexInformer::close);
            writer.shutdownNow();
        }
    }

    private record OnChange<T>(java.util.function.Consumer<T> action) implements ResourceEventHandler<T> {
        @Override
        public void onAdd(T obj) {
            action.accept(obj);
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
            action.accept(newObj);
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        }
    }


    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double mb(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
