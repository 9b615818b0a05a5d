package dev.lifeline.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.lifeline.media.packet.PacketFormat;
import dev.lifeline.media.token.TokenClaims;
import dev.lifeline.media.token.TokenCodec;

/**
 * Both socket transports of the relay behave alike on real loopback sockets: BIND is acknowledged,
 * MEDIA reaches the other participant unchanged (both ways), PING gets a PONG, and GOAWAY reaches
 * every bound client. The batched path is the default; Netty is the fallback where it is unavailable.
 */
class RelayServerIT {

    private final TokenCodec tokens = new TokenCodec("server-it-secret-0123".getBytes(StandardCharsets.UTF_8));

    @ParameterizedTest(name = "batched allowed: {0}")
    @ValueSource(booleans = {true, false})
    void forwardsAnswersAndSaysGoodbyeOnEitherTransport(boolean batched) throws Exception {
        RelayCore core = new RelayCore("relay-it", tokens, new BindingTable(16), new RelayCounters(), RelayCore.EpochClock.SYSTEM);
        try (RelayServer server = new RelayServer(core, 1, "127.0.0.1", batched).start("127.0.0.1", 0);
             DatagramChannel alice = open(server.port());
             DatagramChannel bob = open(server.port())) {
            assertThat(server.transport()).isEqualTo(batched ? RelayServer.Transport.BATCHED : RelayServer.Transport.EPOLL);
            int aliceId = bind(alice, "alice");
            int bobId = bind(bob, "bob");

            for (int i = 0; i < 3; i++) {
                byte[] fromAlice = media(aliceId, "hello bob " + i);
                alice.write(ByteBuffer.wrap(fromAlice));
                assertThat(read(bob)).isEqualTo(fromAlice);
                byte[] fromBob = media(bobId, "hello alice " + i);
                bob.write(ByteBuffer.wrap(fromBob));
                assertThat(read(alice)).isEqualTo(fromBob);
            }

            alice.write(PacketFormat.ping(42));
            ByteBuffer pong = ByteBuffer.wrap(read(alice));
            assertThat(pong.get(0)).isEqualTo(PacketFormat.PONG);
            assertThat(pong.getLong(1)).isEqualTo(42);

            server.sendGoAway();
            assertThat(read(alice)).containsExactly(PacketFormat.GOAWAY);
            assertThat(read(bob)).containsExactly(PacketFormat.GOAWAY);
            assertThat(core.counters().forwarded.sum()).isEqualTo(6);
        }
    }

    private static DatagramChannel open(int port) throws IOException {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0));
        channel.connect(new InetSocketAddress("127.0.0.1", port));
        channel.socket().setSoTimeout(5000);
        return channel;
    }

    private int bind(DatagramChannel channel, String participant) throws IOException {
        String token = tokens.sign(TokenClaims.media("s1", participant, System.currentTimeMillis() / 1000 + 600, "relay-it", 1));
        channel.write(PacketFormat.bind(token));
        ByteBuffer ack = ByteBuffer.wrap(read(channel));
        assertThat(ack.get(0)).isEqualTo(PacketFormat.BIND_ACK);
        return ack.getInt(1);
    }

    private static byte[] media(int bindingId, String payload) {
        byte[] text = payload.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer packet = ByteBuffer.allocate(PacketFormat.MEDIA_HEADER + text.length);
        PacketFormat.mediaHeader(packet, bindingId);
        packet.position(PacketFormat.MEDIA_HEADER);
        packet.put(text);
        return packet.array();
    }

    /** One datagram, waiting up to the socket's 5 s timeout (a lost datagram fails the test, not hangs it). */
    private static byte[] read(DatagramChannel channel) throws IOException {
        byte[] buffer = new byte[2048];
        java.net.DatagramPacket in = new java.net.DatagramPacket(buffer, buffer.length);
        channel.socket().receive(in);
        return java.util.Arrays.copyOf(buffer, in.getLength());
    }
}
