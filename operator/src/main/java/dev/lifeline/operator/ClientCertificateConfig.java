package dev.lifeline.operator;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;
import jakarta.inject.Singleton;

/**
 * Keeps fabric8 from reading the kubeconfig again before every request when it authenticates with a client certificate
 * (kind, kube-api-test, most local clusters; the local run). fabric8's token interceptor re-reads and parses the
 * kubeconfig (Config#refresh) once a minute has passed since it last found a token, and with a certificate it never
 * finds one: from the second minute on, every request paid for it, 7 % of the operator's CPU while 1,000 platforms
 * started. A certificate needs no refresh (and a re-read would not renew it), so such a config gets a token provider
 * that has no token: the interceptor asks it, and reads no file. A config with a token, an exec plugin or an auth
 * provider (in-cluster service accounts, cloud logins) is left as it is: its token does expire.
 */
@Singleton
public class ClientCertificateConfig implements KubernetesConfigCustomizer {

    @Override
    public void customize(Config config) {
        if (certificateOnly(config)) {
            config.setOauthTokenProvider(() -> null);
        }
    }

    static boolean certificateOnly(Config config) {
        boolean certificate = config.getClientCertFile() != null || config.getClientCertData() != null;
        boolean token = config.getOauthToken() != null || config.getAutoOAuthToken() != null
                || config.getOauthTokenProvider() != null || config.getAuthProvider() != null;
        boolean password = config.getUsername() != null && config.getPassword() != null;
        return certificate && !token && !password;
    }
}
