package dev.lifeline.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a Python interpreter that can import moto's server, installing {@code moto[server]} into
 * a cached virtual environment outside the repository when none can. Tests must pass on a
 * brand-new machine, so the harness provisions its own emulator rather than trusting a manual
 * install.
 */
final class MotoPython {

    /** Pinned so every machine runs the emulator the tests were written against. */
    static final String MOTO_REQUIREMENT = "moto[server]==5.2.1";

    private static final Logger LOG = LoggerFactory.getLogger(MotoPython.class);
    private static final String IMPORT_CHECK = "import moto, moto.server, flask, flask_cors";

    private MotoPython() {
    }

    /** The interpreter to run moto with, provisioning a venv on first use if needed. */
    static synchronized String interpreter() {
        String configured = configured();
        if (configured != null) {
            if (!canImportMoto(configured)) {
                throw new IllegalStateException("Configured Python " + configured + " cannot import moto's server ("
                        + MOTO_REQUIREMENT + ")");
            }
            return configured;
        }
        if (canImportMoto("python3")) {
            return "python3";
        }
        return provisionedVenv();
    }

    private static String configured() {
        String fromProperty = System.getProperty("lifeline.moto.python");
        if (fromProperty != null && !fromProperty.isBlank()) {
            return fromProperty;
        }
        String fromEnv = System.getenv("LIFELINE_MOTO_PYTHON");
        return fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
    }

    static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg == null || xdg.isBlank() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdg);
        return base.resolve("lifeline");
    }

    private static String provisionedVenv() {
        Path venv = cacheDir().resolve("moto-venv");
        String python = venv.resolve("bin").resolve("python").toString();
        try {
            Files.createDirectories(cacheDir());
            // Several test JVMs (one per module) may start at once: one installs, the others wait.
            try (FileChannel channel = FileChannel.open(cacheDir().resolve("moto-venv.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                if (Files.isExecutable(Path.of(python)) && canImportMoto(python)) {
                    return python;
                }
                LOG.info("moto is not importable; installing {} into {}", MOTO_REQUIREMENT, venv);
                run(List.of("python3", "-m", "venv", "--clear", venv.toString()), 300);
                run(List.of(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        MOTO_REQUIREMENT), 900);
                if (!canImportMoto(python)) {
                    throw new IllegalStateException("Installed " + MOTO_REQUIREMENT + " into " + venv
                            + " but it still cannot be imported");
                }
                return python;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not provision moto in " + venv, e);
        }
    }

    static boolean canImportMoto(String python) {
        try {
            Process process = new ProcessBuilder(python, "-c", IMPORT_CHECK)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void run(List<String> command, long timeoutSeconds) throws IOException {
        Path log = Files.createTempFile("lifeline-moto-install", ".log");
        Process process = new ProcessBuilder(new ArrayList<>(command))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out: " + String.join(" ", command) + " (log " + log + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("Interrupted: " + String.join(" ", command), e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("Failed (exit " + process.exitValue() + "): " + String.join(" ", command)
                    + "\n" + Files.readString(log));
        }
    }
}
