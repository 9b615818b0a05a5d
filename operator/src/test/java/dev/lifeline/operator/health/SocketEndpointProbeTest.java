package dev.lifeline.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** The probe against real sockets on loopback: what answers, what stays silent, and what refuses. */
class SocketEndpointProbeTest {

    private final SocketEndpointProbe probe = new SocketEndpointProbe();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        probe.stop();
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void aRelayThatAnswersPongIsAlive() throws IOException {
        assertThat(probe.anyAnswers(new EndpointProbe.Target(null, List.of(pongingRelay())))).isTrue();
    }

    @Test
    void oneAnsweringRelayBehindSilentOnesIsEnough() throws IOException {
        var target = new EndpointProbe.Target(null, List.of(silentRelay(), silentRelay(), pongingRelay()));
        assertThat(probe.anyAnswers(target)).isTrue();
    }

    @Test
    void silentRelaysAndAFailingHealthAreNoAnswer() throws IOException {
        var target = new EndpointProbe.Target(health(503), List.of(silentRelay(), silentRelay()));
        assertThat(probe.anyAnswers(target)).isFalse();
    }

    @Test
    void aHealthySignalingAnswersEvenWhenTheRelaysAreSilent() throws IOException {
        var target = new EndpointProbe.Target(health(200), List.of(silentRelay()));
        assertThat(probe.anyAnswers(target)).isTrue();
    }

    @Test
    void aRedirectCountsAsAnAnswerAsRoute53CountsIt() throws IOException {
        assertThat(probe.anyAnswers(new EndpointProbe.Target(health(302), List.of()))).isTrue();
    }

    @Test
    void nothingListeningIsNoAnswer() throws IOException {
        InetSocketAddress closed;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            closed = (InetSocketAddress) socket.getLocalSocketAddress();
        }
        var target = new EndpointProbe.Target("http://127.0.0.1:" + closed.getPort() + "/healthz", List.of(closed));
        assertThat(probe.anyAnswers(target)).isFalse();
    }

    @Test
    void aReplyWithAnotherNonceIsNoAnswer() throws IOException {
        assertThat(probe.anyAnswers(new EndpointProbe.Target(null, List.of(relay(true))))).isFalse();
    }

    private InetSocketAddress pongingRelay() throws SocketException {
        return relay(false);
    }

    /** A relay that answers each PING with a PONG carrying the PING's nonce, or a wrong one. */
    private InetSocketAddress relay(boolean wrongNonce) throws SocketException {
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        open.add(socket);
        Thread answerer = new Thread(() -> {
            byte[] buffer = new byte[64];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket ping = new DatagramPacket(buffer, buffer.length);
                    socket.receive(ping);
                    ByteBuffer in = ByteBuffer.wrap(ping.getData(), 0, ping.getLength());
                    if (in.get() != 0x04) {
                        continue;
                    }
                    long nonce = in.getLong() + (wrongNonce ? 1 : 0);
                    byte[] pong = ByteBuffer.allocate(10).put((byte) 0x05).putLong(nonce).put((byte) 0).array();
                    socket.send(new DatagramPacket(pong, pong.length, ping.getSocketAddress()));
                } catch (IOException e) {
                    return; // closed at the end of the test
                }
            }
        });
        answerer.setDaemon(true);
        answerer.start();
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** A bound UDP socket that never answers: a relay whose host is up but whose process hangs. */
    private InetSocketAddress silentRelay() throws SocketException {
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        open.add(socket);
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private String health(int status) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/healthz", exchange -> {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        open.add(() -> server.stop(0));
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/healthz";
    }
}
