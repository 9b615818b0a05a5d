package dev.lifeline.media.client;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lifeline.media.token.TokenClaims;
import dev.lifeline.media.token.TokenCodec;

/**
 * A join has a deadline (it once retried without limit and hung a benchmark on a starved machine): with signaling
 * unreachable, or reachable but silent, it fails with {@code join_deadline} and says what went wrong last. Real
 * loopback sockets.
 */
class JoinDeadlineIT {

    private final TokenCodec tokens = new TokenCodec("join-deadline-secret".getBytes(StandardCharsets.UTF_8));
    private final String token = tokens.sign(TokenClaims.join("s1", "alice", System.currentTimeMillis() / 1000 + 60, "n1"));

    @Test
    void aJoinToSignalingThatRefusesConnectionsFailsAtItsDeadline() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        LifelineClient.Options options = LifelineClient.Options.defaults(
                List.of(URI.create("ws://127.0.0.1:" + closedPort + "/signal"))).withJoinDeadline(Duration.ofSeconds(2));

        assertThatThrownBy(() -> LifelineClient.join(options, token, new LifelineClient.Listener() { }, "alice"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("join_deadline")
                .hasMessageContaining("no assignment within 2000 ms")
                // The refused connection, or the last attempt's connect cut short by the deadline.
                .hasMessageMatching(".*last: .*(ConnectException|TimeoutException).*");
    }

    @Test
    void aJoinToSignalingThatAcceptsButNeverAnswersFailsAtItsDeadlineNotAtTheRequestTimeouts() throws Exception {
        // Accepts TCP connections (the kernel's backlog does) and never completes a WebSocket handshake.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            LifelineClient.Options options = LifelineClient.Options.defaults(
                    List.of(URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/signal")))
                    .withJoinDeadline(Duration.ofSeconds(2));

            assertThatThrownBy(() -> LifelineClient.join(options, token, new LifelineClient.Listener() { }, "alice"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("join_deadline");
        }
    }
}
