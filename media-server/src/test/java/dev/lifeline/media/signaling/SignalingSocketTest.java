package dev.lifeline.media.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lifeline.media.token.TokenClaims;
import dev.lifeline.media.token.TokenCodec;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The real WebSocket endpoint under bad input: every bad frame gets an error reply, none kills the connection. */
@QuarkusTest
@TestProfile(SignalingSocketTest.SignalingRoleProfile.class)
class SignalingSocketTest {

    public static class SignalingRoleProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lifeline.role", "signaling");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/signal")
    URI signal;

    @Test
    void badFramesAreAnsweredWithStableErrorCodesOnTheSameConnection() throws Exception {
        try (Socket socket = new Socket(signal)) {
            assertThat(socket.ask("{not json").get("code").asText()).isEqualTo("malformed_json");
            assertThat(socket.ask("[1]").get("code").asText()).isEqualTo("not_an_object");
            assertThat(socket.ask("{\"v\":2,\"type\":\"join\",\"token\":\"t\"}").get("code").asText())
                    .isEqualTo("unsupported_version");
            assertThat(socket.ask("{\"v\":1,\"type\":\"join\",\"token\":7}").get("code").asText()).isEqualTo("wrong_type");
            assertThat(socket.ask("{\"v\":1,\"type\":\"leave\"}").get("code").asText()).isEqualTo("not_joined");
            assertThat(socket.ask("x".repeat(5000)).get("code").asText()).isEqualTo("too_large");
            TokenCodec forger = new TokenCodec("not-the-test-secret!".getBytes(StandardCharsets.UTF_8));
            String forged = forger.sign(TokenClaims.join("s1", "mallory", System.currentTimeMillis() / 1000 + 60, "n1"));
            JsonNode refused = socket.ask("{\"v\":1,\"type\":\"join\",\"token\":\"" + forged + "\"}");
            assertThat(refused.get("type").asText()).isEqualTo("error");
            assertThat(refused.get("code").asText()).isEqualTo("bad_signature");
            TokenCodec real = new TokenCodec("test-secret-0123456789".getBytes(StandardCharsets.UTF_8));
            String expired = real.sign(TokenClaims.join("s1", "alice", System.currentTimeMillis() / 1000 - 1, "n2"));
            assertThat(socket.ask("{\"v\":1,\"type\":\"join\",\"token\":\"" + expired + "\"}").get("code").asText())
                    .isEqualTo("expired");
        }
    }

    @Test
    void aFrameBeyondTheServersLimitClosesTheConnection() throws Exception {
        try (Socket socket = new Socket(signal)) {
            socket.ws.sendText("y".repeat(20_000), true);
            assertThat(socket.closed.get(10, TimeUnit.SECONDS)).isNotEqualTo(1000);
        }
    }

    /** A minimal JDK WebSocket client that queues replies. */
    private static final class Socket implements WebSocket.Listener, AutoCloseable {
        final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        final WebSocket ws;

        Socket(URI uri) throws Exception {
            URI ws = URI.create(uri.toString().replaceFirst("^http", "ws"));
            this.ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws, this).get(10, TimeUnit.SECONDS);
        }

        JsonNode ask(String frame) throws Exception {
            ws.sendText(frame, true).get(5, TimeUnit.SECONDS);
            String reply = replies.poll(10, TimeUnit.SECONDS);
            assertThat(reply).as("reply to %s", frame.length() > 60 ? frame.substring(0, 60) + "…" : frame).isNotNull();
            return JSON.readTree(reply);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                replies.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }

        @Override
        public void close() {
            ws.abort();
        }
    }

}
