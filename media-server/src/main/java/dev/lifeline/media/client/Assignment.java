package dev.lifeline.media.client;

import java.net.InetSocketAddress;

import com.fasterxml.jackson.databind.JsonNode;

import dev.lifeline.media.signaling.HostPort;

/** Where signaling told this participant to send media, and the tokens that go with it. */
public record Assignment(String sessionId, String participantId, String relayId, InetSocketAddress relayAddress,
                         long epoch, String mediaToken, String resumeToken) {

    static Assignment from(JsonNode reply) {
        return new Assignment(reply.get("sessionId").asText(), reply.get("participantId").asText(),
                reply.get("relayId").asText(), HostPort.parse(reply.get("relayAddress").asText()),
                reply.get("epoch").asLong(), reply.get("mediaToken").asText(), reply.get("resumeToken").asText());
    }

    boolean sameRelayAs(Assignment other) {
        return other != null && relayId.equals(other.relayId) && epoch == other.epoch;
    }
}
