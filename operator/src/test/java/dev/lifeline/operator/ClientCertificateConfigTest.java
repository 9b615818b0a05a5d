package dev.lifeline.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import io.fabric8.kubernetes.client.utils.TokenRefreshInterceptor;

/**
 * fabric8's token interceptor, run as the client runs it before a request more than a minute after it last found a
 * token. Whether it read the kubeconfig again shows in the request: the file gains a token after the client was
 * configured, and a request that carries it was preceded by a re-read.
 */
class ClientCertificateConfigTest {

    private static final String CERTIFICATE_KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: local
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority-data: Y2E=
            users:
            - name: admin
              user:
                client-certificate-data: Y2VydA==
                client-key-data: a2V5
            contexts:
            - name: local
              context:
                cluster: local
                user: admin
            current-context: local
            """;

    @TempDir
    Path dir;

    @Test
    void aClientCertificateConfigIsNotReadAgainBeforeARequest() throws IOException {
        Config config = configuredFrom(CERTIFICATE_KUBECONFIG);
        new ClientCertificateConfig().customize(config);

        assertThat(requestAfterTheFileGainedAToken(config).header("Authorization")).isNull();
    }

    /** Why the customizer exists: without it, the interceptor reads the file again (and would on every request). */
    @Test
    void withoutItFabric8ReadsTheKubeconfigAgainBeforeARequest() throws IOException {
        Config config = configuredFrom(CERTIFICATE_KUBECONFIG);

        assertThat(requestAfterTheFileGainedAToken(config).header("Authorization")).isEqualTo("Bearer reread");
    }

    @Test
    void aTokenConfigKeepsItsRefresh() {
        Config config = Config.fromKubeconfig(CERTIFICATE_KUBECONFIG.replace("client-key-data: a2V5",
                "client-key-data: a2V5\n    token: abc"));
        new ClientCertificateConfig().customize(config);

        assertThat(config.getOauthTokenProvider()).isNull();
        assertThat(ClientCertificateConfig.certificateOnly(Config.fromKubeconfig(CERTIFICATE_KUBECONFIG))).isTrue();
    }

    private Config configuredFrom(String kubeconfig) throws IOException {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, kubeconfig);
        return Config.fromKubeconfig(file.toFile());
    }

    private HttpRequest requestAfterTheFileGainedAToken(Config config) throws IOException {
        Files.writeString(config.getFile().toPath(), CERTIFICATE_KUBECONFIG.replace("client-key-data: a2V5",
                "client-key-data: a2V5\n    token: reread"));
        TokenRefreshInterceptor interceptor = new TokenRefreshInterceptor(config, (HttpClient.Factory) null,
                Instant.now().minus(Duration.ofMinutes(2)));
        StandardHttpRequest.Builder request = new StandardHttpRequest.Builder();
        request.uri("https://127.0.0.1:6443/api");
        interceptor.before(request, request.build(), null);
        return request.build();
    }
}
