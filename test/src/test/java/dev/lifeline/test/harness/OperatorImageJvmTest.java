package dev.lifeline.test.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's JVM settings have one home, operator/pom.xml's Jib configuration: the tests' operators take them
 * from there (OperatorProcess), and the Dockerfile for users' own tools must state the same.
 */
class OperatorImageJvmTest {

    private static final Path DOCKERFILE = RepoPaths.root().resolve("operator/src/main/docker/Dockerfile.jvm");

    @Test
    void thePomGivesTheImagesMemorySettings() {
        OperatorImageJvm jvm = OperatorImageJvm.fromPom();

        assertThat(jvm.options()).contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:MaxHeapFreeRatio=20")
                .doesNotContain("java", "-jar");
        assertThat(jvm.environment()).containsEntry("MALLOC_ARENA_MAX", "2");
    }

    @Test
    void theDockerfileStartsTheJvmAsTheImageDoes() throws IOException {
        OperatorImageJvm jvm = OperatorImageJvm.fromPom();
        String dockerfile = Files.readString(DOCKERFILE);

        Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT \\[(.*)]$").matcher(dockerfile);
        assertThat(entrypoint.find()).as("an exec-form ENTRYPOINT in %s", DOCKERFILE).isTrue();
        List<String> args = new ArrayList<>();
        Matcher arg = Pattern.compile("\"([^\"]*)\"").matcher(entrypoint.group(1));
        while (arg.find()) {
            args.add(arg.group(1));
        }
        List<String> expected = new ArrayList<>(List.of("java"));
        expected.addAll(jvm.options());
        expected.addAll(List.of("-jar", "/app/quarkus-run.jar"));
        assertThat(args).isEqualTo(expected);
        jvm.environment().forEach((name, value) -> assertThat(dockerfile).contains("ENV " + name + "=" + value));
    }

    @Test
    void aPomWithoutAJavaEntrypointIsAClearError(@TempDir Path dir) throws IOException {
        Path pom = dir.resolve("pom.xml");
        Files.writeString(pom, """
                <project><build><plugins><plugin><artifactId>jib-maven-plugin</artifactId><configuration><container>
                <entrypoint><arg>/bin/sh</arg></entrypoint></container></configuration></plugin></plugins></build></project>
                """);

        assertThatThrownBy(() -> OperatorImageJvm.fromPom(pom)).hasMessageContaining("Cannot read")
                .rootCause().hasMessageContaining("not `java <options> -jar <jar>`");
    }
}
