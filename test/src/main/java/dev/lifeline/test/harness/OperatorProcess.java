package dev.lifeline.test.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The operator as users run it: the packaged Quarkus application in its own JVM (prod profile,
 * leader election on), talking to a control plane through a kubeconfig file.
 */
public final class OperatorProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorProcess.class);
    /**
     * One client for every call to every operator: a client per call leaves a connection, a selector thread and its
     * descriptors behind until a collection (a test polling every 100 ms for two minutes made 1,200 of each).
     * HTTP/1.1, as the kubelet and Prometheus call the operator: no h2c upgrade on each new connection.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** A request's timeout covers the answer's headers only; this bounds the whole call, body included. */
    private static final Duration CALL_LIMIT = Duration.ofSeconds(20);
    /** How the image starts the JVM (operator/pom.xml's Jib entrypoint and environment). */
    private static final OperatorImageJvm IMAGE_JVM = OperatorImageJvm.fromPom();
    public static final String OPERATOR_NAMESPACE = "lifeline-system";
    /** The leader-election Lease the replicas of one operator share (lifeline.lease-name, default). */
    public static final String LEASE_NAME = "lifeline-operator";
    /** The operator's in-memory session store and DNS: for tests and local runs that need no AWS. */
    public static final Map<String, String> WITHOUT_AWS = Map.of(
            "LIFELINE_DNS_PROVIDER", "inmemory",
            "LIFELINE_SESSION_STORE_PROVIDER", "inmemory");

    private final Process process;
    private final String identity;
    private final int httpPort;
    private final Path log;
    private final Path kubeconfig;
    private String adminToken;

    private OperatorProcess(Process process, String identity, int httpPort, Path log, Path kubeconfig) {
        this.process = process;
        this.identity = identity;
        this.httpPort = httpPort;
        this.log = log;
        this.kubeconfig = kubeconfig;
    }

    /**
     * The operator's AWS settings for an emulator at {@code endpoint} (moto): DynamoDB for the session
     * store, the endpoint override, dummy credentials; Route 53 or the in-memory DNS as {@code dnsProvider} says.
     */
    public static Map<String, String> awsEmulator(java.net.URI endpoint, String dnsProvider) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LIFELINE_DNS_PROVIDER", dnsProvider);
        env.put("LIFELINE_SESSION_STORE_PROVIDER", "dynamodb");
        env.put("LIFELINE_AWS_ENDPOINT_OVERRIDE", endpoint.toString());
        env.put("AWS_ACCESS_KEY_ID", "lifeline-test");
        env.put("AWS_SECRET_ACCESS_KEY", "lifeline-test");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        return env;
    }

    public static Path applicationJar() {
        Path jar = RepoPaths.root().resolve("operator/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The operator is not packaged: " + jar
                    + " is missing. Run ./mvnw -DskipTests install first.");
        }
        return jar;
    }

    /**
     * Starts the operator for {@code region} against the given kubeconfig and waits until it is ready (a standby
     * replica is ready too: it has its caches, and waits for the Lease). Its identity in the leader-election Lease
     * is {@code name}.
     */
    public static OperatorProcess start(String name, Path kubeconfig, String region, Map<String, String> extraEnv) {
        int port = freePort();
        Path log = RepoPaths.workDir().resolve("operator-" + name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // As the image runs under its 512Mi limit (deploy/manifests): the JVM sizes its heap from that memory (an
        // initial heap of 1/64 of it, not of this machine's), with the image's own options and environment.
        command.add("-XX:MaxRAM=512m");
        command.addAll(IMAGE_JVM.options());
        command.add("-jar");
        command.add(applicationJar().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = new LinkedHashMap<>(IMAGE_JVM.environment());
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("LIFELINE_REGION", region);
        env.put("LIFELINE_OPERATOR_NAMESPACE", OPERATOR_NAMESPACE);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("LIFELINE_LEADER_ELECTION_IDENTITY", name);
        env.putAll(extraEnv);
        builder.environment().putAll(env);
        try {
            OperatorProcess operator = new OperatorProcess(builder.start(), name, port, log, kubeconfig);
            LOG.info("Operator '{}' for region {} starting (http port {}, log {})", name, region, port, log);
            operator.awaitReady();
            return operator;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        Awaitility.await("operator ready (log: " + log + ")")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .failFast("operator process exited; see " + log, () -> !process.isAlive())
                .ignoreExceptions()
                .until(() -> HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /**
     * GET on the operator's HTTP port (REST API, metrics); fails unless the answer is 200. Calls to
     * the REST API carry the token of a cluster-admin ServiceAccount ({@link #adminToken()}).
     */
    public String get(String path) {
        HttpResponse<String> response = request("GET", path, apiToken(path));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** POST without a body on the operator's HTTP port, as {@link #get}; the answer, whatever its status. */
    public HttpResponse<String> post(String path) {
        return request("POST", path, apiToken(path));
    }

    /** A call without a body on the operator's HTTP port with the given bearer token (null: none). */
    public HttpResponse<String> request(String method, String path, String bearerToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return send(request);
    }

    private String apiToken(String path) {
        return path.startsWith("/api/") ? adminToken() : null;
    }

    /**
     * A token the REST API accepts for everything: a ServiceAccount bound to cluster-admin,
     * created through this operator's kubeconfig on first use (which must be an admin's).
     */
    public synchronized String adminToken() {
        if (adminToken == null) {
            try (KubernetesClient admin = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build()) {
                adminToken = ApiTokens.clusterAdmin(admin);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return adminToken;
    }

    /** The base URL of the operator's HTTP port (REST API, status page, probes, metrics). */
    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    private URI uri(String path) {
        return URI.create(baseUrl() + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest call = request.timeout(Duration.ofSeconds(10)).build();
        try {
            return HTTP.sendAsync(call, HttpResponse.BodyHandlers.ofString())
                    .get(CALL_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? new UncheckedIOException(io)
                    : new IllegalStateException(call.method() + " " + call.uri() + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(call.method() + " " + call.uri() + " got no whole answer in " + CALL_LIMIT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The operator JVM's process id (for its RSS, or jcmd). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** This replica's name in the leader-election Lease ({@code holderIdentity}). */
    public String identity() {
        return identity;
    }

    /** Kills the JVM at once (SIGKILL), as a crash or an OOM kill would: nothing runs on the way out. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /**
     * Asks the JVM to stop (SIGTERM), as the kubelet does in a rolling update, and waits up to {@code grace} for it
     * to exit; true when it did (a kubelet would SIGKILL it after its grace period).
     */
    public boolean terminate(Duration grace) {
        process.destroy();
        return awaitExit(grace);
    }

    private boolean awaitExit(Duration grace) {
        try {
            return process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int httpPort() {
        return httpPort;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
