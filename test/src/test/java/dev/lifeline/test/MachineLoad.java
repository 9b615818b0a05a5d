package dev.lifeline.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the benchmarks print about how the machine's CPU was shared: its load average when they finish. */
final class MachineLoad {

    private MachineLoad() {
    }

    /** The kernel's load averages line ({@code /proc/loadavg}), or "unknown" where there is none. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
