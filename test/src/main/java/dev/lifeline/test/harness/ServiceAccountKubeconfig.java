package dev.lifeline.test.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.fabric8.kubernetes.client.Config;

/**
 * A kubeconfig that authenticates as a ServiceAccount (a TokenRequest token), as the operator
 * does in a cluster: it gets exactly the RBAC bound to that account, not the admin's.
 */
public final class ServiceAccountKubeconfig {

    private ServiceAccountKubeconfig() {
    }

    /** kube-api-test's kubeconfig names the CA by file; a real cluster's usually embeds it. */
    private static String certificateAuthority(Config admin) {
        return admin.getCaCertData() != null ? "certificate-authority-data: " + admin.getCaCertData()
                : "certificate-authority: " + admin.getCaCertFile();
    }

    public static Path write(ControlPlane plane, String namespace, String serviceAccount) {
        String token = ApiTokens.request(plane.client(), namespace, serviceAccount);
        Config admin = Config.fromKubeconfig(plane.kubeconfigYaml());
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: test
                    cluster:
                      server: %s
                      %s
                users:
                  - name: %s
                    user:
                      token: %s
                contexts:
                  - name: test
                    context: {cluster: test, user: %s, namespace: %s}
                current-context: test
                """.formatted(admin.getMasterUrl(), certificateAuthority(admin), serviceAccount, token, serviceAccount,
                namespace);
        Path file = RepoPaths.workDir().resolve("kubeconfig-" + plane.name() + "-" + serviceAccount + ".yaml");
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
