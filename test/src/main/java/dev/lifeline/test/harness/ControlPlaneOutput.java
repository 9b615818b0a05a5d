package dev.lifeline.test.harness;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The last lines etcd and kube-apiserver printed, of every control plane in this JVM.
 *
 * <p>kube-api-test forwards both processes' output to debug-level loggers that nobody sees; when a
 * control plane does not start, its own output is the only way to learn why (a port taken, etcd
 * slow to elect itself). This keeps a bounded tail of it to put into the failure message.
 */
final class ControlPlaneOutput extends Handler {

    /** The loggers kube-api-test writes process output to (KubeAPIServerProcess, EtcdProcess). */
    private static final List<String> PROCESS_LOGGERS = List.of(
            "io.fabric8.kubeapitest.process.KubeAPIServerProcess.APIServerProcessLogs",
            "io.fabric8.kubeapitest.process.EtcdProcess.EtcdProcessLogs");
    private static final int LINES_KEPT = 80;
    private static final ControlPlaneOutput INSTANCE = new ControlPlaneOutput();
    // Held so the configured loggers are not garbage-collected with their level and handler.
    private static final List<Logger> LOGGERS = PROCESS_LOGGERS.stream().map(Logger::getLogger).toList();

    static {
        for (Logger logger : LOGGERS) {
            logger.setLevel(Level.FINE);
            // Debug output stays off the console, as it was; only this tail keeps it.
            logger.setUseParentHandlers(false);
            logger.addHandler(INSTANCE);
        }
    }

    private final Deque<String> lines = new ArrayDeque<>();

    private ControlPlaneOutput() {
    }

    /** Starts collecting (idempotent). */
    static void capture() {
        // Loading the class installs the handler.
    }

    /** The tail collected so far, oldest line first. */
    static String tail() {
        synchronized (INSTANCE.lines) {
            return String.join("\n", INSTANCE.lines);
        }
    }

    @Override
    public void publish(LogRecord record) {
        synchronized (lines) {
            if (lines.size() == LINES_KEPT) {
                lines.removeFirst();
            }
            lines.addLast(record.getLoggerName().endsWith("EtcdProcessLogs") ? "etcd: " + record.getMessage()
                    : "kube-apiserver: " + record.getMessage());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
