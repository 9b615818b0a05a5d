package dev.lifeline.media.protocol;

/** What a client may send to signaling (protocol version 1). */
public sealed interface ClientMessage {

    /** Join a session with a single-use join token minted by the application backend. */
    record Join(String token) implements ClientMessage {
    }

    /**
     * Resume after losing signaling or the relay. {@code failedRelayId} and {@code epoch} say which
     * assignment the client saw failing, so that only a dead or draining relay is replaced and two
     * clients reporting the same failure cause one reassignment, not two.
     */
    record Resume(String token, String failedRelayId, long epoch) implements ClientMessage {
    }

    /** Leave the session for good. */
    record Leave() implements ClientMessage {
    }
}
