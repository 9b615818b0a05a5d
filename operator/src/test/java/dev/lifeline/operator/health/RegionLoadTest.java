package dev.lifeline.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lifeline.operator.policy.Busy;
import dev.lifeline.sessiontable.InstanceHeartbeat;

class RegionLoadTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
    private static final Duration STALE_AFTER = Duration.ofSeconds(6);

    @Test
    void sumsTheSessionsOfLiveRelaysAndTheCapacityOfThoseThatTakeNewSessions() {
        List<InstanceHeartbeat> heartbeats = List.of(
                relay("media-a", 120, 500, true, false, NOW.minusSeconds(1)),
                relay("media-b", 480, 500, false, false, NOW.minusSeconds(2)), // full: reports not ready
                relay("media-c", 30, 500, true, true, NOW)); // draining: moving its sessions away

        RegionLoad load = RegionLoad.of(heartbeats, NOW, STALE_AFTER);

        assertThat(load.sessionsByPod()).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("media-a", 120L, "media-b", 480L, "media-c", 30L));
        assertThat(load.sessions()).as("every live relay still carries its sessions").isEqualTo(630);
        assertThat(load.capacity()).as("only ready, non-draining relays take more").isEqualTo(500);
        assertThat(load.liveRelays()).isEqualTo(3);
        assertThat(load.staleRelays()).isZero();
    }

    @Test
    void relaysThatSayTheyAreFullOrDrainingAreBusyNotBroken() {
        List<InstanceHeartbeat> heartbeats = List.of(
                relay("media-ok", 120, 500, true, false, NOW),
                relay("media-full", 500, 500, false, false, NOW), // at capacity: not ready because full
                relay("media-unready", 10, 500, false, false, NOW), // not ready for another reason
                relay("media-draining", 30, 500, false, true, NOW),
                relay("media-gone", 500, 500, false, false, NOW.minus(STALE_AFTER).minusSeconds(1)));

        RegionLoad load = RegionLoad.of(heartbeats, NOW, STALE_AFTER);

        assertThat(load.busyByPod()).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("media-full", Busy.FULL, "media-draining", Busy.DRAINING));
    }

    @Test
    void heartbeatsOlderThanStaleAfterAreDeadPodsAndCountForNothing() {
        List<InstanceHeartbeat> heartbeats = List.of(
                relay("media-live", 100, 500, true, false, NOW.minus(STALE_AFTER)), // exactly at the limit: live
                relay("media-dead", 400, 500, true, false, NOW.minus(STALE_AFTER).minusMillis(1)));

        RegionLoad load = RegionLoad.of(heartbeats, NOW, STALE_AFTER);

        assertThat(load.sessionsByPod()).containsOnlyKeys("media-live");
        assertThat(load.sessions()).isEqualTo(100);
        assertThat(load.capacity()).isEqualTo(500);
        assertThat(load.staleRelays()).isEqualTo(1);
    }

    @Test
    void signalingInstancesAreNotMediaLoad() {
        InstanceHeartbeat signaling = new InstanceHeartbeat(InstanceHeartbeat.SIGNALING, "us-east-1", "sig-a",
                "10.0.0.9:8443", 900, 5000, null, null, null, true, false, NOW);

        RegionLoad load = RegionLoad.of(List.of(signaling, relay("media-a", 5, 500, true, false, NOW)), NOW,
                STALE_AFTER);

        assertThat(load.sessionsByPod()).containsOnlyKeys("media-a");
        assertThat(load.sessions()).isEqualTo(5);
        assertThat(load.capacity()).isEqualTo(500);
    }

    @Test
    void noRelaysIsAKnownZeroAndHugeCountsSaturateInsteadOfWrapping() {
        assertThat(RegionLoad.of(List.of(), NOW, STALE_AFTER))
                .isEqualTo(new RegionLoad(java.util.Map.of(), 0, 0, 0, 0));

        RegionLoad huge = RegionLoad.of(List.of(relay("a", Long.MAX_VALUE, Long.MAX_VALUE, true, false, NOW),
                relay("b", 1, 1, true, false, NOW)), NOW, STALE_AFTER);

        assertThat(huge.sessions()).isEqualTo(Long.MAX_VALUE);
        assertThat(huge.capacity()).isEqualTo(Long.MAX_VALUE);
    }

    private static InstanceHeartbeat relay(String pod, long sessions, long capacity, boolean ready, boolean draining,
            Instant at) {
        return InstanceHeartbeat.media("us-east-1", pod, sessions, capacity, ready, draining, at);
    }
}
