package dev.lifeline.media.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.lifeline.media.protocol.ServerMessage;
import dev.lifeline.media.session.InstanceDirectory;
import dev.lifeline.media.session.RelaySelector;
import dev.lifeline.media.token.ReplayGuard;
import dev.lifeline.media.token.TokenClaims;
import dev.lifeline.media.token.TokenCodec;
import dev.lifeline.sessiontable.InstanceHeartbeat;
import dev.lifeline.sessiontable.SessionRecord;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Cross-region takeovers on a global table: the real {@link SessionService} of each region, each on its own
 * replica of {@link GlobalTableModel} (conditions checked in the writer's replica, replication delivered in any
 * order, settled last-writer-wins). Relays die and are replaced, participants resume in any region while
 * replication lags (so regions take the session over concurrently), and each region's settlement check runs at
 * any point. However that interleaves, once replication has caught up and the checks have run, the session has one
 * assignment everywhere: every replica holds the same item, every participant is on its relay at its token, and
 * every region's signaling hands out that one. Two regions never both serve it.
 *
 * <p>With the standby (issue 13): a participant whose relay died may first move on its own to the session's standby,
 * bound with the token pre-authorised for the next epoch, and only later ask signaling to record the move. That
 * provisional binding is not an assignment: the reply it gets is the item's, and it follows that. The same end state
 * holds, with every participant also holding the item's standby.
 */
class CrossRegionFencingPropertyTest {

    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-south-1");
    private static final int PARTICIPANTS = 3;
    private static final long NOW_MS = 1_800_000_000_000L;
    private static final long SETTLE_WINDOW_MS = 60_000;

    sealed interface Step {
    }

    /** The {@code pick}-th live relay dies; a replacement starts in its region. */
    record Kill(int pick) implements Step {
    }

    /** A participant whose relay died resumes through {@code region}'s signaling (its own, or another that answers). */
    record Resume(int participant, int region) implements Step {
    }

    /** One pending replication arrives (any of them: replication delays and reorders). */
    record Deliver(int pick) implements Step {
    }

    /** {@code region}'s signaling runs its settlement check and its superseded participants resume there. */
    record Check(int region) implements Step {
    }

    /** A participant whose relay died binds to its standby (if that lives) without asking signaling. */
    record TakeStandby(int participant) implements Step {
    }

    @Property(tries = 500)
    void afterSettlementOneAssignmentServesTheSessionEverywhere(@ForAll("steps") List<Step> steps) throws Exception {
        World world = new World();
        world.joinAll();
        for (Step step : steps) {
            world.apply(step);
        }
        world.settle();
        world.assertOneAssignment();
    }

    @Example
    void concurrentTakeoversInTwoRegionsSettleOnOne() throws Exception {
        World world = new World();
        world.joinAll();
        world.kill(world.participants.get(0).standbyRelayId);   // the standby dies (unnoticed: it owns nothing)...
        world.kill(world.participants.get(0).relayId);          // ...then the session's relay
        world.apply(new Resume(0, 0));            // p0 resumes at home: us-east-1 moves it, epoch 2
        world.apply(new Resume(1, 1));            // p1 resumes in eu-west-1 before that replicated: epoch 2 there too
        assertThat(world.participants.get(0).relayId).isNotEqualTo(world.participants.get(1).relayId);

        world.settle();

        world.assertOneAssignment();
    }

    @Example
    void bothSidesMoveToTheSameStandbyAndTwoRegionsRecordingItConcurrentlyAgree() throws Exception {
        World world = new World();
        world.joinAll();
        String standby = world.participants.get(0).standbyRelayId;
        assertThat(world.participants).as("one standby per session").allSatisfy(c -> assertThat(c.standbyRelayId)
                .isEqualTo(standby));
        world.kill(world.participants.get(0).relayId);
        for (int p = 0; p < PARTICIPANTS; p++) {
            world.apply(new TakeStandby(p));      // on the standby at epoch 2 before anyone asked the table
        }
        assertThat(world.participants).allSatisfy(c -> assertThat(c.relayId).isEqualTo(standby));
        world.apply(new Resume(0, 0));            // recorded in us-east-1...
        world.apply(new Resume(1, 1));            // ...and concurrently in eu-west-1: both onto the standby
        assertThat(world.participants.get(0).relayId).isEqualTo(standby);
        assertThat(world.participants.get(1).relayId).isEqualTo(standby);

        world.settle();

        world.assertOneAssignment();
        assertThat(world.participants.get(0).relayId).isEqualTo(standby);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> kill = Arbitraries.integers().between(0, 20).map(Kill::new);
        Arbitrary<Step> resume = Arbitraries.integers().between(0, PARTICIPANTS - 1)
                .flatMap(p -> Arbitraries.integers().between(0, REGIONS.size() - 1).map(r -> new Resume(p, r)));
        Arbitrary<Step> deliver = Arbitraries.integers().between(0, 50).map(Deliver::new);
        Arbitrary<Step> check = Arbitraries.integers().between(0, REGIONS.size() - 1).map(Check::new);
        Arbitrary<Step> standby = Arbitraries.integers().between(0, PARTICIPANTS - 1).map(TakeStandby::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, kill), net.jqwik.api.Tuple.of(5, resume),
                net.jqwik.api.Tuple.of(4, deliver), net.jqwik.api.Tuple.of(2, check), net.jqwik.api.Tuple.of(3, standby))
                .list().ofMaxSize(40);
    }

    /**
     * What a client holds: where its media goes now ({@code relayId}, {@code epoch}: the standby, while a move to it
     * is not recorded yet), the last assignment signaling gave it and that assignment's standby, and the region
     * whose signaling it is connected to.
     */
    static final class Client {
        final String id;
        String relayId;
        long epoch;
        String assignedRelayId;
        long assignedEpoch;
        String standbyRelayId;
        long standbyEpoch;
        String resumeToken;
        String connectedRegion;

        Client(String id) {
            this.id = id;
        }
    }

    private static final class World {
        final TokenCodec tokens = new TokenCodec("fencing-property-secret".getBytes(StandardCharsets.UTF_8));
        final GlobalTableModel table = new GlobalTableModel(REGIONS);
        final Map<String, SessionService> signaling = new LinkedHashMap<>();
        /** relay id -> region, live relays only. */
        final Map<String, String> live = new LinkedHashMap<>();
        final List<Client> participants = new ArrayList<>();
        final Set<String> nonces = new HashSet<>();
        int started;

        World() {
            for (String region : REGIONS) {
                startRelay(region);
                startRelay(region);
            }
            InstanceDirectory directory = new InstanceDirectory() {
                @Override
                public void publish(InstanceHeartbeat heartbeat) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public List<InstanceHeartbeat> list(String region, String role) {
                    return live.entrySet().stream().filter(e -> e.getValue().equals(region))
                            .map(e -> heartbeat(e.getKey(), region)).toList();
                }
            };
            RelayProbe probe = address -> live.containsKey(address.substring(0, address.indexOf(':')))
                    ? RelayProbe.Status.ALIVE : RelayProbe.Status.DEAD;
            for (String region : REGIONS) {
                signaling.put(region, new SessionService(tokens, new ReplayGuard(100), (n, e) -> nonces.add(n),
                        table.replica(region), new RelayDirectory(directory, REGIONS, 0, () -> NOW_MS),
                        new RelaySelector(new RelaySelector.Duration(60_000), new Random(7)), probe, region, 3600, 600,
                        () -> NOW_MS, List.of()));
            }
        }

        void startRelay(String region) {
            live.put(region + "-relay-" + started++, region);
        }

        static InstanceHeartbeat heartbeat(String relayId, String region) {
            // The address names the relay, so that the probe can tell whether it lives.
            return new InstanceHeartbeat("media", region, relayId, relayId + ":4000", 0, 100, 0.0, 0.0, 0.0, true, false,
                    Instant.ofEpochMilli(NOW_MS));
        }

        /** Everyone joins at home, one after another, each join replicated before the next. */
        void joinAll() throws Exception {
            for (int p = 0; p < PARTICIPANTS; p++) {
                Client client = new Client("p" + p);
                String token = tokens.sign(TokenClaims.join("call", client.id, NOW_MS / 1000 + 60, "n" + p));
                take(client, REGIONS.get(0), signaling.get(REGIONS.get(0)).join(token).reply());
                participants.add(client);
                table.deliverAll();
            }
        }

        void apply(Step step) throws Exception {
            if (step instanceof Kill k) {
                List<String> relays = List.copyOf(live.keySet());
                kill(relays.get(k.pick() % relays.size()));
            } else if (step instanceof Resume r) {
                Client client = participants.get(r.participant());
                if (mustResume(client)) {
                    resume(client, REGIONS.get(r.region()), true);
                }
            } else if (step instanceof TakeStandby t) {
                Client client = participants.get(t.participant());
                if (!live.containsKey(client.assignedRelayId) && client.relayId.equals(client.assignedRelayId)
                        && client.standbyRelayId != null && live.containsKey(client.standbyRelayId)) {
                    client.relayId = client.standbyRelayId;
                    client.epoch = client.standbyEpoch;
                }
            } else if (step instanceof Deliver d) {
                if (table.pending() > 0) {
                    table.deliver(d.pick());
                }
            } else if (step instanceof Check c) {
                check(REGIONS.get(c.region()));
            }
        }

        void kill(String relayId) {
            startRelay(live.remove(relayId));
        }

        /** Its assigned relay died (whether or not it is on the standby already), or the one it is on now did. */
        boolean mustResume(Client client) {
            return !live.containsKey(client.assignedRelayId) || !live.containsKey(client.relayId);
        }

        /** Replication catches up; clients whose relay died resume where they are connected; every check runs. */
        void settle() throws Exception {
            for (int round = 0; round < 20; round++) {
                table.deliverAll();
                boolean acted = false;
                for (Client client : participants) {
                    if (mustResume(client)) {
                        resume(client, client.connectedRegion, true);
                        acted = true;
                    }
                }
                for (String region : REGIONS) {
                    acted |= check(region);
                }
                if (!acted && table.pending() == 0) {
                    return;
                }
            }
            throw new AssertionError("no settlement after 20 rounds");
        }

        /** Returns whether any participant was told to resume. */
        boolean check(String region) throws Exception {
            Set<SessionService.Participant> superseded = signaling.get(region).superseded(SETTLE_WINDOW_MS);
            boolean pushed = false;
            for (Client client : participants) {
                if (region.equals(client.connectedRegion)
                        && superseded.contains(new SessionService.Participant("call", client.id))) {
                    resume(client, region, false);
                    pushed = true;
                }
            }
            return pushed;
        }

        void resume(Client client, String region, boolean relayFailed) throws Exception {
            try {
                // It reports the assignment that failed (its last from signaling), not the standby it may be on.
                take(client, region, signaling.get(region).resume(client.resumeToken,
                        relayFailed ? client.assignedRelayId : null, relayFailed ? client.assignedEpoch : 0).reply());
            } catch (SignalingRefused busy) {
                // busy or no relay: the client backs off and retries, in a later step
                assertThat(busy.code()).isIn("busy", "no_relay");
            }
        }

        void take(Client client, String region, ServerMessage.Assigned reply) {
            client.relayId = reply.relayId();
            client.epoch = reply.epoch();
            client.assignedRelayId = reply.relayId();
            client.assignedEpoch = reply.epoch();
            client.standbyRelayId = reply.standby() == null ? null : reply.standby().relayId();
            client.standbyEpoch = reply.standby() == null ? 0 : reply.standby().epoch();
            client.resumeToken = reply.resumeToken();
            client.connectedRegion = region;
        }

        void assertOneAssignment() throws Exception {
            Map<String, SessionRecord> items = table.items("call");
            SessionRecord settled = items.get(REGIONS.get(0));
            assertThat(items.values()).as("every replica after replication").allSatisfy(i -> assertThat(i).isEqualTo(settled));
            assertThat(settled.participants()).hasSize(PARTICIPANTS);
            assertThat(live).as("the settled relay is alive").containsKey(settled.relayId());
            for (Client client : participants) {
                assertThat(client.relayId).as(client.id + "'s relay").isEqualTo(settled.relayId());
                assertThat(client.epoch).as(client.id + "'s epoch").isEqualTo(settled.epoch());
                // One standby for the session, the item's, at the next epoch: both sides of the call move together.
                assertThat(client.standbyRelayId).as(client.id + "'s standby")
                        .isEqualTo(settled.hasStandby() ? settled.standbyRelayId() : null);
                if (settled.hasStandby()) {
                    assertThat(client.standbyEpoch).isEqualTo(settled.epoch() + 1);
                }
            }
            for (String region : REGIONS) {
                ServerMessage.Assigned fresh = signaling.get(region).resume(participants.get(0).resumeToken, null, 0).reply();
                assertThat(fresh.relayId()).as(region + " serves").isEqualTo(settled.relayId());
                assertThat(fresh.epoch()).isEqualTo(settled.epoch());
            }
        }
    }
}
