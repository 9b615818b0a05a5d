package dev.lifeline.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.crdv2.generator.CRDGenerator;

/**
 * The CRD committed under crds/ must be exactly what the Java model generates. To regenerate
 * after changing the model: {@code ./mvnw -pl operator test -Dtest=CrdDriftTest -Dlifeline.crd.update=true}.
 */
class CrdDriftTest {

    static final String CRD_FILE = RealtimePlatform.CRD_NAME + "-v1.yml";

    @Test
    void committedCrdMatchesTheJavaModel(@TempDir Path out) throws IOException {
        new CRDGenerator()
                .customResourceClasses(RealtimePlatform.class)
                .forCRDVersions("v1")
                .withParallelGenerationEnabled(false)
                .withPostProcessor(new CrdPolish())
                .inOutputDir(out.toFile())
                .generate();
        String generated = Files.readString(out.resolve(CRD_FILE));
        Path committed = committedCrd();

        if (Boolean.getBoolean("lifeline.crd.update")) {
            Files.writeString(committed, generated);
        }
        assertThat(committed).exists();
        assertThat(Files.readString(committed))
                .as("crds/%s differs from the CRD generated from the Java model; regenerate it with "
                        + "-Dlifeline.crd.update=true and commit it", CRD_FILE)
                .isEqualTo(generated);
    }

    static Path committedCrd() {
        // Surefire runs with the module directory as working directory.
        return Path.of("..", "crds", CRD_FILE).toAbsolutePath().normalize();
    }
}
