package dev.lifeline.test.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One control-plane component (kube-controller-manager, kube-scheduler, kwok) as a child process
 * on loopback: a fixed command line (so a restart keeps its port), a log file under
 * {@link RepoPaths#workDir()}, and a health endpoint that {@link #start()} waits for.
 * {@link #stop()} and {@link #start()} may be called again, for failure scenarios.
 */
public final class ComponentProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ComponentProcess.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    /** Children still running when the JVM exits (a failed or killed test run) are killed with it. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "component-process-reaper"));
    }

    private final String name;
    private final List<String> command;
    private final URI health;
    private final java.util.function.BooleanSupplier readiness;
    private final Path log;
    private Process process;
    private boolean startedOnce;

    ComponentProcess(String name, List<String> command, URI health) {
        this(name, command, health, null);
    }

    /** A process without a health endpoint: {@code readiness} says when it is up (for example, its socket answers). */
    ComponentProcess(String name, List<String> command, java.util.function.BooleanSupplier readiness) {
        this(name, command, null, readiness);
    }

    private ComponentProcess(String name, List<String> command, URI health, java.util.function.BooleanSupplier readiness) {
        this.name = name;
        this.command = List.copyOf(command);
        this.health = health;
        this.readiness = readiness;
        this.log = RepoPaths.workDir().resolve(name + ".log");
    }

    /** Starts the process (a no-op while it runs) and waits until its health endpoint answers 200 "ok". */
    public synchronized ComponentProcess start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        try {
            // The first start of a run truncates the log; restarts append, so the log tells the whole story.
            ProcessBuilder.Redirect output = startedOnce ? ProcessBuilder.Redirect.appendTo(log.toFile())
                    : ProcessBuilder.Redirect.to(log.toFile());
            startedOnce = true;
            Process started = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start();
            process = started;
            LIVE.add(started);
            started.onExit().thenRun(() -> LIVE.remove(started));
            LOG.info("{} starting (pid {}, health {}, log {})", name, started.pid(), health, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
        Process current = process;
        Awaitility.await(name + " healthy at " + (health != null ? health : "its socket") + " (log: " + log + ")")
                .atMost(STARTUP_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .failFast(name + " exited during startup; see " + log, () -> !current.isAlive())
                .until(this::healthy);
        return this;
    }

    /** Stops the process: SIGTERM, then SIGKILL after 10 s. */
    public synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        LOG.info("{} stopped", name);
    }

    /** Kills the process at once (SIGKILL), as a crash would. */
    public synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.info("{} killed", name);
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public String name() {
        return name;
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

    /** True when the health endpoint answers 200 with body "ok". */
    public boolean healthy() {
        if (readiness != null) {
            return readiness.getAsBoolean();
        }
        try {
            HttpURLConnection connection = (HttpURLConnection) health.toURL().openConnection();
            if (connection instanceof HttpsURLConnection https) {
                // The component serves a self-signed certificate it made at startup; this is a loopback probe.
                https.setSSLSocketFactory(TRUST_ALL);
                https.setHostnameVerifier((host, session) -> true);
            }
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            try {
                return connection.getResponseCode() == 200
                        && new String(connection.getInputStream().readAllBytes()).trim().equals("ok");
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return name;
    }

    private static final SSLSocketFactory TRUST_ALL = trustAll();

    private static SSLSocketFactory trustAll() {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] { trustAll }, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
