package dev.lifeline.test.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Prometheus' own tools, built by {@code test/scripts/promtool.sh} (pinned, cached outside the
 * repository; the script is idempotent and prints where they are): {@code promtool} and
 * {@code promql-names} (test/tools/promql-names: the metric names an expression reads, from
 * Prometheus' PromQL parser).
 */
public final class Promtool {

    private static final Duration TIMEOUT = Duration.ofMinutes(10); // a cold build of promtool takes minutes

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
        Command.Result result = Command.runWithInput(RepoPaths.root(), TIMEOUT, stdin, command.toArray(String[]::new));
        return new Result(result.exitCode(), result.stdout(), result.stderr());
    }
}
