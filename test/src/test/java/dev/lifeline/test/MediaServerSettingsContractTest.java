package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.lifeline.media.instance.LifelineConfig;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.workload.MediaServerDeploymentDependent;
import dev.lifeline.operator.workload.PlatformConfigMapDependent;
import dev.lifeline.operator.workload.SignalingDeploymentDependent;
import dev.lifeline.operator.workload.WorkloadEnvironment;
import dev.lifeline.test.harness.Platforms;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The other seam between the operator and the media server: the environment the operator gives
 * the pods. Every variable it sets must be a setting the media server reads (a misspelt or
 * forgotten name is silently ignored at run time: the process keeps its default), and the
 * heartbeat clock of {@code spec.failover} reaches it whole.
 */
class MediaServerSettingsContractTest {

    private final RealtimePlatform platform = Platforms.typed("meet", "rtc", "us-east-1", "eu-west-1");

    {
        // Regions with public endpoints, so that the signaling endpoints the operator hands over are checked too.
        platform.getSpec().regions.forEach(r -> r.endpoint = "media-" + r.name + ".example.com");
    }

    @Test
    void everyVariableTheOperatorSetsIsASettingTheMediaServerReads() {
        Set<String> read = environmentNames("lifeline", LifelineConfig.class);

        assertThat(operatorEnvironment()).isNotEmpty().allSatisfy(name -> assertThat(read).as(
                "settings of the media server (LifelineConfig) as environment variables").contains(name));
    }

    @Test
    void theRegionsSignalingEndpointsAreHandedOver() {
        assertThat(environmentNames("lifeline", LifelineConfig.class)).contains("LIFELINE_SIGNALING_ENDPOINTS");
        assertThat(operatorEnvironment()).contains("LIFELINE_SIGNALING_ENDPOINTS");
    }

    @Test
    void bothHalvesOfTheHeartbeatClockAreHandedOver() {
        assertThat(environmentNames("lifeline", LifelineConfig.class))
                .contains("LIFELINE_HEARTBEAT_INTERVAL", "LIFELINE_HEARTBEAT_STALE_AFTER");
        assertThat(operatorEnvironment()).contains("LIFELINE_HEARTBEAT_INTERVAL", "LIFELINE_HEARTBEAT_STALE_AFTER");
    }

    /** ConfigMap keys (loaded with envFrom) and the containers' own env of both Deployments; QUARKUS_* are the framework's. */
    private Set<String> operatorEnvironment() {
        // With every optional setting of the operator on, so that what it adds is checked too.
        WorkloadEnvironment everything = new WorkloadEnvironment(Optional.of("http://dynamodb.example:8000"),
                Optional.of("aws-credentials"));
        Stream<String> configMap = PlatformConfigMapDependent.build(platform, "us-east-1", everything).getData()
                .keySet().stream();
        Stream<String> containers = Stream.of(MediaServerDeploymentDependent.build(platform, "us-east-1", 2),
                        SignalingDeploymentDependent.build(platform, "us-east-1"))
                .map(Deployment::getSpec).flatMap(spec -> spec.getTemplate().getSpec().getContainers().stream())
                .flatMap(c -> c.getEnv().stream()).map(EnvVar::getName);
        return Stream.concat(configMap, containers).filter(name -> !name.startsWith("QUARKUS_"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The environment variable of every property of a SmallRye config mapping (lifeline.heartbeat.stale-after → LIFELINE_HEARTBEAT_STALE_AFTER). */
    private static Set<String> environmentNames(String prefix, Class<?> mapping) {
        Set<String> names = new TreeSet<>();
        for (Method m : mapping.getDeclaredMethods()) {
            if (m.isSynthetic() || m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            String property = prefix + "." + m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            if (m.getReturnType().isInterface() && m.getReturnType().getEnclosingClass() == mapping) {
                names.addAll(environmentNames(property, m.getReturnType()));
            } else {
                names.add(property.toUpperCase().replace('.', '_').replace('-', '_'));
            }
        }
        return names;
    }
}
