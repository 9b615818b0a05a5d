package dev.lifeline.media.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.lifeline.media.protocol.ProtocolCodec;
import dev.lifeline.media.protocol.ServerMessage;

/** The standby in a join or resume reply, as signaling writes it and the client reads it. */
class AssignmentTest {

    private final ProtocolCodec codec = new ProtocolCodec();

    private ServerMessage.Assigned reply(ServerMessage.Standby standby) {
        return new ServerMessage.Assigned("joined", "s1", "alice", "relay-a", "10.0.0.7:40000", 3, "media-token",
                "resume-token", List.of(), standby);
    }

    @Test
    void theStandbyTravelsWithItsRelayEpochAndToken() throws Exception {
        Assignment read = Assignment.from(codec.readServer(codec.write(
                reply(new ServerMessage.Standby("relay-b", "10.0.0.8:40000", 4, "standby-token")))));

        Assignment.Standby standby = read.standby().orElseThrow();
        assertThat(standby.relayId()).isEqualTo("relay-b");
        assertThat(standby.relayAddress()).isEqualTo(new InetSocketAddress("10.0.0.8", 40000));
        assertThat(standby.epoch()).isEqualTo(4);
        assertThat(standby.mediaToken()).isEqualTo("standby-token");

        Assignment onStandby = read.onStandby(standby);
        assertThat(onStandby.relayId()).isEqualTo("relay-b");
        assertThat(onStandby.epoch()).isEqualTo(4);
        assertThat(onStandby.mediaToken()).isEqualTo("standby-token");
        assertThat(onStandby.resumeToken()).isEqualTo("resume-token");
        assertThat(onStandby.standby()).as("none until signaling confirms").isEmpty();
    }

    @Test
    void noStandbyOrAMalformedOneIsNoStandbyButStillAnAssignment() throws Exception {
        assertThat(Assignment.from(codec.readServer(codec.write(reply(null)))).standby()).isEmpty();

        ObjectNode malformed = (ObjectNode) codec.readServer(codec.write(
                reply(new ServerMessage.Standby("relay-b", "10.0.0.8:40000", 4, "standby-token"))));
        ((ObjectNode) malformed.get("standby")).put("relayAddress", "no-port");
        Assignment read = Assignment.from(malformed);
        assertThat(read.standby()).isEmpty();
        assertThat(read.relayId()).isEqualTo("relay-a");

        ((ObjectNode) malformed.get("standby")).put("relayAddress", "10.0.0.8:40000").put("epoch", "four");
        assertThat(Assignment.from(malformed).standby()).isEmpty();
    }
}
