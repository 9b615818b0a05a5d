package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeline.media.load.CallLoad;
import dev.lifeline.media.token.TokenCodec;
import dev.lifeline.operator.api.ComputeResources;
import dev.lifeline.operator.api.ReplicaRange;
import dev.lifeline.operator.api.ResourceAmounts;
import dev.lifeline.test.RelayHeartbeats.Relay;
import dev.lifeline.test.harness.Platforms;
import dev.lifeline.test.harness.Teardown;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Scenario d on a real node: us-east-1's media server runs the built image on a real kubelet
 * (eu-west-1 is a kwok region whose relays the test reports, as in {@link CrashLoopIT}), calls flow
 * through us-east-1's real pods. Then a spec change, the way it happens in production, gives the
 * media server a memory limit too small for its JVM: the new containers are OOM-killed at start
 * by the kernel, over and over, and the kubelet reports it. The operator restarts within its
 * budget, the breaker opens, eu-west-1 pre-scales for us-east-1's sessions and us-east-1 is drained
 * in Route 53 (moto). After the spec is fixed the weight comes back in steps. No pod status is
 * written by the test: the real kubelet reports us-east-1's pods, kwok eu-west-1's.
 */
class RealCrashLoopE2E {

    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private static final String TOKEN_SECRET = "real-crash-loop-e2e-0123456789ab";
    private static final String MEDIA_DEPLOYMENT = "meet-media-server";
    private static final int SESSIONS_PER_REPLICA = 10;
    private static final int HEADROOM_PERCENT = CrashLoopIT.HEADROOM_PERCENT;
    private static final int CALLS = 6;
    /** eu-west-1's first relay carries 8 sessions: (8 + us-east-1's 6) × 1.2 / 10 → 2 replicas, one more than it has. */
    private static final long EU_SESSIONS = 8;
    private static final ComputeResources FITS = new ComputeResources(new ResourceAmounts("100m", "256Mi"),
            new ResourceAmounts("1", "512Mi"));
    /** Far below what the JVM needs to start (its heap alone is 75 % of the limit): the kernel OOM-kills it. */
    private static final ComputeResources TOO_SMALL = new ComputeResources(new ResourceAmounts("100m", "32Mi"),
            new ResourceAmounts("1", "32Mi"));

    private static RegionSet regions;
    private static RelayHeartbeats euRelays;
    private static CallLoad calls;

    @BeforeAll
    static void start() {
        regions = RegionSet.startWithRealPods("real-crash", List.of(US, EU), US, List.of(EU), TOKEN_SECRET,
                platform -> {
                    CrashLoopIT.crashLoopPolicy(platform);
                    // Real readiness probes: one that times out on a starved machine (2 s, failure threshold 1) keeps
                    // signaling unready for a 5 s probe period, half of a 10 s window, and drained the region before
                    // the fault. Twice the window lets a blip pass; the crash loop lasts minutes and still opens it.
                    platform.getSpec().failover.circuitBreaker.slidingWindowSeconds = 20;
                    platform.getSpec().failover.circuitBreaker.minimumSamples = 8;
                    platform.getSpec().mediaServer.sessionsPerReplica = SESSIONS_PER_REPLICA;
                    // One JVM per pod on a 2-core machine: one relay and one signaling instance.
                    platform.getSpec().mediaServer.replicas = new ReplicaRange(1, 4);
                    platform.getSpec().mediaServer.resources = FITS;
                    platform.getSpec().signaling.replicas = new ReplicaRange(1, 1);
                    platform.getSpec().signaling.resources = FITS;
                });
        KubernetesClient eu = regions.planes.get(EU).client();
        euRelays = RelayHeartbeats.start(regions.moto.endpoint(), "multi-sessions");
        // eu-west-1's kwok pods run no media server: its relays are reported, one per ready replica.
        euRelays.report(EU, () -> {
            List<Relay> relays = new ArrayList<>();
            IntStream.range(0, readyMediaReplicas(eu)).forEach(i -> relays.add(new Relay("meet-media-server-eu-" + i,
                    i == 0 ? EU_SESSIONS : 0, SESSIONS_PER_REPLICA)));
            return relays;
        });
        await("both regions serving, us-east-1's real pods Ready").atMost(Duration.ofSeconds(240))
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> regions.weights().equals(regions.allAt(100)) && regions.seesEveryRegionHealthy(US)
                        && readyMediaReplicas(regions.planes.get(US).client()) == 1);
    }

    @AfterAll
    static void stop() {
        Teardown.closeAll(calls, euRelays, regions);
    }

    @Test
    void aMemoryLimitTooSmallForTheJvmCrashLoopsTheRegionWhichIsDrainedAndRestoredInStepsAfterTheFix()
            throws Exception {
        KubernetesClient us = regions.planes.get(US).client();
        KubernetesClient eu = regions.planes.get(EU).client();
        calls = CallLoad.start(List.of(signalingUri(us)), new TokenCodec(TOKEN_SECRET.getBytes(StandardCharsets.UTF_8)),
                CALLS, 2);
        RealPodsE2E.awaitMediaFlowing(calls);
        int euBefore = mediaReplicas(eu);
        int needed = (int) (((EU_SESSIONS + CALLS) * (100 + HEADROOM_PERCENT) + 100L * SESSIONS_PER_REPLICA - 1)
                / (100L * SESSIONS_PER_REPLICA));
        assertThat(needed).isGreaterThan(euBefore);
        List<Long> usWeights = new CopyOnWriteArrayList<>();

        String servingRelay = mediaPods(us).get(0).getMetadata().getName();
        // The bad change, applied to us-east-1's cluster (a region at a time, as a careful rollout would).
        Platforms.editSpec(us, "rtc", "meet", spec -> spec.mediaServer.resources = TOO_SMALL);

        await("the kubelet reports the new relay container killed for memory, again and again")
                .atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .until(() -> mediaPods(us).stream().map(RealCrashLoopE2E::status)
                        .anyMatch(s -> s != null && s.getRestartCount() >= 2 && s.getLastState().getTerminated() != null
                                && "OOMKilled".equals(s.getLastState().getTerminated().getReason())));
        await("restarts within the budget").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !regions.history("Restart", "Applied", US).isEmpty());
        await("eu-west-1 pre-scaled for us-east-1's sessions").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1)).until(() -> mediaReplicas(eu) >= needed);
        assertThat(mediaReplicas(eu)).as("the pre-scale formula").isEqualTo(needed);
        await("breaker open, us-east-1 drained in Route 53").atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofSeconds(1)).until(() -> Long.valueOf(0).equals(regions.weights().get(US)));
        assertThat(regions.weights()).containsEntry(EU, 100L);
        await("restart, breaker and drain in us-east-1's history").atMost(Duration.ofSeconds(30))
                .until(() -> regions.platformIn(US).getStatus().history.stream().map(h -> h.action).toList(),
                        actions -> actions.containsAll(List.of("Restart", "BreakerOpen", "Drain")));
        assertThat(regions.history("Restart", "Applied", US)).as("restart budget").hasSizeLessThanOrEqualTo(2);
        assertThat(regions.history("Drain", "Applied", US)).singleElement()
                .satisfies(h -> assertThat(h.reason).contains("surviving regions have the capacity"));
        // What the real kubelet shows and kwok's injected faults did not: the rollout (maxSurge 1, maxUnavailable 0)
        // only ever replaces the surge pod, so the old relay keeps its calls while DNS sends new ones away.
        assertThat(us.pods().inNamespace("rtc").withName(servingRelay).get()).as("the old ReplicaSet's relay, kept; "
                + mediaPods(us).stream().map(p -> p.getMetadata().getName() + " " + status(p)).toList()).isNotNull();
        RealPodsE2E.awaitMediaFlowing(calls);

        // The fix.
        Platforms.editSpec(us, "rtc", "meet", spec -> spec.mediaServer.resources = FITS);
        await("weight restored after recovery").atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Long weight = regions.weights().get(US);
                    if (usWeights.isEmpty() || !usWeights.get(usWeights.size() - 1).equals(weight)) {
                        usWeights.add(weight);
                    }
                    return Long.valueOf(100).equals(weight);
                });
        assertThat(usWeights).as("us-east-1's weights after the fix").contains(0L, 100L)
                .anyMatch(w -> w > 0 && w < 100);
        assertThat(regions.platformIn(US).getStatus().history).extracting(h -> h.action).contains("RestoreStep");
        await("us-east-1's relays Ready again").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> readyMediaReplicas(us) >= 1);
    }

    private static URI signalingUri(KubernetesClient client) {
        Pod signaling = client.pods().inNamespace("rtc").withLabel("app.kubernetes.io/component", "signaling").list()
                .getItems().get(0);
        return URI.create("ws://" + signaling.getStatus().getPodIP() + ":8080/signal");
    }

    private static List<Pod> mediaPods(KubernetesClient client) {
        return client.pods().inNamespace("rtc").withLabel("app.kubernetes.io/component", "media-server").list()
                .getItems();
    }

    private static ContainerStatus status(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                || pod.getStatus().getContainerStatuses().isEmpty() ? null
                : pod.getStatus().getContainerStatuses().get(0);
    }

    private static int mediaReplicas(KubernetesClient client) {
        return client.apps().deployments().inNamespace("rtc").withName(MEDIA_DEPLOYMENT).get().getSpec().getReplicas();
    }

    private static int readyMediaReplicas(KubernetesClient client) {
        Deployment d = client.apps().deployments().inNamespace("rtc").withName(MEDIA_DEPLOYMENT).get();
        return d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
    }
}
