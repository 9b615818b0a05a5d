package dev.lifeline.test.harness;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locations inside the repository, whether run by Maven (system property) or from an IDE. */
public final class RepoPaths {

    private RepoPaths() {
    }

    public static Path root() {
        String configured = System.getProperty("lifeline.repo.root");
        if (configured != null && Files.isDirectory(Path.of(configured, "crds"))) {
            return Path.of(configured).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("crds"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("Cannot find the repository root (a directory with crds/); set -Dlifeline.repo.root");
        }
        return dir;
    }

    public static Path crds() {
        return root().resolve("crds");
    }

    public static Path samples() {
        return root().resolve("samples");
    }

    public static Path deploy() {
        return root().resolve("deploy");
    }

    /** The raw manifests (also the kustomize base): {@code kubectl apply -f crds/ -f deploy/manifests/}. */
    public static Path manifests() {
        return deploy().resolve("manifests");
    }

    /** Where harness processes write their logs and kubeconfigs (ignored by git). */
    public static Path workDir() {
        Path dir = root().resolve("test/target/harness");
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }
}
