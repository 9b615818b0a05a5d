package dev.lifeline.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.RealtimePlatform;
import dev.lifeline.operator.policy.Observations;
import dev.lifeline.operator.policy.Phase;
import dev.lifeline.operator.workload.TestPlatforms;

class SignalCollectorTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
    private final RealtimePlatform platform = TestPlatforms.platform("meet", "us-east-1", "eu-west-1", "ap-south-1");

    @Test
    void localRegionIsAliveNowAndPeersComeFromTheirHeartbeats() {
        Instant euSeen = NOW.minusSeconds(3);
        var eu = new OperatorHeartbeat("eu-west-1", euSeen, Phase.DRAINED, 40L, 1000L,
                Map.of("us-east-1", NOW.minusSeconds(2)));

        Observations observations = SignalCollector.observations("us-east-1", platform.getSpec(), Optional.empty(),
                Optional.empty(), Map.of("eu-west-1", eu), Optional.empty(), Phase.SERVING, 100, false, NOW);

        var local = observations.regions().get("us-east-1");
        assertThat(local.route53Healthy()).as("Route 53's verdict on the local health check").isFalse();
        assertThat(local.lastHeartbeat()).isEqualTo(NOW);
        assertThat(local.phase()).isEqualTo(Phase.SERVING);
        assertThat(local.dnsWeight()).isEqualTo(100);
        assertThat(local.peerView()).containsExactly(Map.entry("eu-west-1", euSeen));
        var peer = observations.regions().get("eu-west-1");
        assertThat(peer.phase()).isEqualTo(Phase.DRAINED);
        assertThat(peer.activeSessions()).isEqualTo(40L);
        assertThat(peer.peerView()).containsKey("us-east-1");
        var silent = observations.regions().get("ap-south-1");
        assertThat(silent.lastHeartbeat()).as("never heard of").isNull();
    }

    @Test
    void localLoadComesFromThisIntervalsRelayHeartbeatsNotFromItsOwnPreviousHeartbeat() {
        var ownPrevious = new OperatorHeartbeat("us-east-1", NOW.minusSeconds(2), Phase.SERVING, 999L, 9999L, Map.of());
        var load = new RegionLoad(Map.of("pod-a", 70L), 70, 500, 1, 0);

        var known = SignalCollector.observations("us-east-1", platform.getSpec(), Optional.empty(), Optional.empty(),
                Map.of("us-east-1", ownPrevious), Optional.of(load), Phase.SERVING, 100, null, NOW).regions().get("us-east-1");
        var unknown = SignalCollector.observations("us-east-1", platform.getSpec(), Optional.empty(), Optional.empty(),
                Map.of("us-east-1", ownPrevious), Optional.empty(), Phase.SERVING, 100, null, NOW).regions().get("us-east-1");

        assertThat(known.activeSessions()).isEqualTo(70L);
        assertThat(known.capacity()).isEqualTo(500L);
        assertThat(unknown.activeSessions()).as("relays unreadable: unknown").isNull();
        assertThat(unknown.capacity()).isNull();
    }
}
