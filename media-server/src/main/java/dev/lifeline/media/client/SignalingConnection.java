package dev.lifeline.media.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.lifeline.media.protocol.ProtocolCodec;
import dev.lifeline.media.protocol.ProtocolException;

/**
 * A WebSocket to one signaling instance with the JDK client. One request at a time: the protocol
 * answers every client frame with exactly one frame; a {@code moved} frame is a push, not a reply.
 */
final class SignalingConnection implements WebSocket.Listener {

    private final ProtocolCodec codec;
    private final Consumer<JsonNode> onPush;
    private final StringBuilder partial = new StringBuilder();
    private volatile CompletableFuture<JsonNode> pending;
    private volatile boolean open = true;
    private WebSocket socket;

    private SignalingConnection(ProtocolCodec codec, Consumer<JsonNode> onPush) {
        this.codec = codec;
        this.onPush = onPush;
    }

    static SignalingConnection open(HttpClient http, URI uri, ProtocolCodec codec, Consumer<JsonNode> onPush,
                                    Duration timeout) throws Exception {
        SignalingConnection connection = new SignalingConnection(codec, onPush);
        connection.socket = http.newWebSocketBuilder().connectTimeout(timeout).buildAsync(uri, connection)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return connection;
    }

    synchronized JsonNode request(String frame, Duration timeout) throws Exception {
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending = reply;
        socket.sendText(frame, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            pending = null;
        }
    }

    boolean isOpen() {
        return open && !socket.isInputClosed() && !socket.isOutputClosed();
    }

    void close() {
        open = false;
        if (socket != null) {
            socket.abort();
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            try {
                JsonNode message = codec.readServer(frame);
                if ("moved".equals(message.path("type").asText())) {
                    onPush.accept(message);
                } else {
                    CompletableFuture<JsonNode> reply = pending;
                    if (reply != null) {
                        reply.complete(message);
                    }
                }
            } catch (ProtocolException e) {
                fail(e);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        fail(new IllegalStateException("signaling closed: " + statusCode + " " + reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        fail(error);
    }

    private void fail(Throwable error) {
        open = false;
        CompletableFuture<JsonNode> reply = pending;
        if (reply != null) {
            reply.completeExceptionally(error);
        }
    }
}
