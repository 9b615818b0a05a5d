package dev.lifeline.operator.web;

import dev.lifeline.operator.api.RealtimePlatform;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.ws.rs.NotFoundException;

/** The platform a REST path names, read from the API server, or 404. */
final class RequestedPlatform {

    private RequestedPlatform() {
    }

    static RealtimePlatform get(KubernetesClient client, String namespace, String name) {
        RealtimePlatform platform = client.resources(RealtimePlatform.class).inNamespace(namespace).withName(name).get();
        if (platform == null) {
            throw new NotFoundException("RealtimePlatform " + namespace + "/" + name + " not found");
        }
        return platform;
    }
}
