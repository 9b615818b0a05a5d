package dev.lifeline.media.protocol;

import java.util.List;

/** What signaling sends to a client (protocol version 1). */
public sealed interface ServerMessage {

    /**
     * Reply to join and resume: where to send media, the tokens to use, the signaling endpoints of every
     * serving region, own region first, where the client resumes when this region stops answering, and the
     * session's standby relay with a media token for it at the next epoch (null when the session has none).
     */
    record Assigned(String type, String sessionId, String participantId, String relayId, String relayAddress,
                    long epoch, String mediaToken, String resumeToken, List<String> signaling, Standby standby)
            implements ServerMessage {
        public Assigned {
            signaling = List.copyOf(signaling);
        }
    }

    /** The relay a participant may bind to at once, at {@code epoch}, if its relay dies: no table round trip first. */
    record Standby(String relayId, String relayAddress, long epoch, String mediaToken) {
    }

    /** This signaling instance or the client's relay is going away: resume now (elsewhere). */
    record Moved(String reason) implements ServerMessage {
    }

    record Left(String sessionId) implements ServerMessage {
    }

    /** A refused request; {@code code} is stable and machine-readable. */
    record Error(String code, String message) implements ServerMessage {
    }
}
