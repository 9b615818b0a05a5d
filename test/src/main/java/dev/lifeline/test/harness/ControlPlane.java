package dev.lifeline.test.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.KubeAPITestException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * A real kube-apiserver + etcd (fabric8 kube-api-test) of the pinned Kubernetes version, with
 * the binaries from test/scripts/kube-binaries.sh. RBAC is on; there is no controller manager,
 * so no garbage collector and no Deployment controller.
 *
 * <p>{@link #startForRealNodes} makes a control plane that real kubelets ({@link RealNode}) can
 * join: its client CA can sign node certificates and it has a kubelet client certificate for
 * logs and exec ({@link NodeCertificates}); it keeps its certificates in a kube-api-test
 * directory of its own, so the shared {@code ~/.kubeapitest} certificates stay as they are.
 * {@link #startForOperatorPods} also turns the ServiceAccount admission plugin on, which
 * kube-api-test turns off: pods get their ServiceAccount's projected token, so a pod can call the
 * API server as a real cluster's pods do (the API server listens on every address and advertises the
 * machine's in the kubernetes Service; a node's kube-proxy carries the ClusterIP there).
 */
public final class ControlPlane implements AutoCloseable {

    private boolean closed;

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
    public static final String DEFAULT_VERSION = "1.35.4";

    private final KubeAPIServer server;
    private final String name;
    private final Path certDir;
    private final boolean realNodes;
    private KubernetesClient client;
    private Path kubeconfig;

    private ControlPlane(String name, boolean realNodes, boolean serviceAccountAdmission, String serviceRange) {
        this.name = name;
        this.realNodes = realNodes;
        KubeAPIServerConfigBuilder config = KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withApiServerVersion(version())
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .withStartupTimeout(120_000);
        if (realNodes) {
            this.certDir = NodeCertificates.kubeApiTestDirForNodes();
            Path[] kubeletClient = NodeCertificates.apiServerKubeletClient();
            config.withTestDir(certDir.toString())
                    .withApiServerFlag("--kubelet-client-certificate", kubeletClient[0].toString())
                    .withApiServerFlag("--kubelet-client-key", kubeletClient[1].toString())
                    // Node names are not in DNS here: reach kubelets at their InternalIP (the machine's address).
                    .withApiServerFlag("--kubelet-preferred-address-types", "InternalIP,ExternalIP,Hostname");
            if (serviceAccountAdmission) {
                // test/node/kube-apiserver drops kube-api-test's --disable-admission-plugins ServiceAccount for this.
                config.withApiServerFlag("--enable-admission-plugins=ServiceAccount");
            }
        } else if (serviceRange != null) {
            this.certDir = WideServiceRange.kubeApiTestDir(serviceRange);
            config.withTestDir(certDir.toString());
        } else {
            this.certDir = SimulatedRegion.kubeApiTestDir();
        }
        this.server = new KubeAPIServer(config.build());
    }

    public static String version() {
        return System.getProperty("lifeline.k8s.version", DEFAULT_VERSION);
    }

    /** Starts a control plane; {@code name} labels its kubeconfig file and logs. */
    public static ControlPlane start(String name) {
        return start(name, false);
    }

    /** Starts a control plane that real kubelets can join ({@link RealNode#start(ControlPlane, String)}). */
    public static ControlPlane startForRealNodes(String name) {
        return start(name, true);
    }

    /**
     * Starts a control plane that real kubelets can join and whose pods get ServiceAccount tokens (the
     * ServiceAccount admission plugin is on), so pods such as the operator's own can call the API
     * server. The ServiceAccounts themselves come from kube-controller-manager ({@link SimulatedRegion}).
     */
    public static ControlPlane startForOperatorPods(String name) {
        return start(name, true, true);
    }

    /**
     * Starts a control plane whose Services take their cluster IPs from {@code serviceRange} (for
     * example 10.96.0.0/16) instead of kube-api-test's 10.0.0.0/24, which holds about 250 Services:
     * for scale runs ({@link WideServiceRange}).
     */
    public static ControlPlane startWithServiceRange(String name, String serviceRange) {
        return start(name, false, false, serviceRange);
    }

    static ControlPlane start(String name, boolean realNodes) {
        return start(name, realNodes, false);
    }

    static ControlPlane start(String name, boolean realNodes, boolean serviceAccountAdmission) {
        return start(name, realNodes, serviceAccountAdmission, null);
    }

    private static ControlPlane start(String name, boolean realNodes, boolean serviceAccountAdmission,
            String serviceRange) {
        if (serviceAccountAdmission && !realNodes) {
            throw new IllegalArgumentException("ServiceAccount admission needs a control plane for real nodes");
        }
        ControlPlaneOutput.capture();
        try {
            return startOnce(name, realNodes, serviceAccountAdmission, serviceRange);
        } catch (KubeAPITestException first) {
            // kube-api-test picks random ports it finds free, and another process can bind one before
            // etcd or the API server does; a second start draws new ports. Its output says if that was it.
            LOG.warn("Control plane '{}' did not start ({}); starting it again on new ports. Last output of etcd and "
                    + "kube-apiserver:\n{}", name, first.getMessage(), ControlPlaneOutput.tail());
            try {
                return startOnce(name, realNodes, serviceAccountAdmission, serviceRange);
            } catch (KubeAPITestException second) {
                second.addSuppressed(first);
                throw new IllegalStateException("Control plane '" + name + "' did not start twice: " + second.getMessage()
                        + ". Last output of etcd and kube-apiserver:\n" + ControlPlaneOutput.tail(), second);
            }
        }
    }

    private static ControlPlane startOnce(String name, boolean realNodes, boolean serviceAccountAdmission,
            String serviceRange) {
        ControlPlane plane = new ControlPlane(name, realNodes, serviceAccountAdmission, serviceRange);
        try {
            plane.server.start();
        } catch (KubeAPITestException e) {
            try {
                plane.server.stop();
            } catch (RuntimeException stopFailed) {
                e.addSuppressed(stopFailed);
            }
            throw e;
        }
        String yaml = plane.server.getKubeConfigYaml();
        plane.kubeconfig = RepoPaths.workDir().resolve("kubeconfig-" + name + ".yaml");
        try {
            Files.writeString(plane.kubeconfig, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        plane.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(yaml)).build();
        LOG.info("Control plane '{}' is kube-apiserver {} (kubeconfig {})", name,
                plane.client.getKubernetesVersion().getGitVersion(), plane.kubeconfig);
        return plane;
    }

    /** The last lines etcd and kube-apiserver printed (of every control plane in this JVM), for diagnosis. */
    public static String recentOutput() {
        return ControlPlaneOutput.tail();
    }

    public KubernetesClient client() {
        return client;
    }

    /** An admin kubeconfig file for processes (the operator, kubectl). */
    public Path kubeconfig() {
        return kubeconfig;
    }

    public String kubeconfigYaml() {
        return server.getKubeConfigYaml();
    }

    public String name() {
        return name;
    }

    /** Where this API server's certificates and keys are (apiserver.crt/.key, client.crt/.key). */
    public Path certDir() {
        return certDir;
    }

    /** True when real kubelets can join ({@link #startForRealNodes}). */
    public boolean acceptsRealNodes() {
        return realNodes;
    }

    /** Installs every CRD under crds/ and waits until the API server serves them. */
    public void installCrds() {
        for (Path file : yamlFiles(RepoPaths.crds())) {
            for (HasMetadata item : load(file)) {
                client.resource(item).serverSideApply();
                if (item instanceof CustomResourceDefinition crd) {
                    Awaitility.await("CRD " + crd.getMetadata().getName() + " established")
                            .atMost(Duration.ofSeconds(30))
                            .until(() -> isEstablished(crd.getMetadata().getName()));
                }
            }
        }
    }

    public void createNamespace(String namespace) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                .build()).serverSideApply();
    }

    public List<HasMetadata> load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return client.load(in).items();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kubectl binary of the pinned version, next to the control-plane binaries. */
    public static Path kubectlBinary() {
        String dir = System.getenv().getOrDefault("KUBE_API_TEST_DIR",
                Path.of(System.getProperty("user.home"), ".kubeapitest").toString());
        return Path.of(dir, "k8s", version() + "-linux-amd64", "kubectl");
    }

    /** Runs kubectl against this control plane and returns its output (stdout and stderr). */
    public String kubectl(String... args) {
        // A discovery cache per control plane: ports are reused across runs, cached discovery must not be.
        List<String> command = new java.util.ArrayList<>(List.of(kubectlBinary().toString(), "--kubeconfig",
                kubeconfig.toString(), "--cache-dir", RepoPaths.workDir().resolve("kubectl-cache-" + name).toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("kubectl " + String.join(" ", args) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean isEstablished(String crdName) {
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(crdName).get();
        // A CRD just created can have a status without conditions yet.
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream().anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Stops the API server and etcd; a second call does nothing (a test may stop a region before teardown). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (client != null) {
            client.close();
        }
        server.stop();
    }
}
