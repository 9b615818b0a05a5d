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
