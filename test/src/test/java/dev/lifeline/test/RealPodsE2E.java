package dev.lifeline.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lifeline.media.load.AudioParticipant;
import dev.lifeline.media.load.CallLoad;
import dev.lifeline.media.load.Disruption;
import dev.lifeline.media.token.TokenCodec;
import dev.lifeline.operator.api.MediaServerSpec;
import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.api.ReplicaRange;
import dev.lifeline.sessiontable.InstanceHeartbeat;
import dev.lifeline.test.harness.Platforms;
import dev.lifeline.test.harness.RepoPaths;
import dev.lifeline.test.harness.Teardown;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

/**
 * The operator deploys its own media server on a real node ({@link RealPodsStack}: one simulated
 * region whose only schedulable node is a real kubelet, moto bound to the node's address, the
 * packaged operator as a process). In order, sharing that one platform:
 * <ol>
 *   <li>the media-server and signaling pods run the built image under the operator's hardened pod
 *       template, become Ready through their real HTTP probes, heartbeat into the session table the
 *       operator created, and the platform's {@code Ready} follows from their real available replicas;</li>
 *   <li>the client library on the host makes 20 two-party calls through the signaling pod and the two
 *       relays (pod IPs); the JVM of the relay with the most calls is SIGKILLed from the host: every one
 *       of its calls has media again through the other relay (time per call written to
 *       {@code target/harness/real-pods-relay-kill.txt}), and the kubelet restarts the container;</li>
 *   <li>new calls land mostly on the restarted, emptier relay; the operator's pod-deletion-cost ranks it
 *       below the other, so scaling the media server down to one replica makes the real ReplicaSet
 *       delete it; on SIGTERM it answers its readiness probe with 503 while it drains, its calls move
 *       with none dropped, and it exits within terminationGracePeriodSeconds.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealPodsE2E {

    private static final Logger LOG = LoggerFactory.getLogger(RealPodsE2E.class);
    private static final String REGION = RealPodsStack.REGION;
    private static final String NODE = RealPodsStack.NODE;
    private static final String NAMESPACE = RealPodsStack.NAMESPACE;
    private static final String NAME = RealPodsStack.NAME;

    private static final int CALLS = 20;
    private static final int EXTRA_CALLS = 8;

    private static RealPodsStack stack;
    private static CallLoad calls;
    private static CallLoad extraCalls;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        stack = RealPodsStack.start("real-pods");
        client = stack.client;
    }

    @AfterAll
    static void stop() {
        Teardown.closeAll(extraCalls, calls, stack);
    }

    @Test
    @Order(1)
    void theOperatorsPodsRunTheBuiltImageBecomeReadyAndHeartbeat() {
        stack.createPlatform();

        List<Pod> pods = stack.pods();
        assertThat(pods).hasSize(3).allSatisfy(pod -> {
            assertThat(pod.getSpec().getNodeName()).isEqualTo(NODE);
            assertThat(pod.getStatus().getPodIP()).startsWith("10.244.");
            assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo(MediaServerSpec.DEFAULT_IMAGE);
            assertThat(ready(pod)).isTrue();
        });
        RealtimePlatform seen = Platforms.of(client).inNamespace(NAMESPACE).withName(NAME).get();
        assertThat(Platforms.condition(seen, "WorkloadsAvailable")).get().satisfies(c -> assertThat(c.getStatus())
                .isEqualTo("True"));
        assertThat(seen.getStatus().regions).filteredOn(r -> REGION.equals(r.name)).singleElement()
                .satisfies(r -> assertThat(r.readyReplicas).isEqualTo(2));

        // Both roles heartbeat into the table the operator made, as the session-table codec reads them.
        Map<String, String> podOfRole = new LinkedHashMap<>();
        pods.forEach(p -> podOfRole.put(p.getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> "LIFELINE_ROLE".equals(e.getName())).findFirst().orElseThrow().getValue(),
                p.getMetadata().getName()));
        await("INSTANCE# heartbeats of both pods").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(stack.heartbeats()).extracting(InstanceHeartbeat::role,
                        InstanceHeartbeat::instanceId).contains(
                        org.assertj.core.groups.Tuple.tuple(InstanceHeartbeat.MEDIA, podOfRole.get("media")),
                        org.assertj.core.groups.Tuple.tuple(InstanceHeartbeat.SIGNALING, podOfRole.get("signaling"))));
        InstanceHeartbeat relay = stack.heartbeat(InstanceHeartbeat.MEDIA, podOfRole.get("media"));
        assertThat(relay.ready()).isTrue();
        assertThat(relay.region()).isEqualTo(REGION);
        assertThat(relay.address()).startsWith(stack.pod(podOfRole.get("media")).getStatus().getPodIP());
        assertThat(relay.updatedAt()).isAfter(Instant.now().minusSeconds(10));
    }

    @Test
    @Order(2)
    void callsThroughRealPodsResumeOnAnotherRelayWhenARelayProcessIsKilled() throws Exception {
        calls = CallLoad.start(List.of(stack.signalingUri()),
                new TokenCodec(RealPodsStack.TOKEN_SECRET.getBytes(StandardCharsets.UTF_8)), CALLS, 2);
        awaitMediaFlowing(calls);
        Map<String, List<List<AudioParticipant>>> byRelay = calls.callsByRelay();
        assertThat(byRelay.keySet()).as("calls spread over both relays").containsExactlyInAnyOrderElementsOf(
                stack.mediaPods().stream().map(p -> p.getMetadata().getName()).toList());
        String victim = byRelay.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size()))
                .orElseThrow().getKey();
        Pod relay = stack.pod(victim);
        ContainerStatus before = relay.getStatus().getContainerStatuses().get(0);
        List<Long> pids = stack.containerPids(victim);
        assertThat(pids).as("the relay container's processes on the host").hasSize(1);

        // The JVM's own process, as a crash or the kernel's OOM killer would end it: no pod object is touched.
        Disruption kill = calls.disruption("SIGKILL", victim);
        ProcessHandle.of(pids.get(0)).orElseThrow().destroyForcibly();

        try {
            await("every call of the killed relay has media again through another relay").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100)).until(kill::allBack);
        } finally {
            writeOutcomes("real-pods-relay-kill.txt", kill, "relay process (host pid " + pids.get(0) + ") SIGKILLed");
        }
        assertThat(kill.affected()).hasSizeGreaterThanOrEqualTo(CALLS / 2);
        assertThat(kill.lost()).isEmpty();
        assertThat(calls.callsByRelay().keySet()).as("every call now on the survivor").doesNotContain(victim);

        await("relay container restarted by the kubelet and Ready again").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1)).until(() -> {
                    ContainerStatus status = stack.pod(victim).getStatus().getContainerStatuses().get(0);
                    return status.getRestartCount() == before.getRestartCount() + 1 && Boolean.TRUE.equals(status.getReady());
                });
        ContainerStatus after = stack.pod(victim).getStatus().getContainerStatuses().get(0);
        assertThat(after.getLastState().getTerminated()).isNotNull();
        assertThat(after.getLastState().getTerminated().getExitCode()).isEqualTo(137);
        assertThat(after.getContainerID()).isNotEqualTo(before.getContainerID());
        // Same pod, same instance id: its heartbeat carries on, ready for new sessions.
        Instant restartedAt = Instant.now();
        await("restarted relay heartbeats again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> stack.heartbeat(InstanceHeartbeat.MEDIA, victim).updatedAt().isAfter(restartedAt));
    }

    @Test
    @Order(3)
    void scaleDownRemovesTheRelayWithFewestSessionsWhichDrainsOnSigtermWithoutDroppingACall() throws Exception {
        // After the kill every call sits on the survivor; the restarted, empty relay takes most new calls.
        await("both relays heartbeat ready").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> stack.relaysReady(2));
        extraCalls = CallLoad.start(List.of(stack.signalingUri()),
                new TokenCodec(RealPodsStack.TOKEN_SECRET.getBytes(StandardCharsets.UTF_8)), EXTRA_CALLS, 2);
        awaitMediaFlowing(calls, extraCalls);
        Map<String, Integer> callsPerRelay = new LinkedHashMap<>();
        stack.mediaPods().forEach(p -> callsPerRelay.put(p.getMetadata().getName(), 0));
        for (CallLoad load : List.of(calls, extraCalls)) {
            load.callsByRelay().forEach((relay, hosted) -> callsPerRelay.merge(relay, hosted.size(), Integer::sum));
        }
        String emptiest = callsPerRelay.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        String fuller = callsPerRelay.keySet().stream().filter(r -> !r.equals(emptiest)).findFirst().orElseThrow();
        assertThat(callsPerRelay.get(emptiest)).as("calls on the emptiest relay " + callsPerRelay).isPositive()
                .isLessThan(callsPerRelay.get(fuller));

        // The operator writes each relay's pod-deletion-cost from the sessions in its heartbeat.
        await("pod-deletion-cost ranks " + emptiest + " below " + fuller).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).until(() -> deletionCost(emptiest) < deletionCost(fuller));

        Pod leaving = stack.pod(emptiest);
        long grace = leaving.getSpec().getTerminationGracePeriodSeconds();
        URI readiness = URI.create("http://" + leaving.getStatus().getPodIP() + ":8080/q/health/ready");
        List<Pod> seen = new CopyOnWriteArrayList<>();
        List<Integer> readinessAnswers = new CopyOnWriteArrayList<>();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor();
        try (Watch watch = client.pods().inNamespace(NAMESPACE).withName(emptiest).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                seen.add(pod);
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            // What the kubelet's readiness probe asks, asked as often as a test can: the answers while draining.
            prober.scheduleWithFixedDelay(() -> {
                try {
                    readinessAnswers.add(http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofMillis(500))
                            .build(), HttpResponse.BodyHandlers.discarding()).statusCode());
                } catch (Exception e) {
                    // Not listening (any more): nothing to record.
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            Disruption drainOfCalls = calls.disruption("SIGTERM", emptiest);
            Disruption drainOfExtraCalls = extraCalls.disruption("SIGTERM", emptiest);
            Instant scaledDownAt = Instant.now();
            Platforms.editSpec(client, NAMESPACE, NAME, spec -> spec.mediaServer.replicas = new ReplicaRange(1, 1));

            await("the ReplicaSet removes " + emptiest + " after its drain").atMost(Duration.ofSeconds(grace + 30))
                    .pollInterval(Duration.ofMillis(500)).until(() -> stack.pod(emptiest) == null);
            Duration removedAfter = Duration.between(scaledDownAt, Instant.now());
            String note = String.format("%s gone %d ms after the spec change (terminationGracePeriodSeconds %d),"
                    + " readiness answers while it drained %s", emptiest, removedAfter.toMillis(), grace,
                    readinessAnswers.stream().distinct().toList());
            try {
                await("every call of the drained relay has media through the other").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> drainOfCalls.allBack() && drainOfExtraCalls.allBack());
            } finally {
                writeOutcomes("real-pods-scale-down-calls.txt", drainOfCalls, note);
                writeOutcomes("real-pods-scale-down-extra-calls.txt", drainOfExtraCalls, note);
            }
            assertThat(removedAfter).isLessThan(Duration.ofSeconds(grace));
            assertThat(stack.pod(fuller)).as("the fuller relay stays").isNotNull();
            assertThat(drainOfCalls.lost()).isEmpty();
            assertThat(drainOfExtraCalls.lost()).isEmpty();
            assertThat(readinessAnswers).as("readiness while the relay drained").contains(503);
            // The JVM drained and exited on SIGTERM; the kubelet did not have to SIGKILL it at the grace period's end.
            assertThat(seen).as("container states seen while the pod went away")
                    .map(p -> p.getStatus().getContainerStatuses().get(0).getState().getTerminated())
                    .filteredOn(Objects::nonNull).isNotEmpty()
                    .allSatisfy(t -> assertThat(t.getExitCode()).isNotEqualTo(137));
        } finally {
            prober.shutdownNow();
        }
        awaitMediaFlowing(calls, extraCalls);
        assertThat(calls.callsByRelay().keySet()).containsOnly(fuller);
        assertThat(extraCalls.callsByRelay().keySet()).containsOnly(fuller);
    }

    /** Every participant of these loads receives media from now on (its count grows); also for other *E2E tests. */
    static void awaitMediaFlowing(CallLoad... loads) {
        Map<AudioParticipant, Long> before = new java.util.HashMap<>();
        for (CallLoad load : loads) {
            load.participants().forEach(p -> before.put(p, p.stats().received()));
        }
        await("media flowing for every participant").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> before.entrySet().stream().allMatch(e -> e.getKey().stats().received() > e.getValue()));
    }

    private static int deletionCost(String podName) {
        String cost = stack.pod(podName).getMetadata().getAnnotations().get("controller.kubernetes.io/pod-deletion-cost");
        return cost == null ? Integer.MAX_VALUE : Integer.parseInt(cost);
    }

    /** Per call: how long until media flowed again, or that it did not; written beside the harness logs. */
    private static void writeOutcomes(String file, Disruption disruption, String note) throws java.io.IOException {
        StringBuilder out = new StringBuilder("# " + disruption.kind() + " of relay " + disruption.relayId() + ", "
                + disruption.affected().size() + " calls affected; " + note + "\n");
        for (Disruption.CallOutcome call : disruption.outcomes()) {
            out.append(call.sessionId()).append(' ').append(call.mediaAgainAfter().map(d -> d.toMillis() + " ms")
                    .orElse("not back")).append('\n');
        }
        Path path = RepoPaths.workDir().resolve(file);
        Files.writeString(path, out);
        LOG.info("{}: media again per call, written to {}\n{}", disruption.kind(), path, out);
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
