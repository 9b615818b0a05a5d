package dev.lifeline.media.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.lifeline.media.packet.PacketFormat;
import dev.lifeline.media.token.TokenClaims;
import dev.lifeline.media.token.TokenCodec;

/**
 * The relay's hot path allocates nothing per datagram: a real relay socket forwards media between
 * two bound clients over loopback, and the relay thread's own allocation counter
 * ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}) must not grow with the number
 * of forwarded datagrams once the JIT has compiled the loop. One allocation per packet (an
 * envelope, an address, a buffer wrapper, a boxed number) would add at least 16 bytes each.
 */
class RelayAllocationIT {

    private static final int WARM_UP = 300_000;
    private static final int MEASURED = 200_000;
    private static final int WINDOWS = 3;
    private static final int PACKET = 172;

    private final TokenCodec tokens = new TokenCodec("alloc-test-secret-0123".getBytes(StandardCharsets.UTF_8));
    private final RelayCounters counters = new RelayCounters();
    private RelayServer server;
    private DatagramChannel alice;
    private DatagramChannel bob;

    @BeforeEach
    void start() throws Exception {
        RelayCore core = new RelayCore("relay-alloc", tokens, new BindingTable(16), counters, RelayCore.EpochClock.SYSTEM);
        server = new RelayServer(core, 1, "127.0.0.1").start("127.0.0.1", 0);
        alice = open();
        bob = open();
    }

    @AfterEach
    void stop() throws IOException {
        alice.close();
        bob.close();
        server.close();
    }

    @Test
    void forwardingAllocatesNoBytesPerDatagramAfterWarmUp() throws Exception {
        assertThat(server.transport()).isEqualTo(RelayServer.Transport.BATCHED);
        int aliceId = bind(alice, "s1", "alice");
        bind(bob, "s1", "bob");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long relayThread = server.threadIds()[0];

        forward(aliceId, WARM_UP);
        // The best of a few windows: on a starved core the JIT may still be compiling the loop in the
        // first one. An allocation the code makes per datagram shows in every window.
        long allocated = Long.MAX_VALUE;
        long forwarded = 0;
        for (int window = 0; window < WINDOWS && allocated >= forwarded; window++) {
            long bytesBefore = threads.getThreadAllocatedBytes(relayThread);
            long forwardedBefore = counters.forwarded.sum();
            forward(aliceId, MEASURED);
            allocated = threads.getThreadAllocatedBytes(relayThread) - bytesBefore;
            forwarded = counters.forwarded.sum() - forwardedBefore;
            System.out.printf("relay thread allocated %d bytes while forwarding %d datagrams%n", allocated, forwarded);
        }

        assertThat(forwarded).as("datagrams forwarded in the measured run").isGreaterThanOrEqualTo(MEASURED * 9L / 10);
        // Below one byte per datagram: what is left is per wake-up or per batch, never per datagram.
        assertThat(allocated).as("bytes the relay thread allocated for %d forwarded datagrams", forwarded)
                .isLessThan(forwarded);
    }

    /** Sends {@code count} MEDIA datagrams from alice, reading bob's side so his socket never fills up. */
    private void forward(int aliceId, int count) throws Exception {
        ByteBuffer packet = ByteBuffer.allocateDirect(PACKET);
        ByteBuffer sink = ByteBuffer.allocateDirect(2048);
        long target = counters.forwarded.sum() + count;
        for (int i = 0; i < count; i++) {
            packet.clear();
            PacketFormat.mediaHeader(packet, aliceId);
            alice.write(packet);
            drain(bob, sink);
            if (i % 64 == 63) {
                // Let the relay keep up: the point is its allocations, not loss under overload.
                long behind = i + 1 - (counters.forwarded.sum() - (target - count));
                while (behind > 512) {
                    Thread.onSpinWait();
                    drain(bob, sink);
                    behind = i + 1 - (counters.forwarded.sum() - (target - count));
                }
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            drain(bob, sink);
            return counters.forwarded.sum() + counters.overloadDropped.sum() >= target;
        });
    }

    private static void drain(DatagramChannel channel, ByteBuffer sink) throws IOException {
        do {
            sink.clear();
        } while (channel.read(sink) > 0);
    }

    private DatagramChannel open() throws IOException {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0));
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
        channel.connect(new InetSocketAddress("127.0.0.1", server.port()));
        return channel;
    }

    private int bind(DatagramChannel channel, String session, String participant) throws IOException {
        String token = tokens.sign(TokenClaims.media(session, participant, System.currentTimeMillis() / 1000 + 600, "relay-alloc", 1));
        channel.configureBlocking(true);
        channel.write(PacketFormat.bind(token));
        ByteBuffer reply = ByteBuffer.allocate(64);
        channel.read(reply);
        channel.configureBlocking(false);
        assertThat(reply.get(0)).isEqualTo(PacketFormat.BIND_ACK);
        return reply.getInt(1);
    }
}
