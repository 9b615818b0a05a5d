package dev.lifeline.operator.policy;

import static dev.lifeline.operator.policy.Fixtures.AP;
import static dev.lifeline.operator.policy.Fixtures.EU;
import static dev.lifeline.operator.policy.Fixtures.US;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.lifeline.operator.api.FailoverSpec.Quorum;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class QuorumPolicyTest {

    static final Instant NOW = TestClock.T0.plusSeconds(600);
    static final Duration STALE = Duration.ofSeconds(6);
    static final Instant FRESH = NOW.minusSeconds(2);
    static final Instant OLD = NOW.minusSeconds(60);
    static final List<String> THREE = List.of(US, EU, AP);

    static Map<String, Instant> view(Object... pairs) {
        Map<String, Instant> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Instant) pairs[i + 1]);
        }
        return m;
    }

    @Test
    void silentRegionSeenStaleByTheMajorityIsDown() {
        // ap-south-1's operator stopped: us and eu see its heartbeat old, and each other fresh
        Map<String, Instant> usView = view(US, NOW, EU, FRESH, AP, OLD);
        Map<String, Map<String, Instant>> peers = Map.of(EU, view(US, FRESH, EU, FRESH, AP, OLD));
        QuorumPolicy.Verdict v = QuorumPolicy.evaluate(NOW, THREE, US, usView, peers, STALE, Quorum.Majority);
        assertThat(v.down()).containsExactly(AP);
        assertThat(v.coordinator()).containsEntry(AP, US);
        assertThat(v.reasons().get(AP)).contains("2 of 3 regions").contains("need 2");
        assertThat(v.isolated()).isFalse();
        assertThat(v.quorumSeesUp(US)).isTrue();
        assertThat(v.quorumSeesUp(AP)).isFalse();

        // seen from eu, the same verdict, and us is the coordinator too (first in spec order)
        QuorumPolicy.Verdict fromEu = QuorumPolicy.evaluate(NOW, THREE, EU, view(US, FRESH, EU, NOW, AP, OLD),
                Map.of(US, usView), STALE, Quorum.Majority);
        assertThat(fromEu.down()).containsExactly(AP);
        assertThat(fromEu.coordinator()).containsEntry(AP, US);
    }

    @Test
    void isolatedRegionConcludesNothing() {
        // partition: ap sees no one (their heartbeats no longer replicate to it); their views are old too
        Map<String, Instant> apView = view(US, OLD, EU, OLD, AP, NOW);
        Map<String, Map<String, Instant>> stalePeers = Map.of(US, view(US, OLD, EU, OLD, AP, OLD),
                EU, view(US, OLD, EU, OLD, AP, OLD));
        QuorumPolicy.Verdict v = QuorumPolicy.evaluate(NOW, THREE, AP, apView, stalePeers, STALE, Quorum.Majority);
        assertThat(v.isolated()).isTrue();
        assertThat(v.down()).isEmpty();
        assertThat(v.live()).containsExactly(AP);
        assertThat(v.quorumSeesUp(AP)).isFalse();
    }

    @Test
    void oneVoterIsNotAQuorum() {
        // us sees ap stale, but eu still sees it fresh (ap's heartbeats reach eu's replica)
        QuorumPolicy.Verdict v = QuorumPolicy.evaluate(NOW, THREE, US, view(US, NOW, EU, FRESH, AP, OLD),
                Map.of(EU, view(US, FRESH, EU, FRESH, AP, FRESH)), STALE, Quorum.Majority);
        assertThat(v.down()).isEmpty();
        // and a region whose operator is still heartbeating is never a candidate, whatever the others say
        QuorumPolicy.Verdict alive = QuorumPolicy.evaluate(NOW, THREE, US, view(US, NOW, EU, FRESH, AP, FRESH),
                Map.of(EU, view(US, FRESH, EU, FRESH, AP, OLD), AP, view(US, FRESH, EU, FRESH, AP, FRESH)), STALE,
                Quorum.Majority);
        assertThat(alive.down()).isEmpty();
    }

    @Test
    void staleVotersDoNotCount() {
        // eu's view says ap is old, but eu itself is stale: its view is old news
        QuorumPolicy.Verdict v = QuorumPolicy.evaluate(NOW, THREE, US, view(US, NOW, EU, OLD, AP, OLD),
                Map.of(EU, view(US, FRESH, EU, FRESH, AP, OLD)), STALE, Quorum.Majority);
        assertThat(v.down()).isEmpty();
        assertThat(v.isolated()).isTrue();
    }

    @Test
    void twoRegionsNeverDrainEachOtherByQuorum() {
        QuorumPolicy.Verdict v = QuorumPolicy.evaluate(NOW, List.of(US, EU), US, view(US, NOW, EU, OLD), Map.of(),
                STALE, Quorum.Majority);
        assertThat(v.need()).isEqualTo(2);
        assertThat(v.down()).isEmpty();
    }

    @Test
    void allModeNeedsEveryLiveRegion() {
        List<String> five = List.of("r1", "r2", "r3", "r4", "r5");
        // r5 silent; r1..r3 see it stale; r4 is live but still sees it fresh
        Map<String, Instant> stale5 = view("r1", FRESH, "r2", FRESH, "r3", FRESH, "r4", FRESH, "r5", OLD);
        Map<String, Map<String, Instant>> peers = new HashMap<>();
        peers.put("r2", stale5);
        peers.put("r3", stale5);
        peers.put("r4", view("r1", FRESH, "r2", FRESH, "r3", FRESH, "r4", FRESH, "r5", FRESH));
        Map<String, Instant> local = view("r1", NOW, "r2", FRESH, "r3", FRESH, "r4", FRESH, "r5", OLD);
        assertThat(QuorumPolicy.evaluate(NOW, five, "r1", local, peers, STALE, Quorum.Majority).down())
                .containsExactly("r5");
        assertThat(QuorumPolicy.evaluate(NOW, five, "r1", local, peers, STALE, Quorum.All).down()).isEmpty();
        // a live region that has published no view blocks All too
        peers.remove("r4");
        assertThat(QuorumPolicy.evaluate(NOW, five, "r1", local, peers, STALE, Quorum.All).down()).isEmpty();
        peers.put("r4", stale5);
        assertThat(QuorumPolicy.evaluate(NOW, five, "r1", local, peers, STALE, Quorum.All).down())
                .containsExactly("r5");
    }

    @Test
    void freshnessBoundaryIsInclusive() {
        Instant exactly = NOW.minus(STALE);
        QuorumPolicy.Verdict v = QuorumPolicy.evaluate(NOW, THREE, US, view(US, NOW, EU, FRESH, AP, exactly),
                Map.of(EU, view(US, FRESH, EU, FRESH, AP, exactly)), STALE, Quorum.Majority);
        assertThat(v.down()).isEmpty();
        QuorumPolicy.Verdict later = QuorumPolicy.evaluate(NOW.plusMillis(1), THREE, US,
                view(US, NOW, EU, FRESH, AP, exactly), Map.of(EU, view(US, FRESH, EU, FRESH, AP, exactly)), STALE,
                Quorum.Majority);
        assertThat(later.down()).containsExactly(AP);
    }

    // ---- properties ------------------------------------------------------------------------------------------

    /** A random network: a partition into groups (regions see exactly their own group) and some dead regions. */
    record Network(List<String> regions, List<Integer> groupOf, Set<Integer> dead, Quorum mode) {
        boolean sees(int a, int b) {
            return a == b || (!dead.contains(b) && groupOf.get(a).equals(groupOf.get(b)));
        }
    }

    @Provide
    Arbitrary<Network> networks() {
        return Arbitraries.integers().between(1, 9).flatMap(n -> {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                names.add("r" + i);
            }
            Arbitrary<List<Integer>> groups = Arbitraries.integers().between(0, 3).list().ofSize(n);
            Arbitrary<Set<Integer>> dead = Arbitraries.integers().between(0, n - 1).set().ofMaxSize(n);
            return net.jqwik.api.Combinators.combine(groups, dead, Arbitraries.of(Quorum.class))
                    .as((g, d, m) -> new Network(names, g, d, m));
        });
    }

    /** What region {@code me} concludes in this network. */
    static QuorumPolicy.Verdict verdictOf(Network net, int me) {
        Map<String, Instant> local = new HashMap<>();
        Map<String, Map<String, Instant>> peers = new HashMap<>();
        for (int b = 0; b < net.regions().size(); b++) {
            local.put(net.regions().get(b), net.sees(me, b) ? FRESH : OLD);
        }
        for (int a = 0; a < net.regions().size(); a++) {
            if (a == me) {
                continue;
            }
            // a peer's view as replicated to me: fresh if we can see each other, then it says what a sees
            Map<String, Instant> v = new HashMap<>();
            for (int b = 0; b < net.regions().size(); b++) {
                v.put(net.regions().get(b), net.sees(a, b) ? FRESH : OLD);
            }
            peers.put(net.regions().get(a), v);
        }
        return QuorumPolicy.evaluate(NOW, net.regions(), net.regions().get(me), local, peers, STALE, net.mode());
    }

    /**
     * The partition property: a region that sees fewer than a majority of all regions (itself included) never
     * declares anyone down, and never two regions that cannot see each other both declare regions down — so an
     * isolated minority never drains the majority, and two sides of a partition never drain each other.
     */
    @Property(tries = 400)
    void minorityNeverDrainsAndSidesNeverBothDrain(@ForAll("networks") Network net) {
        int n = net.regions().size();
        int need = n / 2 + 1;
        Set<Integer> drainers = new HashSet<>();
        for (int me = 0; me < n; me++) {
            if (net.dead().contains(me)) {
                continue; // dead operators decide nothing
            }
            QuorumPolicy.Verdict v = verdictOf(net, me);
            int visible = 0;
            for (int b = 0; b < n; b++) {
                if (net.sees(me, b)) {
                    visible++;
                }
            }
            assertThat(v.down()).doesNotContain(net.regions().get(me));
            if (visible < need) {
                assertThat(v.down()).as("a region seeing %d of %d regions", visible, n).isEmpty();
            }
            for (String d : v.down()) {
                assertThat(v.live()).doesNotContain(d);
            }
            if (!v.down().isEmpty()) {
                drainers.add(me);
            }
        }
        for (int a : drainers) {
            for (int b : drainers) {
                assertThat(net.sees(a, b)).as("regions %d and %d drain from different sides", a, b).isTrue();
            }
        }
    }

    /** A region that every live region sees dead, with a live majority, is always found down (liveness). */
    @Property(tries = 200)
    void deadRegionIsFoundByALiveMajority(@ForAll("networks") Network net) {
        int n = net.regions().size();
        // heal the partition: one group
        List<Integer> oneGroup = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            oneGroup.add(0);
        }
        Network healed = new Network(net.regions(), oneGroup, net.dead(), net.mode());
        int liveCount = n - net.dead().size();
        if (liveCount < n / 2 + 1 || liveCount == 0 || net.dead().isEmpty()) {
            return;
        }
        int me = 0;
        while (healed.dead().contains(me)) {
            me++;
        }
        QuorumPolicy.Verdict v = verdictOf(healed, me);
        for (int d : healed.dead()) {
            assertThat(v.down()).contains(healed.regions().get(d));
        }
    }
}
