package dev.lifeline.media.signaling;

import jakarta.inject.Inject;

import dev.lifeline.media.instance.LifelineConfig;
import dev.lifeline.media.instance.SignalingRole;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;

/** The WebSocket of the signaling role; frames are JSON protocol v1 (see the module README). */
@WebSocket(path = "/signal")
public class SignalingSocket {

    @Inject
    SignalingRole signaling;
    @Inject
    LifelineConfig config;
    @Inject
    WebSocketConnection connection;

    @OnOpen
    void onOpen() {
        // A media instance runs the same image but must not take signaling traffic.
        if (!"signaling".equals(config.role())) {
            connection.closeAndAwait(new CloseReason(1008, "not a signaling instance"));
        }
    }

    /** Blocking (worker thread): replies need the session table. */
    @OnTextMessage
    String onMessage(String frame) {
        return signaling.onFrame(connection.id(), frame);
    }

    @OnClose
    void onClose() {
        signaling.onClose(connection.id());
    }
}
