package dev.lifeline.test.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The certificates between the API server and real kubelets ({@link RealNode}), made with the
 * openssl command line (present wherever the kubelet's host tools are):
 * <ul>
 * <li>the kubelet's client certificate {@code system:node:<name>} in group {@code system:nodes},
 * signed by the API server's client CA. kube-api-test's own {@code client.crt} cannot sign (no CA
 * basic constraint; Go rejects the chain), and {@code ~/.kubeapitest} is shared with every other
 * test run on the machine, so control planes for real nodes use a kube-api-test directory of their
 * own ({@link #kubeApiTestDirForNodes()}) whose {@code client.crt} is a CA as well as the admin's
 * client certificate ({@code O=system:masters});</li>
 * <li>a CA of its own for the API server's kubelet client certificate (logs, exec, port-forward),
 * which the kubelets trust for x509 authentication ({@link #kubeletClientCa()}).</li>
 * </ul>
 */
public final class NodeCertificates {

    private static final Object LOCK = new Object();

    private NodeCertificates() {
    }

    /**
     * The kubernetes Service's ClusterIP: kube-api-test's {@code --service-cluster-ip-range 10.0.0.0/24}
     * gives it the first address. Pods reach the API server there (through a node's kube-proxy), so the
     * API server's certificate names it.
     */
    public static final String KUBERNETES_SERVICE_IP = "10.0.0.1";
    /** Marks a directory made by this class; a new name when what is made changes (2: the ClusterIP in the SANs). */
    private static final String MARKER = "made-by-lifeline-2";

    /**
     * A kube-api-test directory for control planes with real nodes: {@code client.crt}/{@code client.key}
     * are a CA-capable admin certificate made here (kube-api-test makes the API server's certificate
     * itself, as it makes only missing files; these are made here too, naming the kubernetes Service's
     * ClusterIP), and {@code k8s/<version>-linux-amd64/} holds the shared binaries, kube-apiserver
     * behind {@code test/node/kube-apiserver} ({@link ControlPlane#startForRealNodes}: the
     * ServiceAccount admission plugin).
     */
    static Path kubeApiTestDirForNodes() {
        synchronized (LOCK) {
            Path dir = Path.of(System.getProperty("user.home"), ".cache", "lifeline", "kubeapitest-nodes");
            try {
                Files.createDirectories(dir);
                // kube-api-test makes all four files when any is missing, so all four are made here;
                // the marker says they are this class's (a CA-capable client.crt).
                Path marker = dir.resolve(MARKER);
                // The first marker's code (an older checkout on this machine) remakes the files without the ClusterIP.
                if (!Files.exists(marker) || Files.exists(dir.resolve("made-by-lifeline"))) {
                    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650", "-subj",
                            "/CN=example.org", "-addext",
                            "subjectAltName=IP:127.0.0.1,IP:" + KUBERNETES_SERVICE_IP + ",DNS:localhost,DNS:kubernetes,"
                                    + "DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster,"
                                    + "DNS:kubernetes.default.svc.cluster.local",
                            "-keyout", dir.resolve("apiserver.key").toString(), "-out",
                            dir.resolve("apiserver.crt").toString());
                    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650", "-subj",
                            "/O=system:masters/CN=kubeapitest", "-addext", "basicConstraints=critical,CA:TRUE",
                            "-addext", "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign",
                            "-addext", "extendedKeyUsage=clientAuth", "-keyout", dir.resolve("client.key").toString(),
                            "-out", dir.resolve("client.crt").toString());
                    Files.deleteIfExists(dir.resolve("made-by-lifeline"));
                    Files.writeString(marker, "client.crt is a CA; apiserver.crt names the kubernetes Service's"
                            + " ClusterIP; see NodeCertificates\n");
                }
                linkBinaries(dir.resolve("k8s"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return dir;
        }
    }

    /**
     * The binaries of the pinned version for {@code k8s}: etcd and kubectl linked to the shared ones,
     * kube-apiserver as {@code test/node/kube-apiserver}, which runs the shared binary (linked as
     * {@code kube-apiserver.bin}) with kube-api-test's {@code --disable-admission-plugins ServiceAccount}
     * dropped when the caller enables that plugin (kube-apiserver refuses a plugin both enabled and disabled).
     */
    private static void linkBinaries(Path k8s) throws IOException {
        if (Files.isSymbolicLink(k8s)) {
            Files.delete(k8s); // the layout before the wrapper: k8s/ was a link to the shared binaries
        }
        String versionDir = ControlPlane.version() + "-linux-amd64";
        Path shared = SimulatedRegion.kubeApiTestDir().resolve("k8s").resolve(versionDir);
        Path bin = k8s.resolve(versionDir);
        Files.createDirectories(bin);
        link(bin.resolve("etcd"), shared.resolve("etcd"));
        link(bin.resolve("kubectl"), shared.resolve("kubectl"));
        link(bin.resolve("kube-apiserver.bin"), shared.resolve("kube-apiserver"));
        byte[] wrapper = Files.readAllBytes(RepoPaths.root().resolve("test/node/kube-apiserver"));
        Path target = bin.resolve("kube-apiserver");
        if (!Files.exists(target) || !java.util.Arrays.equals(Files.readAllBytes(target), wrapper)) {
            Path tmp = bin.resolve("kube-apiserver.tmp");
            Files.write(tmp, wrapper);
            tmp.toFile().setExecutable(true);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void link(Path link, Path target) throws IOException {
        if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
            return;
        }
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
    }

    /** The API server's client certificate for kubelets; its CA is {@link #kubeletClientCa()}. Made once per run. */
    static Path[] apiServerKubeletClient() {
        synchronized (LOCK) {
            Path dir = dir();
            Path ca = dir.resolve("kubelet-client-ca.crt");
            Path caKey = dir.resolve("kubelet-client-ca.key");
            Path cert = dir.resolve("apiserver-kubelet-client.crt");
            Path key = dir.resolve("apiserver-kubelet-client.key");
            if (!Files.exists(cert) || !Files.exists(key) || !Files.exists(ca)) {
                openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650", "-subj",
                        "/CN=lifeline-kubelet-client-ca", "-addext", "basicConstraints=critical,CA:TRUE",
                        "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-keyout", caKey.toString(),
                        "-out", ca.toString());
                sign(dir, "/O=system:masters/CN=kube-apiserver-kubelet-client", ca, caKey, cert, key);
            }
            return new Path[] { cert, key };
        }
    }

    /** The CA of the API server's kubelet client certificate: kubelets authenticate it with this. */
    static Path kubeletClientCa() {
        apiServerKubeletClient();
        return dir().resolve("kubelet-client-ca.crt");
    }

    /** A client certificate and key for node {@code node}, signed by the client CA in {@code apiServerCerts}. */
    static Path[] kubeletClient(Path apiServerCerts, Path targetDir, String node) {
        return client(apiServerCerts, targetDir, "kubelet-client", "/O=system:nodes/CN=system:node:" + node);
    }

    /**
     * kube-proxy's client certificate: user {@code system:kube-proxy}, whom the API server's default
     * ClusterRoleBinding {@code system:node-proxier} authorizes.
     */
    static Path[] kubeProxyClient(Path apiServerCerts, Path targetDir) {
        return client(apiServerCerts, targetDir, "kube-proxy-client", "/CN=system:kube-proxy");
    }

    private static Path[] client(Path apiServerCerts, Path targetDir, String fileName, String subject) {
        Path cert = targetDir.resolve(fileName + ".crt");
        Path key = targetDir.resolve(fileName + ".key");
        sign(targetDir, subject, apiServerCerts.resolve("client.crt"), apiServerCerts.resolve("client.key"), cert, key);
        return new Path[] { cert, key };
    }

    private static void sign(Path dir, String subject, Path ca, Path caKey, Path cert, Path key) {
        Path csr = dir.resolve(cert.getFileName() + ".csr");
        Path ext = dir.resolve(cert.getFileName() + ".ext");
        try {
            Files.writeString(ext, "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                    + "extendedKeyUsage=clientAuth\n");
            openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", key.toString(), "-out",
                    csr.toString());
            openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                    "-CAcreateserial", "-CAserial", dir.resolve("serial").toString(), "-days", "3650", "-extfile",
                    ext.toString(), "-out", cert.toString());
            Files.deleteIfExists(csr);
            Files.deleteIfExists(ext);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path dir() {
        Path dir = RepoPaths.workDir().resolve("node-pki");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    static String openssl(String... args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        return Host.run(command);
    }

    /** Runs host commands; a failure throws with the command's output. */
    static final class Host {
        private Host() {
        }

        static String run(List<String> command) {
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int exit = process.waitFor();
                if (exit != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed (" + exit + "): " + output);
                }
                return output;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run " + command, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Runs a command, ignoring its failure (cleanup of what may already be gone). */
        static void tryRun(String... command) {
            try {
                run(List.of(command));
            } catch (RuntimeException e) {
                // already gone
            }
        }
    }
}
