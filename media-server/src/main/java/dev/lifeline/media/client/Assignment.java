package dev.lifeline.media.client;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.lifeline.media.signaling.HostPort;

/**
 * Where signaling told this participant to send media, the tokens that go with it, and the signaling endpoints
 * of the serving regions (own region first; empty when signaling has none configured).
 */
public record Assignment(String sessionId, String participantId, String relayId, InetSocketAddress relayAddress,
                         long epoch, String mediaToken, String resumeToken, List<URI> signaling) {

    static Assignment from(JsonNode reply) {
        return new Assignment(reply.get("sessionId").asText(), reply.get("participantId").asText(),
                reply.get("relayId").asText(), HostPort.parse(reply.get("relayAddress").asText()),
                reply.get("epoch").asLong(), reply.get("mediaToken").asText(), reply.get("resumeToken").asText(),
                endpoints(reply.path("signaling")));
    }

    /** The endpoints that parse as URIs; anything else in the list is ignored rather than failing the assignment. */
    private static List<URI> endpoints(JsonNode list) {
        List<URI> endpoints = new ArrayList<>();
        for (JsonNode entry : list) {
            try {
                endpoints.add(new URI(entry.asText()));
            } catch (java.net.URISyntaxException ignored) {
                // an endpoint the client cannot use
            }
        }
        return List.copyOf(endpoints);
    }

    boolean sameRelayAs(Assignment other) {
        return other != null && relayId.equals(other.relayId) && epoch == other.epoch;
    }
}
