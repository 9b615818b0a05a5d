package dev.lifeline.media.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.lifeline.sessiontable.InstanceHeartbeat;

class RelaySelectorTest {

    private static final long NOW = 1_000_000;
    private final RelaySelector selector = new RelaySelector(new RelaySelector.Duration(3000), new Random(3));

    @Test
    void staleDrainingNotReadyAndFullRelaysAreNeverChosen() {
        List<InstanceHeartbeat> relays = List.of(
                relay("stale", "r1", 0, true, false, NOW - 3001),
                relay("draining", "r1", 0, true, true, NOW),
                relay("not-ready", "r1", 0, false, false, NOW),
                new InstanceHeartbeat("media", "r1", "full", "h:1", 10, 10, 0.0, 0.0, 0.0, true, false,
                        Instant.ofEpochMilli(NOW)),
                new InstanceHeartbeat("signaling", "r1", "sig", "h:1", 0, 10, 0.0, 0.0, 0.0, true, false,
                        Instant.ofEpochMilli(NOW)));
        assertThat(selector.choose(relays, "r1", Set.of(), NOW)).isEmpty();
    }

    @Test
    void ownRegionFirstThenAnyOther() {
        List<InstanceHeartbeat> relays = List.of(relay("far", "r2", 0, true, false, NOW),
                relay("near", "r1", 9, true, false, NOW));
        assertThat(selector.choose(relays, "r1", Set.of(), NOW)).get().extracting(InstanceHeartbeat::instanceId)
                .isEqualTo("near");
        assertThat(selector.choose(relays, "r1", Set.of("near"), NOW)).get().extracting(InstanceHeartbeat::instanceId)
                .isEqualTo("far");
    }

    @Test
    void theLessLoadedRelayWinsMostOfTheTimeButNotAlways() {
        List<InstanceHeartbeat> relays = List.of(relay("busy", "r1", 8, true, false, NOW),
                relay("idle", "r1", 1, true, false, NOW));
        var picks = IntStream.range(0, 1000)
                .mapToObj(i -> selector.choose(relays, "r1", Set.of(), NOW).orElseThrow().instanceId())
                .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        // Two random choices of two relays: the idle one unless both draws hit the busy one (~1/4).
        assertThat(picks.get("idle")).isBetween(650L, 850L);
        assertThat(picks.get("busy")).isPositive();
    }

    @Test
    void theStandbyIsAnotherEligibleRelayInTheOwnersRegionOnAnotherHostWhenThereIsOne() {
        InstanceHeartbeat owner = at("owner", "r1", "10.0.0.1:4000");
        List<InstanceHeartbeat> relays = List.of(owner, at("same-host", "r1", "10.0.0.1:4001"),
                at("other-host", "r1", "10.0.0.2:4000"), at("far", "r2", "10.9.0.1:4000"));
        for (int i = 0; i < 20; i++) {
            assertThat(selector.chooseStandby(relays, owner, Set.of(), NOW)).get()
                    .extracting(InstanceHeartbeat::instanceId).isEqualTo("other-host");
        }
        assertThat(selector.chooseStandby(relays, owner, Set.of("other-host"), NOW)).get()
                .extracting(InstanceHeartbeat::instanceId).isEqualTo("same-host");
        assertThat(selector.chooseStandby(relays, owner, Set.of("other-host", "same-host"), NOW))
                .as("never another region").isEmpty();
        assertThat(selector.chooseStandby(List.of(owner), owner, Set.of(), NOW)).as("never the owner").isEmpty();
    }

    private static InstanceHeartbeat at(String id, String region, String address) {
        return new InstanceHeartbeat("media", region, id, address, 0, 10, 0.0, 0.0, 0.0, true, false,
                Instant.ofEpochMilli(NOW));
    }

    @Test
    void aBusyOrNotReadyRelayIsStillFitToKeepItsSessionsButADrainingOrSilentOneIsNot() {
        assertThat(selector.fitToKeep(relay("a", "r1", 10, false, false, NOW), NOW)).isTrue();
        assertThat(selector.fitToKeep(relay("a", "r1", 1, true, true, NOW), NOW)).isFalse();
        assertThat(selector.fitToKeep(relay("a", "r1", 1, true, false, NOW - 5000), NOW)).isFalse();
    }

    private static InstanceHeartbeat relay(String id, String region, int sessions, boolean ready, boolean draining,
                                           long updatedAt) {
        return new InstanceHeartbeat("media", region, id, id + ":4000", sessions, 10, 0.0, 0.0, 0.0, ready, draining,
                Instant.ofEpochMilli(updatedAt));
    }
}
