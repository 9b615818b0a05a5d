package dev.lifeline.media.protocol;

import java.util.Iterator;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.lifeline.media.token.Ids;
import dev.lifeline.media.token.TokenCodec;

/**
 * Strict parser and writer of the version-1 JSON protocol. Pure: text in, message or
 * {@link ProtocolException} out. Every rule here is one a hostile client can probe, so nothing is
 * lenient: wrong types, unknown types, missing or extra fields and oversize frames are all refused.
 */
public final class ProtocolCodec {

    public static final int VERSION = 1;
    /** Valid frames are a few hundred bytes; 4 KiB leaves room and bounds parser work. */
    public static final int MAX_FRAME_CHARS = 4096;

    private static final Set<String> JOIN_FIELDS = Set.of("v", "type", "token");
    private static final Set<String> RESUME_FIELDS = Set.of("v", "type", "token", "failedRelayId", "epoch");
    private static final Set<String> LEAVE_FIELDS = Set.of("v", "type");

    private final ObjectMapper mapper;

    public ProtocolCodec() {
        JsonMapper m = JsonMapper.builder().build();
        m.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(4).maxStringLength(MAX_FRAME_CHARS).maxNumberLength(20).build());
        this.mapper = m;
    }

    public ClientMessage parse(String frame) throws ProtocolException {
        if (frame == null || frame.isEmpty()) {
            throw new ProtocolException("empty", "empty frame");
        }
        if (frame.length() > MAX_FRAME_CHARS) {
            throw new ProtocolException("too_large", "frame exceeds " + MAX_FRAME_CHARS + " characters");
        }
        JsonNode root;
        try {
            root = mapper.readTree(frame);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new ProtocolException("malformed_json", "frame is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new ProtocolException("not_an_object", "frame must be a JSON object");
        }
        JsonNode v = root.get("v");
        if (v == null || !v.isIntegralNumber()) {
            throw new ProtocolException("missing_version", "field v (integer) is required");
        }
        if (v.asLong() != VERSION) {
            throw new ProtocolException("unsupported_version", "only protocol version " + VERSION + " is supported");
        }
        String type = requiredText(root, "type", 16);
        switch (type) {
            case "join":
                onlyFields(root, JOIN_FIELDS);
                return new ClientMessage.Join(requiredText(root, "token", TokenCodec.MAX_TOKEN_LENGTH));
            case "resume":
                onlyFields(root, RESUME_FIELDS);
                String failed = optionalText(root, "failedRelayId");
                if (failed != null && !Ids.isValid(failed)) {
                    throw new ProtocolException("wrong_type", "failedRelayId must be an id");
                }
                JsonNode epoch = root.get("epoch");
                if (epoch != null && (!epoch.isIntegralNumber() || !epoch.canConvertToLong() || epoch.asLong() < 0)) {
                    throw new ProtocolException("wrong_type", "epoch must be a non-negative integer");
                }
                return new ClientMessage.Resume(requiredText(root, "token", TokenCodec.MAX_TOKEN_LENGTH),
                        failed, epoch == null ? 0 : epoch.asLong());
            case "leave":
                onlyFields(root, LEAVE_FIELDS);
                return new ClientMessage.Leave();
            default:
                throw new ProtocolException("unknown_type", "unknown message type");
        }
    }

    public String write(ServerMessage message) {
        ObjectNode node = mapper.createObjectNode();
        node.put("v", VERSION);
        if (message instanceof ServerMessage.Assigned a) {
            node.put("type", a.type()).put("sessionId", a.sessionId()).put("participantId", a.participantId())
                    .put("relayId", a.relayId()).put("relayAddress", a.relayAddress()).put("epoch", a.epoch())
                    .put("mediaToken", a.mediaToken()).put("resumeToken", a.resumeToken());
            a.signaling().forEach(node.putArray("signaling")::add);
            if (a.standby() != null) {
                node.putObject("standby").put("relayId", a.standby().relayId())
                        .put("relayAddress", a.standby().relayAddress()).put("epoch", a.standby().epoch())
                        .put("mediaToken", a.standby().mediaToken());
            }
        } else if (message instanceof ServerMessage.Moved m) {
            node.put("type", "moved").put("reason", m.reason());
        } else if (message instanceof ServerMessage.Left l) {
            node.put("type", "left").put("sessionId", l.sessionId());
        } else if (message instanceof ServerMessage.Error e) {
            node.put("type", "error").put("code", e.code()).put("message", e.message());
        }
        return node.toString();
    }

    /** Client side of the protocol: parses what the server sends (trusted, so lenient). */
    public JsonNode readServer(String frame) throws ProtocolException {
        try {
            return mapper.readTree(frame);
        } catch (JsonProcessingException e) {
            throw new ProtocolException("malformed_json", "server frame is not valid JSON");
        }
    }

    public String join(String token) {
        return mapper.createObjectNode().put("v", VERSION).put("type", "join").put("token", token).toString();
    }

    public String resume(String token, String failedRelayId, long epoch) {
        ObjectNode node = mapper.createObjectNode().put("v", VERSION).put("type", "resume").put("token", token);
        if (failedRelayId != null) {
            node.put("failedRelayId", failedRelayId).put("epoch", epoch);
        }
        return node.toString();
    }

    public String leave() {
        return mapper.createObjectNode().put("v", VERSION).put("type", "leave").toString();
    }

    private static String requiredText(JsonNode root, String field, int maxLength) throws ProtocolException {
        JsonNode node = root.get(field);
        if (node == null) {
            throw new ProtocolException("missing_field", "field " + field + " is required");
        }
        if (!node.isTextual()) {
            throw new ProtocolException("wrong_type", "field " + field + " must be a string");
        }
        if (node.textValue().isEmpty() || node.textValue().length() > maxLength) {
            throw new ProtocolException("bad_length", "field " + field + " has a bad length");
        }
        return node.textValue();
    }

    private static String optionalText(JsonNode root, String field) throws ProtocolException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new ProtocolException("wrong_type", "field " + field + " must be a string");
        }
        return node.textValue();
    }

    private static void onlyFields(JsonNode root, Set<String> allowed) throws ProtocolException {
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            if (!allowed.contains(names.next())) {
                throw new ProtocolException("unknown_field", "unexpected field");
            }
        }
    }
}
