package dev.lifeline.test.harness;

import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;

/** RealtimePlatform documents as plain maps, so tests can also build ones the Java model would refuse. */
public final class PlatformYaml {

    private PlatformYaml() {
    }

    /** The smallest valid platform: one region (us-east-1), defaults everywhere else. */
    public static GenericKubernetesResource minimal(String name, String namespace) {
        return Serialization.unmarshal("""
                apiVersion: lifeline.dev/v1alpha1
                kind: RealtimePlatform
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  regions:
                    - name: us-east-1
                      weight: 100
                  sessionStore:
                    tableName: %s-sessions
                    homeRegion: us-east-1
                  dns:
                    hostedZoneId: Z0123456789ABCDEFGHIJ
                    recordName: media.example.com
                """.formatted(name, namespace, name), GenericKubernetesResource.class);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }
}
