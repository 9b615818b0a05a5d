package dev.lifeline.media.client;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.lifeline.media.signaling.HostPort;

/**
 * Where signaling told this participant to send media, the tokens that go with it, the signaling endpoints
 * of the serving regions (own region first; empty when signaling has none configured), and the session's standby
 * relay with its pre-authorised token for the next epoch (empty when the session has none).
 */
public record Assignment(String sessionId, String participantId, String relayId, InetSocketAddress relayAddress,
                         long epoch, String mediaToken, String resumeToken, List<URI> signaling,
                         Optional<Standby> standby) {

    /** A relay to bind to at once, with {@code mediaToken}, at {@code epoch}, if the assigned relay dies. */
    public record Standby(String relayId, InetSocketAddress relayAddress, long epoch, String mediaToken) {
    }

    static Assignment from(JsonNode reply) {
        return new Assignment(reply.get("sessionId").asText(), reply.get("participantId").asText(),
                reply.get("relayId").asText(), HostPort.parse(reply.get("relayAddress").asText()),
                reply.get("epoch").asLong(), reply.get("mediaToken").asText(), reply.get("resumeToken").asText(),
                endpoints(reply.path("signaling")), standby(reply.path("standby")));
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

    /** A standby the client can use, or none: a malformed one costs only the fast path, never the assignment. */
    private static Optional<Standby> standby(JsonNode node) {
        if (!node.isObject() || !node.path("relayId").isTextual() || !node.path("mediaToken").isTextual()
                || !node.path("epoch").canConvertToLong()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Standby(node.get("relayId").asText(), HostPort.parse(node.path("relayAddress").asText()),
                    node.get("epoch").asLong(), node.get("mediaToken").asText()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Where media goes after a move to the standby, until signaling confirms it: the standby relay at the next epoch,
     * with its pre-authorised token, and no standby of its own yet.
     */
    Assignment onStandby(Standby to) {
        return new Assignment(sessionId, participantId, to.relayId(), to.relayAddress(), to.epoch(), to.mediaToken(),
                resumeToken, signaling, Optional.empty());
    }

    boolean sameRelayAs(Assignment other) {
        return other != null && relayId.equals(other.relayId) && epoch == other.epoch;
    }
}
