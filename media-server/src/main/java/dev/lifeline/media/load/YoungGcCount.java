package dev.lifeline.media.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Young collections another JVM has done so far, read with the JDK's {@code jstat -gc} (its
 * {@code YGC} column): lets the relay benchmark show that the relay made no garbage during a run.
 */
final class YoungGcCount {

    private final long pid;

    YoungGcCount(long pid) {
        this.pid = pid;
    }

    /** The count, or -1 when the process is not a JVM jstat can read. */
    long now() {
        try {
            Process jstat = new ProcessBuilder("jstat", "-gc", Long.toString(pid)).redirectErrorStream(true).start();
            List<String> lines = new String(jstat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            if (jstat.waitFor() != 0 || lines.size() < 2) {
                return -1;
            }
            int column = Arrays.asList(lines.get(0).trim().split("\\s+")).indexOf("YGC");
            return column < 0 ? -1 : Long.parseLong(lines.get(1).trim().split("\\s+")[column]);
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
