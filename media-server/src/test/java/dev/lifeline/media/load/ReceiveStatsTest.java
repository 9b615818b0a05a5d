package dev.lifeline.media.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Test;

class ReceiveStatsTest {

    private final Recorder latency = new Recorder(3);
    private final ReceiveStats stats = new ReceiveStats(latency);

    @Test
    void lossAndTheLargestGapComeFromMissingSequenceNumbersPerSender() {
        for (int sequence : new int[] {0, 1, 2, 5, 6, 10}) {
            receive(1, sequence, 1_000);
        }
        receive(2, 0, 1_000);
        receive(2, 1, 1_000);
        assertThat(stats.received()).isEqualTo(8);
        assertThat(stats.lost()).isEqualTo(5); // sender 1 missed 3, 4, 7, 8, 9
        assertThat(stats.largestGap()).isEqualTo(3);
    }

    @Test
    void aCopyArrivingThroughASecondRelayIsCountedOnceAndReportedAsDuplicate() {
        receive(1, 0, 1_000);
        receive(1, 1, 1_000);
        receive(1, 1, 1_000);
        assertThat(stats.received()).isEqualTo(2);
        assertThat(stats.duplicates()).isEqualTo(1);
        assertThat(stats.lost()).isZero();
    }

    @Test
    void theFirstPacketAfterAMarkIsRemembered() {
        receive(1, 0, 1_000);
        stats.mark(5_000);
        assertThat(stats.firstReceivedAfterMarkNanos()).isZero();
        receive(1, 1, 6_000);
        receive(1, 2, 7_000);
        assertThat(stats.firstReceivedAfterMarkNanos()).isEqualTo(6_000);
    }

    @Test
    void latencyIsRecordedInMicrosecondsAndWrongSizedPacketsAreIgnored() {
        receive(1, 0, 51_000);
        stats.onMedia(ByteBuffer.allocate(10), 1);
        assertThat(stats.received()).isEqualTo(1);
        assertThat(latency.getIntervalHistogram().getMaxValue()).isBetween(49L, 51L);
    }

    private void receive(int sender, int sequence, long receivedNanos) {
        ByteBuffer packet = AudioPacket.fill(ByteBuffer.allocate(AudioPacket.SIZE), sender, sequence, 1_000);
        packet.limit(AudioPacket.SIZE);
        stats.onMedia(packet, receivedNanos);
    }
}
