package dev.lifeline.test.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command-line tool (helm, kubectl kustomize, promtool) to completion and keeps what it printed. */
public final class Command {

    /** Exit code and everything printed: stdout and stderr kept apart, since YAML goes to stdout. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {

        public boolean succeeded() {
            return exitCode == 0;
        }

        /** stdout of a command that must succeed; otherwise fails with what it printed. */
        public String output() {
            if (!succeeded()) {
                throw new AssertionError(String.join(" ", command) + " exited " + exitCode + ":\n" + stderr + stdout);
            }
            return stdout;
        }
    }

    private Command() {
    }

    public static Result run(Path workDir, Duration timeout, String... command) {
        return runWithInput(workDir, timeout, "", command);
    }

    /** As {@link #run(Path, Duration, String...)}, with {@code stdin} written to the tool's standard input. */
    public static Result runWithInput(Path workDir, Duration timeout, String stdin, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process, false));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process, true));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(List.of(command), process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command[0], e);
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
