package dev.lifeline.test.harness;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.lifeline.operator.api.MediaServerSpec;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A simulated region whose pods run for real: a {@link SimulatedRegion} (one zone) whose kwok
 * node is cordoned, so the scheduler places every pod on one {@link RealNode}, into which the
 * media-server image archive of {@code scripts/build-images.sh} (or {@code -Pimages}) is imported.
 * The operator deploys its own media server there; what the pods need from outside (the session
 * table's emulator, its credentials, the signing key) comes from {@link #prepareNamespace} and
 * {@link #workloadEnvironment}.
 */
public final class RealPodsRegion implements AutoCloseable {

    /** The Secret with the emulator's dummy AWS keys that the operator hands to its pods. */
    public static final String AWS_SECRET = "lifeline-aws";

    private final SimulatedRegion region;
    private final RealNode node;

    private RealPodsRegion(SimulatedRegion region, RealNode node) {
        this.region = region;
        this.node = node;
    }

    /** Starts region {@code name} with real node {@code nodeName} in zone {@code <name>a} and imports the media-server image. */
    public static RealPodsRegion start(String name, String nodeName) {
        return start(name, nodeName, false);
    }

    /**
     * {@link #start(String, String)} for the operator's own Deployment as well: pods get ServiceAccount
     * tokens ({@link SimulatedRegion.Options#withOperatorPods()}), the node runs kube-proxy (the kubernetes
     * Service's ClusterIP reaches the API server), and the operator's image is imported too.
     */
    public static RealPodsRegion startForOperatorPods(String name, String nodeName) {
        return start(name, nodeName, true);
    }

    private static RealPodsRegion start(String name, String nodeName, boolean operatorPods) {
        List<Path> archives = operatorPods ? List.of(mediaServerArchive(), operatorArchive()) : List.of(mediaServerArchive());
        SimulatedRegion.Options options = SimulatedRegion.Options.defaults().withZones("a");
        SimulatedRegion region = SimulatedRegion.start(name, operatorPods ? options.withOperatorPods() : options.withRealNodes());
        RealNode node = null;
        try {
            // The region's pods must land on the real node: kwok's fake node only pretends to run them.
            for (String fake : region.nodeNames()) {
                region.client().nodes().withName(fake).edit(n -> {
                    n.getSpec().setUnschedulable(true);
                    return n;
                });
            }
            node = RealNode.start(region, nodeName, name + "a",
                    operatorPods ? RealNode.Options.defaults().withKubeProxy() : RealNode.Options.defaults());
            for (Path archive : archives) {
                node.importImage(archive);
            }
            return new RealPodsRegion(region, node);
        } catch (RuntimeException | Error e) {
            Teardown.closeAll(node, region);
            throw e;
        }
    }

    /** The archive of the media-server image, named as the operator's default image. */
    public static Path mediaServerArchive() {
        return imageArchive("media-server");
    }

    /** The archive of the operator's image (the tag is the media server's: one build tags both). */
    public static Path operatorArchive() {
        return imageArchive("operator");
    }

    private static Path imageArchive(String image) {
        String tag = MediaServerSpec.DEFAULT_IMAGE.substring(MediaServerSpec.DEFAULT_IMAGE.lastIndexOf(':') + 1);
        Path archive = RepoPaths.root().resolve("target/images/lifeline-" + image + "-" + tag + ".tar");
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("The " + image + " image is not built: " + archive + " is missing. Run"
                    + " scripts/build-images.sh (or build with -Pimages, as scripts/test.sh does).");
        }
        return archive;
    }

    /**
     * The address where the pods reach services on this machine (an emulator must listen there):
     * pods cannot reach the host's loopback, and the bridge has no masquerading, so they reach
     * the machine's own address directly.
     */
    public static String machineAddress() {
        return RealNode.machineAddress();
    }

    /**
     * Creates {@code namespace} with what the README's install asks of the user, the signing key
     * ({@code <platform>-signing}), and the emulator's dummy credentials ({@link #AWS_SECRET}).
     */
    public void prepareNamespace(String namespace, String platform, String tokenSecret) {
        region.controlPlane().createNamespace(namespace);
        KubernetesClient client = region.client();
        client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata()
                .withName(platform + "-signing").endMetadata().withStringData(Map.of("token-secret", tokenSecret))
                .build()).create();
        createAwsSecret(namespace);
    }

    /** The emulator's dummy credentials in {@code namespace} ({@link #AWS_SECRET}), which the operator hands its pods. */
    public void createAwsSecret(String namespace) {
        region.client().secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata()
                .withName(AWS_SECRET).endMetadata().withStringData(Map.of("AWS_ACCESS_KEY_ID", "lifeline-test",
                        "AWS_SECRET_ACCESS_KEY", "lifeline-test", "AWS_EC2_METADATA_DISABLED", "true")).build())
                .create();
    }

    /** The operator's settings that point its pods at a DynamoDB emulator ({@code lifeline.workload.*}). */
    public static Map<String, String> workloadEnvironment(URI dynamodbEndpoint) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LIFELINE_WORKLOAD_DYNAMODB_ENDPOINT", dynamodbEndpoint.toString());
        env.put("LIFELINE_WORKLOAD_AWS_CREDENTIALS_SECRET", AWS_SECRET);
        return env;
    }

    public SimulatedRegion region() {
        return region;
    }

    public RealNode node() {
        return node;
    }

    public KubernetesClient client() {
        return region.client();
    }

    @Override
    public void close() {
        Teardown.closeAll(node, region);
    }
}
