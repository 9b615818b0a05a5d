package dev.lifeline.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * moto server (AWS emulator: DynamoDB, Route 53, ...) as a real process on a free loopback port.
 *
 * <p>Usage: {@code try (MotoServer moto = MotoServer.start()) { client.endpointOverride(moto.endpoint()) ... }}.
 * Any region and any non-empty static credentials work; moto keeps one backend per region and
 * account, so several simulated regions can share one server. {@link #shared()} gives one server
 * per JVM (started on first use, stopped at JVM exit) for suites that isolate by table or zone
 * name instead of paying the start-up per test class.
 *
 * <p>If {@code python3} cannot import moto, a venv is created under
 * {@code ~/.cache/lifeline/moto-venv} and {@value MotoPython#MOTO_REQUIREMENT} installed there.
 * Override the interpreter with {@code -Dlifeline.moto.python} or {@code LIFELINE_MOTO_PYTHON}.
 */
public final class MotoServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MotoServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final int START_ATTEMPTS = 3;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static MotoServer shared;

    private final Process process;
    private final String host;
    private final int port;
    private final Path log;

    private MotoServer(Process process, String host, int port, Path log) {
        this.process = process;
        this.host = host;
        this.port = port;
        this.log = log;
    }

    /** Starts a new moto server on 127.0.0.1 and waits until it answers HTTP. */
    public static MotoServer start() {
        return start("127.0.0.1");
    }

    /**
     * Starts a new moto server bound to {@code host} (an address of this machine, for clients
     * that cannot use loopback, such as pods of a real node: its node IP) and waits until it answers.
     * {@link #endpoint()} then names that address.
     */
    public static MotoServer start(String host) {
        return start(host, Map.of());
    }

    /**
     * Starts a new moto server on 127.0.0.1 whose global tables replicate item writes between regions
     * {@code delay} after they were made, settled last-writer-wins (see {@code lifeline_moto.py}): two regions
     * can then both pass a conditional write on one item, as with DynamoDB global tables.
     */
    public static MotoServer startWithReplicationDelay(Duration delay) {
        return start("127.0.0.1", Map.of("LIFELINE_MOTO_REPLICATION_SECONDS",
                Double.toString(delay.toMillis() / 1000.0)));
    }

    private static MotoServer start(String host, Map<String, String> environment) {
        String python = MotoPython.interpreter();
        Path launcher = extractLauncher();
        IllegalStateException last = null;
        // A free port can be taken between probing and binding; a fresh port on retry fixes that.
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startOnce(python, launcher, host, freeLoopbackPort(), environment);
            } catch (IllegalStateException e) {
                last = e;
                LOG.warn("moto server did not start (attempt {}/{}): {}", attempt, START_ATTEMPTS, e.getMessage());
            }
        }
        throw last;
    }

    /** One moto server for the whole JVM, started on first use and stopped when the JVM exits. */
    public static synchronized MotoServer shared() {
        if (shared == null || !shared.process.isAlive()) {
            // start() already registers a reaper hook that stops it at JVM exit.
            shared = start();
        }
        return shared;
    }

    private static MotoServer startOnce(String python, Path launcher, String host, int port,
            Map<String, String> environment) {
        Path log;
        Process process;
        try {
            log = Files.createTempFile("lifeline-moto-" + port + "-", ".log");
            ProcessBuilder builder = new ProcessBuilder(List.of(python, launcher.toString(),
                    "-H", host, "-p", Integer.toString(port)))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // Keep the emulator deterministic and offline, whatever the developer's shell exports.
            builder.environment().put("MOTO_PORT", Integer.toString(port));
            builder.environment().remove("AWS_PROFILE");
            builder.environment().put("PYTHONUNBUFFERED", "1");
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not launch moto with " + python + ": " + e.getMessage(), e);
        }
        MotoServer server = new MotoServer(process, host, port, log);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stopQuietly, "moto-server-" + port + "-reaper"));
        server.awaitAnswering();
        LOG.info("moto server {} answering on {} (log {})", process.pid(), server.endpoint(), log);
        return server;
    }

    private void awaitAnswering() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto exited with " + process.exitValue() + ": " + logTail());
            }
            if (answers()) {
                return;
            }
            try {
                // Polling an external process start-up; no event to wait on.
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("Interrupted while waiting for moto", e);
            }
        }
        stop();
        throw new IllegalStateException("moto did not answer within " + START_TIMEOUT + ": " + logTail());
    }

    private boolean answers() {
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint().resolve("/moto-api/data.json"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() < 500;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Base URI for the AWS SDK's {@code endpointOverride}. */
    public URI endpoint() {
        return URI.create("http://" + host + ":" + port);
    }

    public int port() {
        return port;
    }

    /** Path of the file that receives moto's stdout and stderr (request log, tracebacks). */
    public Path logFile() {
        return log;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Forgets every resource in every region (moto's reset API): a clean slate between tests. */
    public void reset() {
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint().resolve("/moto-api/reset"))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build();
            int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) {
                throw new IllegalStateException("moto reset answered " + status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the process (SIGTERM, then SIGKILL after 10 s). Idempotent. */
    public void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            // JVM is exiting; nothing useful to do with the failure.
        }
    }

    @Override
    public void close() {
        if (this != shared) {
            stop();
        }
    }

    private String logTail() {
        try {
            String text = Files.readString(log);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path extractLauncher() {
        try (InputStream in = Objects.requireNonNull(MotoServer.class.getResourceAsStream("lifeline_moto.py"),
                "lifeline_moto.py missing from the test kit")) {
            Path dir = Files.createTempDirectory("lifeline-moto-launcher");
            Path launcher = dir.resolve("lifeline_moto.py");
            Files.copy(in, launcher, StandardCopyOption.REPLACE_EXISTING);
            launcher.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return launcher;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not extract the moto launcher", e);
        }
    }
}
