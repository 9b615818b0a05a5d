package dev.lifeline.test.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus' own tools, built by {@code test/scripts/promtool.sh} (pinned, cached outside the
 * repository; the script is idempotent and prints where they are): {@code promtool} and
 * {@code promql-names} (test/tools/promql-names: the metric names an expression reads, from
 * Prometheus' PromQL parser).
 */
public final class Promtool {

    private static final long TIMEOUT_SECONDS = 600; // a cold build of promtool takes minutes

    private final Path bin;

    private Promtool(Path bin) {
        this.bin = bin;
    }

    /** Runs test/scripts/promtool.sh (builds on first use, then only checks the cache). */
    public static Promtool provide() {
        Result provided = run(List.of(RepoPaths.root().resolve("test/scripts/promtool.sh").toString()), "");
        if (provided.exit() != 0) {
            throw new IllegalStateException("test/scripts/promtool.sh failed: " + provided.stderr());
        }
        return new Promtool(Path.of(provided.stdout().strip()));
    }

    /** {@code promtool args...}. */
    public Result promtool(String... args) {
        List<String> command = new ArrayList<>(List.of(bin.resolve("promtool").toString()));
        command.addAll(List.of(args));
        return run(command, "");
    }

    /** {@code promql-names} with a JSON array of expressions on stdin; its JSON answer. */
    public Result promqlNames(String expressionsJson) {
        return run(List.of(bin.resolve("promql-names").toString()), expressionsJson);
    }

    /** What a tool printed and how it exited. */
    public record Result(int exit, String stdout, String stderr) {
        public String output() {
            return stdout + stderr;
        }
    }

    private static Result run(List<String> command, String stdin) {
        try {
            Process process = new ProcessBuilder(command).start();
            // Both streams read at once: a full pipe would block the tool.
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process, false));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process, true));
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(Process process, boolean stderr) {
        try {
            return new String((stderr ? process.getErrorStream() : process.getInputStream()).readAllBytes(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
