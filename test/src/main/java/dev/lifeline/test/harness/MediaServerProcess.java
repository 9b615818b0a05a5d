package dev.lifeline.test.harness;

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

/**
 * The packaged media server ({@code media-server/target/quarkus-app/quarkus-run.jar}) as a process on this machine,
 * in the role and with the settings given (for multi-region tests: the settings the region's operator wrote into
 * its ConfigMap, plus where this process listens). Ready when {@code /q/health/ready} answers 200; {@link #kill()}
 * is a SIGKILL.
 */
public final class MediaServerProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final ComponentProcess process;

    private MediaServerProcess(ComponentProcess process) {
        this.process = process;
    }

    /**
     * Starts {@code name} with {@code environment} (LIFELINE_... and QUARKUS_... variables; it must name the HTTP
     * host and port, {@code QUARKUS_HTTP_HOST} and {@code LIFELINE_HTTP_PORT}) and waits until it is ready.
     */
    public static MediaServerProcess start(String name, Map<String, String> environment) {
        Path jar = RepoPaths.root().resolve("media-server/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The media server is not packaged: " + jar + " is missing. Run ./mvnw -DskipTests install first.");
        }
        // The command line carries the environment (env K=V ...), so that a restart keeps it.
        List<String> command = new ArrayList<>(List.of("env"));
        environment.forEach((k, v) -> command.add(k + "=" + v));
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx192m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        URI ready = URI.create("http://" + environment.get("QUARKUS_HTTP_HOST") + ":" + environment.get("LIFELINE_HTTP_PORT")
                + "/q/health/ready");
        ComponentProcess process = new ComponentProcess("media-server-" + name, command, () -> answers(ready));
        return new MediaServerProcess(process.start());
    }

    private static boolean answers(URI ready) {
        try {
            return HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts it again after {@link #kill()}, with the same command line, and waits until it is ready. */
    public void start() {
        process.start();
    }

    /** SIGKILL: no drain, no goodbye. */
    public void kill() {
        process.kill();
    }

    public Path log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }
}
