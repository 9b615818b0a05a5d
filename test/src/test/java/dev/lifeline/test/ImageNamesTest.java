package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.MediaServerSpec;
import dev.lifeline.test.harness.RepoPaths;

/**
 * The images scripts/build-images.sh builds are the images the install manifests, the samples and
 * the operator's default name: the archives are tagged {@code <images.registry>/<name>:<images.tag>}
 * from the parent pom, so a renamed tag or registry must be renamed everywhere at once.
 * (test/scripts/image-smoke.sh checks the archives themselves.)
 */
class ImageNamesTest {

    private static String pomProperty(String name) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(
                Files.readString(RepoPaths.root().resolve("pom.xml")));
        assertThat(m.find()).as("property %s in pom.xml", name).isTrue();
        return m.group(1).trim();
    }

    private static String image(String name) throws IOException {
        return pomProperty("images.registry") + "/" + name + ":" + pomProperty("images.tag");
    }

    private static List<String> imagesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(String::trim).filter(l -> l.startsWith("image:"))
                    .map(l -> l.substring("image:".length()).replaceAll("#.*", "").trim())
                    .collect(Collectors.toList());
        }
    }

    @Test
    void theOperatorDeploymentRunsTheBuiltOperatorImage() throws IOException {
        assertThat(imagesIn(RepoPaths.manifests())).containsExactly(image("operator"));
    }

    @Test
    void samplesAndTheOperatorsDefaultNameTheBuiltMediaServerImage() throws IOException {
        assertThat(imagesIn(RepoPaths.samples())).isNotEmpty().containsOnly(image("media-server"));
        assertThat(MediaServerSpec.DEFAULT_IMAGE).isEqualTo(image("media-server"));
    }

    @Test
    void theDockerfilesDocumentTheSameTags() throws IOException {
        assertThat(Files.readString(RepoPaths.root().resolve("operator/src/main/docker/Dockerfile.jvm")))
                .contains("-t " + image("operator"));
        assertThat(Files.readString(RepoPaths.root().resolve("media-server/src/main/docker/Dockerfile.jvm")))
                .contains("-t " + image("media-server"));
    }
}
