package dev.lifeline.media.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProtocolCodecTest {

    private final ProtocolCodec codec = new ProtocolCodec();

    @Test
    void parsesEachClientMessage() throws ProtocolException {
        assertThat(codec.parse("{\"v\":1,\"type\":\"join\",\"token\":\"t\"}")).isEqualTo(new ClientMessage.Join("t"));
        assertThat(codec.parse("{\"v\":1,\"type\":\"resume\",\"token\":\"t\",\"failedRelayId\":\"r1\",\"epoch\":3}"))
                .isEqualTo(new ClientMessage.Resume("t", "r1", 3));
        assertThat(codec.parse("{\"v\":1,\"type\":\"resume\",\"token\":\"t\"}"))
                .isEqualTo(new ClientMessage.Resume("t", null, 0));
        assertThat(codec.parse("{\"v\":1,\"type\":\"leave\"}")).isEqualTo(new ClientMessage.Leave());
    }

    @Test
    void theClientsOwnFramesRoundTrip() throws ProtocolException {
        assertThat(codec.parse(codec.join("tok"))).isEqualTo(new ClientMessage.Join("tok"));
        assertThat(codec.parse(codec.resume("tok", "relay-1", 4))).isEqualTo(new ClientMessage.Resume("tok", "relay-1", 4));
        assertThat(codec.parse(codec.leave())).isEqualTo(new ClientMessage.Leave());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{|malformed_json",
            "{\"v\":1,\"type\":\"join\",\"token\":\"t\"|malformed_json",
            "[1,2]|not_an_object",
            "\"join\"|not_an_object",
            "42|not_an_object",
            "null|not_an_object",
            "{\"type\":\"join\",\"token\":\"t\"}|missing_version",
            "{\"v\":\"1\",\"type\":\"join\",\"token\":\"t\"}|missing_version",
            "{\"v\":1.5,\"type\":\"join\",\"token\":\"t\"}|missing_version",
            "{\"v\":2,\"type\":\"join\",\"token\":\"t\"}|unsupported_version",
            "{\"v\":1}|missing_field",
            "{\"v\":1,\"type\":7}|wrong_type",
            "{\"v\":1,\"type\":\"dance\"}|unknown_type",
            "{\"v\":1,\"type\":\"join\"}|missing_field",
            "{\"v\":1,\"type\":\"join\",\"token\":42}|wrong_type",
            "{\"v\":1,\"type\":\"join\",\"token\":[\"t\"]}|wrong_type",
            "{\"v\":1,\"type\":\"join\",\"token\":{\"a\":1}}|wrong_type",
            "{\"v\":1,\"type\":\"join\",\"token\":\"\"}|bad_length",
            "{\"v\":1,\"type\":\"join\",\"token\":\"t\",\"admin\":true}|unknown_field",
            "{\"v\":1,\"type\":\"resume\",\"token\":\"t\",\"epoch\":\"3\"}|wrong_type",
            "{\"v\":1,\"type\":\"resume\",\"token\":\"t\",\"epoch\":-1}|wrong_type",
            "{\"v\":1,\"type\":\"resume\",\"token\":\"t\",\"epoch\":1e400}|wrong_type",
            "{\"v\":1,\"type\":\"resume\",\"token\":\"t\",\"failedRelayId\":\"a;b\"}|wrong_type",
            "{\"v\":1,\"type\":\"resume\",\"token\":\"t\",\"failedRelayId\":5}|wrong_type",
            "{\"v\":1,\"type\":\"leave\",\"x\":1}|unknown_field",
    })
    void refusesBadFramesWithAStableCode(String frame, String code) {
        assertThatThrownBy(() -> codec.parse(frame))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void refusesEmptyAndOversizeFramesBeforeParsing() {
        assertCode("", "empty");
        assertCode(null, "empty");
        String huge = "{\"v\":1,\"type\":\"join\",\"token\":\"" + "a".repeat(ProtocolCodec.MAX_FRAME_CHARS) + "\"}";
        assertCode(huge, "too_large");
    }

    @Test
    void refusesATokenLongerThanAnyRealOne() {
        assertCode("{\"v\":1,\"type\":\"join\",\"token\":\"" + "a".repeat(600) + "\"}", "bad_length");
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "{\"v\":1,\"type\":\"join\",\"token\":" + "[".repeat(1000) + "]".repeat(1000) + "}";
        assertCode(deep, "malformed_json");
    }

    @Test
    void randomFramesNeverEscapeAsAnythingButProtocolException() {
        Random random = new Random(42);
        String alphabet = "{}[]\":,01v type join resume leave token epoch \\u0000\u00e9\ud83d";
        String valid = codec.join("abc");
        for (int i = 0; i < 20_000; i++) {
            String frame;
            if (i % 2 == 0) {
                StringBuilder sb = new StringBuilder();
                int length = random.nextInt(80);
                for (int c = 0; c < length; c++) {
                    sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                frame = sb.toString();
            } else {
                // Mutations of a valid frame: the near misses a fuzzer finds first.
                StringBuilder sb = new StringBuilder(valid);
                int edits = 1 + random.nextInt(3);
                for (int e = 0; e < edits && sb.length() > 0; e++) {
                    int at = random.nextInt(sb.length());
                    switch (random.nextInt(3)) {
                        case 0 -> sb.deleteCharAt(at);
                        case 1 -> sb.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        default -> sb.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                }
                frame = sb.toString();
            }
            try {
                ClientMessage parsed = codec.parse(frame);
                assertThat(parsed).isNotNull();
            } catch (ProtocolException expected) {
                assertThat(expected.code()).isNotBlank();
            }
        }
    }

    @Test
    void writesServerMessagesAsVersionedJson() throws ProtocolException {
        String moved = codec.write(new ServerMessage.Moved("draining"));
        assertThat(codec.readServer(moved).get("v").asInt()).isEqualTo(1);
        assertThat(codec.readServer(moved).get("type").asText()).isEqualTo("moved");
        String error = codec.write(new ServerMessage.Error("expired", "token expired"));
        assertThat(codec.readServer(error).get("code").asText()).isEqualTo("expired");
    }

    private void assertCode(String frame, String code) {
        assertThatThrownBy(() -> codec.parse(frame))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
