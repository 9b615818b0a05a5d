package dev.lifeline.media.instance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.lifeline.media.packet.PacketFormat;
import io.quarkus.test.junit.QuarkusTest;

/** The media role as Quarkus runs it: relay socket up, health and metrics wired. */
@QuarkusTest
class MediaInstanceTest {

    @Inject
    MediaRole media;

    @Test
    void readyWhenStartedAndNotDrainingReportingRoleAndCapacity() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'load' }.data.role", equalTo("media"))
                .body("checks.find { it.name == 'load' }.data.capacity", equalTo(500));
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void theRelayAnswersPingsAndGarbageShowsUpInTheDropMetric() throws Exception {
        try (DatagramChannel client = DatagramChannel.open(StandardProtocolFamily.INET)) {
            client.connect(new InetSocketAddress("127.0.0.1", media.server().port()));
            client.write(ByteBuffer.wrap(new byte[] {0x42, 0x42}));
            client.write(PacketFormat.ping(99));
            ByteBuffer pong = ByteBuffer.allocate(64);
            client.read(pong);
            pong.flip();
            assertThat(pong.get(0)).isEqualTo(PacketFormat.PONG);
            assertThat(pong.getLong(1)).isEqualTo(99);
        }
        // The PONG proves the ping was handled; the garbage before it was handled first on the same socket.
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("lifeline_relay_packets_dropped_total\\{reason=\"unknown_type\"\\} [1-9]");
        assertThat(metrics).contains("lifeline_relay_native_epoll 1.0");
    }
}
