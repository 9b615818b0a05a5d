package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.lifeline.test.harness.Command;
import dev.lifeline.test.harness.ControlPlane;
import dev.lifeline.test.harness.RepoPaths;

/**
 * The three ways to install the operator give the same objects: the raw manifests
 * ({@code kubectl apply -f crds/ -f deploy/manifests/}), the kustomize overlays of
 * {@code deploy/kustomize/<region>/} and the Helm chart {@code deploy/helm/lifeline/}, rendered by the
 * real {@code helm} (test/scripts/helm.sh) and {@code kubectl kustomize}. Then each rendering is applied
 * to a real kube-apiserver with server-side dry run, so the API server's own validation judges it.
 *
 * <p>Equivalent means equal after parsing (comments, quoting, flow style and how a number is written
 * do not count) and after this normalisation, and nothing else: the labels Helm adds ({@link #HELM_LABELS}) are removed, and
 * the Namespace object is compared only between raw and kustomize (Helm creates the namespace itself:
 * {@code helm install -n lifeline-system --create-namespace}).
 */
class HelmChartIT {

    /** Labels only the chart sets: the release's bookkeeping, not a difference in what runs. */
    static final Set<String> HELM_LABELS = Set.of("helm.sh/chart", "app.kubernetes.io/managed-by",
            "app.kubernetes.io/instance", "app.kubernetes.io/version");
    static final String NAMESPACE = "lifeline-system";
    static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final YAMLMapper YAML = new YAMLMapper();

    private static Path helm;
    private static ControlPlane plane;

    @BeforeAll
    static void tools() {
        helm = helmBinary();
        plane = ControlPlane.start("helm");
        plane.createNamespace(NAMESPACE);
    }

    @AfterAll
    static void stop() {
        if (plane != null) {
            plane.close();
        }
    }

    /** The regions that have an overlay. */
    static Stream<String> regions() throws IOException {
        try (Stream<Path> dirs = Files.list(RepoPaths.deploy().resolve("kustomize"))) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    static String roleArn(String region) {
        return "arn:aws:iam::111122223333:role/lifeline-operator-" + region;
    }

    @Test
    void helmLintPassesStrictly() {
        String out = helm("lint", "--strict", chart().toString(), "--set", "region=eu-west-1").output();
        assertThat(out).contains("0 chart(s) failed");
    }

    @Test
    void badValuesAreRejectedWithAMessageThatSaysWhatToFix() {
        assertThat(template().stderr()).as("no region").contains("region is required");
        assertThat(template("--set", "region=Europe").stderr()).contains("/region", "does not match pattern");
        assertThat(template("--set", "region=eu-west-1", "--set", "replica=3").stderr())
                .as("a typo in a key").contains("additional properties 'replica' not allowed");
        assertThat(template("--set", "region=eu-west-1", "--set", "replicas=0").stderr())
                .contains("/replicas", "minimum");
        assertThat(template("--set", "region=eu-west-1", "--set", "aws.roleArn=lifeline").stderr())
                .contains("/aws/roleArn", "does not match pattern");
        assertThat(template("--set", "region=eu-west-1", "--set", "mediaServer.aws.roleArn=media").stderr())
                .contains("/mediaServer/aws/roleArn", "does not match pattern");
        assertThat(template("--set", "region=eu-west-1", "--set", "image.pullPolicy=Sometimes").stderr())
                .contains("/image/pullPolicy");
        assertThat(template("--set", "region=eu-west-1", "--set", "service.enabled=false",
                "--set", "serviceMonitor.enabled=true").stderr()).contains("serviceMonitor.enabled needs service.enabled");
    }

    @Test
    void chartWithDefaultValuesEqualsTheRawManifests() {
        Map<String, Object> chart = objects(template("--include-crds", "--set", "region=us-east-1").output());
        Map<String, Object> raw = new TreeMap<>();
        Stream.concat(ControlPlane.yamlFiles(RepoPaths.crds()).stream(),
                ControlPlane.yamlFiles(RepoPaths.manifests()).stream()).forEach(f -> raw.putAll(objects(read(f))));
        raw.remove("Namespace//" + NAMESPACE);

        assertThat(chart.keySet()).containsExactlyInAnyOrderElementsOf(raw.keySet());
        raw.forEach((key, object) -> assertThat(chart.get(key)).as(key).isEqualTo(object));
    }

    @Test
    void kustomizeBaseIsTheRawManifests() {
        Map<String, Object> base = objects(kustomize(RepoPaths.manifests()));
        Map<String, Object> raw = new TreeMap<>();
        Stream.concat(ControlPlane.yamlFiles(RepoPaths.crds()).stream(),
                ControlPlane.yamlFiles(RepoPaths.manifests()).stream()).forEach(f -> raw.putAll(objects(read(f))));
        assertThat(base).as("every file in deploy/manifests/ listed in its Kustomization").isEqualTo(raw);
    }

    @ParameterizedTest
    @MethodSource("regions")
    void eachRegionOverlayEqualsTheChartWithThatRegion(String region) {
        Map<String, Object> overlay = objects(kustomize(RepoPaths.deploy().resolve("kustomize").resolve(region)));
        Map<String, Object> chart = objects(template("--include-crds", "--set", "region=" + region,
                "--set", "aws.roleArn=" + roleArn(region)).output());
        assertThat(overlay.remove("Namespace//" + NAMESPACE)).isNotNull();

        assertThat(chart).isEqualTo(overlay);
        assertThat(JSON.valueToTree(chart.get("Deployment/" + NAMESPACE + "/lifeline-operator")).toString())
                .contains("{\"name\":\"LIFELINE_REGION\",\"value\":\"" + region + "\"}");
        assertThat(JSON.valueToTree(chart.get("ServiceAccount/" + NAMESPACE + "/lifeline-operator")).toString())
                .contains("\"eks.amazonaws.com/role-arn\":\"" + roleArn(region) + "\"");
    }

    @Test
    void mediaServerRoleReachesTheOperatorWhichAnnotatesEachPlatformsServiceAccount() {
        String media = "arn:aws:iam::111122223333:role/lifeline-media-server";
        Map<String, Object> chart = objects(template("--set", "region=eu-west-1", "--set", "mediaServer.aws.roleArn=" + media)
                .output());
        assertThat(JSON.valueToTree(chart.get("Deployment/" + NAMESPACE + "/lifeline-operator")).toString())
                .contains("{\"name\":\"LIFELINE_WORKLOAD_ROLE_ARN\",\"value\":\"" + media + "\"}");
        assertThat(JSON.valueToTree(chart.get("ServiceAccount/" + NAMESPACE + "/lifeline-operator")).toString())
                .as("the operator's own identity stays separate").doesNotContain(media);
    }

    @Test
    void optionalPartsFollowTheirToggles() {
        Map<String, Object> all = objects(template("--set", "region=eu-west-1", "--set", "serviceMonitor.enabled=true",
                "--set", "serviceMonitor.labels.release=kube-prometheus-stack").output());
        assertThat(JSON.valueToTree(all.get("ServiceMonitor/" + NAMESPACE + "/lifeline-operator")).toString())
                .contains("\"release\":\"kube-prometheus-stack\"", "\"port\":\"http\"", "\"path\":\"/q/metrics\"");
        Map<String, Object> minimal = objects(template("--set", "region=eu-west-1", "--set", "replicas=1",
                "--set", "service.enabled=false", "--set", "networkPolicy.enabled=false").output());
        assertThat(minimal.keySet()).noneMatch(k -> k.startsWith("Service/") || k.startsWith("NetworkPolicy/")
                || k.startsWith("PodDisruptionBudget/") || k.startsWith("ServiceMonitor/"));
        assertThat(objects(template("--set", "region=eu-west-1").output()).keySet())
                .as("no ServiceMonitor unless asked: it needs the prometheus-operator CRDs")
                .noneMatch(k -> k.startsWith("ServiceMonitor/"));
    }

    @Test
    void renderedChartIsAcceptedByARealApiServer(@TempDir Path temp) throws IOException {
        Path rendered = temp.resolve("chart.yaml");
        Files.writeString(rendered, template("--include-crds", "--set", "region=eu-west-1",
                "--set", "aws.roleArn=" + roleArn("eu-west-1"), "--set", "networkPolicy.httpFrom[0].namespaceSelector"
                        + ".matchLabels.kubernetes\\.io/metadata\\.name=monitoring").output());
        assertThat(plane.kubectl("apply", "--server-side", "--dry-run=server", "-f", rendered.toString()))
                .contains("deployment.apps/lifeline-operator serverside-applied (server dry run)",
                        "customresourcedefinition.apiextensions.k8s.io/realtimeplatforms.lifeline.dev serverside-applied");
    }

    @Test
    void rawManifestsAndOverlaysAreAcceptedByARealApiServer() throws IOException {
        assertThat(plane.kubectl("apply", "--server-side", "--dry-run=server", "-f", RepoPaths.crds().toString(),
                "-f", RepoPaths.manifests().toString()))
                .as("the README's command").contains("networkpolicy.networking.k8s.io/lifeline-operator serverside-applied");
        regions().forEach(region -> assertThat(plane.kubectl("apply", "--server-side", "--dry-run=server", "-k",
                RepoPaths.deploy().resolve("kustomize").resolve(region).toString()))
                .contains("serviceaccount/lifeline-operator serverside-applied"));
    }

    // --- rendering ---

    private static Path chart() {
        return RepoPaths.deploy().resolve("helm/lifeline");
    }

    private static Command.Result helm(String... args) {
        List<String> command = new ArrayList<>(List.of(helm.toString()));
        command.addAll(List.of(args));
        return Command.run(RepoPaths.root(), TOOL_TIMEOUT, command.toArray(String[]::new));
    }

    private static Command.Result template(String... values) {
        List<String> args = new ArrayList<>(List.of("template", "lifeline", chart().toString(), "-n", NAMESPACE));
        args.addAll(List.of(values));
        return helm(args.toArray(String[]::new));
    }

    private static String kustomize(Path dir) {
        return Command.run(RepoPaths.root(), TOOL_TIMEOUT, ControlPlane.kubectlBinary().toString(), "kustomize",
                dir.toString()).output();
    }

    /** helm from LIFELINE_HELM, else from test/scripts/helm.sh (idempotent: builds it once, prints its path). */
    private static Path helmBinary() {
        String configured = System.getenv("LIFELINE_HELM");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String path = Command.run(RepoPaths.root(), Duration.ofMinutes(20),
                RepoPaths.root().resolve("test/scripts/helm.sh").toString()).output().strip();
        return Path.of(path);
    }

    // --- normalisation ---

    /** Objects by kind/namespace/name, each normalised (see the class comment). */
    static Map<String, Object> objects(String yaml) {
        Map<String, Object> objects = new TreeMap<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            for (Map<String, Object> object : YAML.readValues(parser, new TypeReference<Map<String, Object>>() {
            }).readAll()) {
                if (object == null) {
                    continue; // an empty document (a template switched off)
                }
                Map<?, ?> metadata = (Map<?, ?>) object.get("metadata");
                String key = object.get("kind") + "/" + (metadata.get("namespace") == null ? "" : metadata.get("namespace"))
                        + "/" + metadata.get("name");
                assertThat(objects.put(key, withoutHelmLabels(object))).as("duplicate " + key).isNull();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    @SuppressWarnings("unchecked")
    private static Object withoutHelmLabels(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if ("labels".equals(k) && v instanceof Map<?, ?> labels) {
                    Map<String, Object> kept = new TreeMap<>((Map<String, Object>) labels);
                    kept.keySet().removeAll(HELM_LABELS);
                    copy.put((String) k, kept);
                } else {
                    copy.put((String) k, withoutHelmLabels(v));
                }
            });
            return copy;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(HelmChartIT::withoutHelmLabels).toList();
        }
        if (node instanceof Number number) {
            // kustomize writes the CRD's 100000.0 as 100000: the same number for the API server.
            return new java.math.BigDecimal(number.toString()).stripTrailingZeros();
        }
        return node;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
