package dev.lifeline.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.lifeline.media.packet.DropReason;
import dev.lifeline.media.packet.PacketFormat;
import dev.lifeline.media.token.TokenClaims;
import dev.lifeline.media.token.TokenCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

class RelayCoreTest {

    private static final long NOW = 1_800_000_000L;
    private static final InetSocketAddress ALICE = new InetSocketAddress("127.0.0.1", 5001);
    private static final InetSocketAddress BOB = new InetSocketAddress("127.0.0.1", 5002);
    private static final InetSocketAddress CAROL = new InetSocketAddress("127.0.0.1", 5003);
    private static final InetSocketAddress MALLORY = new InetSocketAddress("127.0.0.1", 6666);

    private final TokenCodec tokens = new TokenCodec("relay-test-secret-0123".getBytes(StandardCharsets.UTF_8));
    private final RelayCounters counters = new RelayCounters();
    private final long[] nanos = {0};
    private final RelayCore.EpochClock clock = new RelayCore.EpochClock() {
        @Override
        public long epochSecond() {
            return NOW;
        }

        @Override
        public long nanoTime() {
            return nanos[0];
        }
    };
    private RelayCore relay;
    private RecordingEgress egress;

    @BeforeEach
    void setUp() {
        relay = new RelayCore("relay-a", tokens, new BindingTable(1000), counters, clock);
        egress = new RecordingEgress();
    }

    @Test
    void aValidMediaTokenBindsTheSenderAndIsAcknowledged() {
        int id = bind(ALICE, "s1", "alice", 1);
        RecordingEgress.Sent ack = egress.last();
        assertThat(ack.to()).isEqualTo(ALICE);
        assertThat(ack.type()).isEqualTo(PacketFormat.BIND_ACK);
        assertThat(ByteBuffer.wrap(ack.bytes()).getLong(5)).isEqualTo(1);
        assertThat(relay.table().lookup(id).participantId()).isEqualTo("alice");
    }

    @Test
    void mediaGoesToEveryOtherMemberOfTheSessionUnchangedAndNotBackToTheSender() {
        int alice = bind(ALICE, "s1", "alice", 1);
        bind(BOB, "s1", "bob", 1);
        bind(CAROL, "s1", "carol", 1);
        bind(MALLORY, "other-session", "mallory", 1);
        egress.sent.clear();

        byte[] media = media(alice, "hello");
        receive(media, ALICE);

        assertThat(egress.sent).extracting(RecordingEgress.Sent::to).containsExactlyInAnyOrder(BOB, CAROL);
        assertThat(egress.sent).allSatisfy(s -> assertThat(s.bytes()).isEqualTo(media));
        assertThat(counters.forwarded.sum()).isEqualTo(2);
    }

    @Test
    void mediaFromAnAddressThatIsNotBoundIsDroppedEvenWithAValidBindingId() {
        int alice = bind(ALICE, "s1", "alice", 1);
        bind(BOB, "s1", "bob", 1);
        egress.sent.clear();

        receive(media(alice, "spoof"), MALLORY);
        receive(media(12345, "guess"), MALLORY);

        assertThat(egress.sent).isEmpty();
        assertThat(counters.dropped(DropReason.UNBOUND_SENDER)).isEqualTo(2);
    }

    @Test
    void aTokenForAnotherRelayIsRefused() {
        receive(PacketFormat.bind(tokens.sign(TokenClaims.media("s1", "alice", NOW + 60, "relay-b", 1))), ALICE);
        assertThat(counters.dropped(DropReason.WRONG_RELAY)).isEqualTo(1);
        assertThat(egress.last().type()).isEqualTo(PacketFormat.BIND_REJECT);
        assertThat(relay.table().bindingCount()).isZero();
    }

    @Test
    void expiredForgedAndWrongKindTokensAreRefused() {
        TokenCodec forger = new TokenCodec("not-the-real-secret!".getBytes(StandardCharsets.UTF_8));
        receive(PacketFormat.bind(tokens.sign(TokenClaims.media("s1", "alice", NOW, "relay-a", 1))), ALICE);
        receive(PacketFormat.bind(forger.sign(TokenClaims.media("s1", "alice", NOW + 60, "relay-a", 1))), ALICE);
        receive(PacketFormat.bind(tokens.sign(TokenClaims.resume("s1", "alice", NOW + 60))), ALICE);
        receive(PacketFormat.bind("v1.garbage.garbage"), ALICE);
        assertThat(counters.dropped(DropReason.BAD_TOKEN)).isEqualTo(4);
        assertThat(relay.table().bindingCount()).isZero();
    }

    @Test
    void aTokenFromAnOlderEpochCannotBindOnceANewerOneHas() {
        bind(ALICE, "s1", "alice", 5);
        receive(PacketFormat.bind(tokens.sign(TokenClaims.media("s1", "bob", NOW + 60, "relay-a", 4))), BOB);
        assertThat(counters.dropped(DropReason.STALE_EPOCH)).isEqualTo(1);
    }

    @Test
    void aRetransmittedBindKeepsItsBindingAndANewAddressReplacesIt() {
        int first = bind(ALICE, "s1", "alice", 1);
        assertThat(bind(ALICE, "s1", "alice", 1)).isEqualTo(first);
        int moved = bind(BOB, "s1", "alice", 1);
        assertThat(moved).isNotEqualTo(first);
        assertThat(relay.table().lookup(first)).isNull();
        assertThat(relay.table().bindingCount()).isEqualTo(1);
    }

    @Test
    void leaveRemovesTheBindingAndAnEmptySessionDisappears() {
        int alice = bind(ALICE, "s1", "alice", 1);
        receive(PacketFormat.leave(alice), ALICE);
        assertThat(relay.table().lookup(alice)).isNull();
        assertThat(relay.table().sessionCount()).isZero();
    }

    @Test
    void aLeaveFromAnotherAddressIsIgnored() {
        int alice = bind(ALICE, "s1", "alice", 1);
        receive(PacketFormat.leave(alice), MALLORY);
        assertThat(relay.table().lookup(alice)).isNotNull();
    }

    @Test
    void pingIsAnsweredWithItsNonce() {
        receive(PacketFormat.ping(77), MALLORY);
        assertThat(egress.last().type()).isEqualTo(PacketFormat.PONG);
        assertThat(ByteBuffer.wrap(egress.last().bytes()).getLong(1)).isEqualTo(77);
    }

    @Test
    void aKeepaliveFromTheBoundAddressIsAnsweredAndKeepsTheBindingFresh() {
        int alice = bind(ALICE, "s1", "alice", 1);
        nanos[0] = 10_000_000_000L;
        receive(PacketFormat.keepalive(alice, 5), ALICE);
        assertThat(egress.last().type()).isEqualTo(PacketFormat.PONG);
        assertThat(ByteBuffer.wrap(egress.last().bytes()).getLong(1)).isEqualTo(5);
        assertThat(relay.table().expireIdle(11_000_000_000L, 3_000_000_000L)).isZero();
    }

    @Test
    void aKeepaliveForAnUnknownBindingGetsNoAnswerSoTheClientRebinds() {
        receive(PacketFormat.keepalive(4242, 5), ALICE);
        assertThat(egress.sent).isEmpty();
        assertThat(counters.dropped(DropReason.UNBOUND_SENDER)).isEqualTo(1);
    }

    @Test
    void whileDrainingNewBindsAreRefusedButBoundMediaStillFlows() {
        int alice = bind(ALICE, "s1", "alice", 1);
        bind(BOB, "s1", "bob", 1);
        relay.startDraining();
        receive(PacketFormat.bind(tokens.sign(TokenClaims.media("s1", "carol", NOW + 60, "relay-a", 1))), CAROL);
        assertThat(counters.dropped(DropReason.DRAINING)).isEqualTo(1);
        egress.sent.clear();
        receive(media(alice, "still here"), ALICE);
        assertThat(egress.sent).extracting(RecordingEgress.Sent::to).containsExactly(BOB);
        relay.sendGoAway(egress);
        assertThat(egress.sent.subList(1, 3)).extracting(RecordingEgress.Sent::type)
                .containsOnly(PacketFormat.GOAWAY);
    }

    @Test
    void aBackedUpSocketDropsAndCountsInsteadOfQueueing() {
        int alice = bind(ALICE, "s1", "alice", 1);
        bind(BOB, "s1", "bob", 1);
        egress.backedUp = true;
        receive(media(alice, "x"), ALICE);
        assertThat(counters.overloadDropped.sum()).isEqualTo(1);
    }

    @Test
    void idleBindingsExpire() {
        bind(ALICE, "s1", "alice", 1);
        nanos[0] = 5_000_000_000L;
        int bob = bind(BOB, "s1", "bob", 1);
        assertThat(relay.table().expireIdle(6_000_000_000L, 3_000_000_000L)).isEqualTo(1);
        assertThat(relay.table().snapshot()).extracting(Binding::id).containsExactly(bob);
    }

    @Test
    void aFullRelayRefusesNewBindings() {
        relay = new RelayCore("relay-a", tokens, new BindingTable(1), counters, clock);
        bind(ALICE, "s1", "alice", 1);
        receive(PacketFormat.bind(tokens.sign(TokenClaims.media("s1", "bob", NOW + 60, "relay-a", 1))), BOB);
        assertThat(counters.dropped(DropReason.RELAY_FULL)).isEqualTo(1);
    }

    @Test
    void malformedDatagramsAreDroppedWithTheirReason() {
        receive(new byte[0], MALLORY);
        receive(new byte[PacketFormat.MAX_PACKET + 1], MALLORY);
        receive(new byte[] {0x42, 1, 2}, MALLORY);
        receive(new byte[] {PacketFormat.MEDIA, 0, 0}, MALLORY);
        receive(new byte[] {PacketFormat.BIND, 0, 9, 'x'}, MALLORY);
        receive(new byte[] {PacketFormat.PING, 1}, MALLORY);
        receive(new byte[] {PacketFormat.PONG, 0, 0, 0, 0, 0, 0, 0, 0}, MALLORY);
        assertThat(counters.dropped(DropReason.EMPTY)).isEqualTo(1);
        assertThat(counters.dropped(DropReason.TOO_LARGE)).isEqualTo(1);
        assertThat(counters.dropped(DropReason.UNKNOWN_TYPE)).isEqualTo(1);
        assertThat(counters.dropped(DropReason.TRUNCATED)).isEqualTo(3);
        assertThat(counters.dropped(DropReason.NOT_FOR_RELAY)).isEqualTo(1);
        assertThat(egress.sent).isEmpty();
    }

    @Test
    void fuzzRandomAndMutatedDatagramsAreAllCountedAndNeverBreakTheRelay() {
        int alice = bind(ALICE, "s1", "alice", 1);
        bind(BOB, "s1", "bob", 1);
        long acceptedBefore = counters.accepted.sum();
        long receivedBefore = counters.received.sum();
        byte[] validMedia = media(alice, "payload");
        byte[] validBind = toArray(PacketFormat.bind(tokens.sign(TokenClaims.media("s2", "eve", NOW + 60, "relay-a", 1))));
        Random random = new Random(7);
        int rounds = 100_000;
        for (int i = 0; i < rounds; i++) {
            byte[] datagram;
            switch (i % 4) {
                case 0 -> {
                    datagram = new byte[random.nextInt(64)];
                    random.nextBytes(datagram);
                }
                case 1 -> datagram = java.util.Arrays.copyOf(validBind, random.nextInt(validBind.length + 4));
                case 2 -> {
                    datagram = validBind.clone();
                    datagram[3 + random.nextInt(datagram.length - 3)] ^= (byte) (1 + random.nextInt(255));
                }
                default -> {
                    datagram = validMedia.clone();
                    datagram[random.nextInt(datagram.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            receive(datagram, random.nextBoolean() ? MALLORY : CAROL);
        }
        assertThat(counters.received.sum() - receivedBefore).isEqualTo(rounds);
        // Every datagram is accounted for exactly once: acted on, or dropped with a reason.
        assertThat(counters.received.sum()).isEqualTo(counters.accepted.sum() + counters.droppedTotal());
        // Garbage from other addresses bound nothing new and the real session still forwards.
        assertThat(counters.accepted.sum() - acceptedBefore).isLessThan(rounds / 100);
        egress.sent.clear();
        receive(validMedia, ALICE);
        assertThat(egress.sent).extracting(RecordingEgress.Sent::to).containsExactly(BOB);
    }

    private int bind(InetSocketAddress from, String session, String participant, long epoch) {
        receive(PacketFormat.bind(tokens.sign(TokenClaims.media(session, participant, NOW + 60, "relay-a", epoch))), from);
        RecordingEgress.Sent ack = egress.last();
        assertThat(ack.type()).as("bind acknowledged").isEqualTo(PacketFormat.BIND_ACK);
        return ByteBuffer.wrap(ack.bytes()).getInt(1);
    }

    private static byte[] media(int bindingId, String payload) {
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        ByteBuffer packet = ByteBuffer.allocate(PacketFormat.MEDIA_HEADER + body.length);
        PacketFormat.mediaHeader(packet, bindingId);
        packet.position(PacketFormat.MEDIA_HEADER);
        packet.put(body);
        return packet.array();
    }

    private void receive(ByteBuffer packet, InetSocketAddress from) {
        receive(toArray(packet), from);
    }

    private void receive(byte[] datagram, InetSocketAddress from) {
        ByteBuf buf = Unpooled.wrappedBuffer(datagram);
        relay.onDatagram(buf, from, egress);
        assertThat(buf.refCnt()).as("relay leaks no buffer").isEqualTo(1);
        buf.release();
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
