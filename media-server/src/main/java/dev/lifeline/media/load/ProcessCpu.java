package dev.lifeline.media.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time a process used, from /proc (Linux): lets a benchmark say how much of a core the relay needed. */
final class ProcessCpu {

    private static final double CLOCK_TICKS_PER_SECOND = 100.0;
    private final long pid;

    ProcessCpu(long pid) {
        this.pid = pid;
    }

    /**
     * Seconds the process's threads spent runnable but waiting for a CPU (sum of schedstat
     * run_delay over its threads); -1 when unreadable. High values mean the process was starved by
     * other work on its core rather than limited by its own speed.
     */
    double waitingSeconds() {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            long nanos = 0;
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    nanos += Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[1]);
                } catch (IOException | RuntimeException threadGone) {
                    // threads come and go; a missing one just contributes nothing
                }
            }
            return nanos / 1e9;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** User + system CPU seconds so far; -1 when unreadable. */
    double seconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
