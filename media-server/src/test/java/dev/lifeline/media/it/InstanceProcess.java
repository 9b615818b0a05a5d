package dev.lifeline.media.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * A media-server instance as a real process ({@code java -jar target/quarkus-app/quarkus-run.jar}),
 * the way the container runs it, so SIGKILL and SIGTERM are the real thing.
 */
final class InstanceProcess implements AutoCloseable {

    static final String TOKEN_SECRET = "it-token-secret-0123456789";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    final String instanceId;
    final int httpPort;
    final int udpPort;
    final Process process;
    final Path log;

    private InstanceProcess(String instanceId, int httpPort, int udpPort, Process process, Path log) {
        this.instanceId = instanceId;
        this.httpPort = httpPort;
        this.udpPort = udpPort;
        this.process = process;
        this.log = log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    static InstanceProcess start(String role, String instanceId, String region, URI dynamoEndpoint, String table,
                                 Map<String, String> extraEnv) {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: integration tests run after package");
        }
        // A caller that must know the port in advance (other instances name it) passes LIFELINE_HTTP_PORT.
        int httpPort = extraEnv.containsKey("LIFELINE_HTTP_PORT") ? Integer.parseInt(extraEnv.get("LIFELINE_HTTP_PORT"))
                : freeTcpPort();
        int udpPort = freeUdpPort();
        Path log = Path.of("target", "it-logs", instanceId + ".log");
        try {
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx256m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.put("LIFELINE_ROLE", role);
            env.put("LIFELINE_INSTANCE_ID", instanceId);
            env.put("LIFELINE_REGION", region);
            env.put("LIFELINE_SESSION_TABLE", table);
            env.put("LIFELINE_DYNAMODB_ENDPOINT", dynamoEndpoint.toString());
            env.put("LIFELINE_TOKEN_SECRET", TOKEN_SECRET);
            env.put("LIFELINE_HTTP_PORT", Integer.toString(httpPort));
            env.put("LIFELINE_MEDIA_UDP_PORT", Integer.toString(udpPort));
            env.put("LIFELINE_MEDIA_THREADS", "1");
            env.put("LIFELINE_DRAIN_DEADLINE", "30s");
            env.put("AWS_ACCESS_KEY_ID", "test");
            env.put("AWS_SECRET_ACCESS_KEY", "test");
            env.putAll(extraEnv);
            return new InstanceProcess(instanceId, httpPort, udpPort, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    InstanceProcess awaitReady() {
        Awaitility.await(instanceId + " ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(instanceId + " exited; see " + log.toAbsolutePath() + ":\n"
                                + Files.readString(log));
                    }
                    return httpStatus("GET", "/q/health/ready") == 200;
                });
        return this;
    }

    URI signalingUri() {
        return URI.create("ws://127.0.0.1:" + httpPort + "/signal");
    }

    int httpStatus(String method, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .timeout(Duration.ofSeconds(2)).method(method, HttpRequest.BodyPublishers.noBody()).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGKILL: no drain, no goodbye, like an OOM kill or a lost node. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: the process keeps its sockets but answers nothing, like a relay frozen by its host. */
    void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    void unpause() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            int exit = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM: what Kubernetes sends first. */
    void terminate() {
        process.destroy();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            // SIGKILL reaches a stopped process too.
            kill();
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freeTcpPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freeUdpPort() {
        try (DatagramSocket socket = new DatagramSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
