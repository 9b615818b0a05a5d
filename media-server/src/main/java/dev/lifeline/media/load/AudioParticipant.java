package dev.lifeline.media.load;

import java.nio.ByteBuffer;

import org.HdrHistogram.Recorder;

import dev.lifeline.media.client.Assignment;
import dev.lifeline.media.client.LifelineClient;

/** A client that sends audio-like packets when told to and records what it receives. */
public final class AudioParticipant implements AutoCloseable {

    private final int index;
    private final ReceiveStats stats;
    private final ByteBuffer packet = AudioPacket.allocate();
    private LifelineClient client;
    private int sequence;
    private long sent;
    private long unsent;

    public AudioParticipant(int index, Recorder latencyMicros) {
        this.index = index;
        this.stats = new ReceiveStats(latencyMicros);
    }

    public AudioParticipant join(LifelineClient.Options options, String joinToken) throws Exception {
        client = LifelineClient.join(options, joinToken, new LifelineClient.Listener() {
            @Override
            public void onMedia(ByteBuffer media, long receivedNanos) {
                stats.onMedia(media, receivedNanos);
            }
        }, "p" + index);
        return this;
    }

    /** Sends the next packet; one caller thread at a time. While resuming, packets are counted as unsent. */
    public void sendNext() {
        AudioPacket.fill(packet, index, sequence, System.nanoTime());
        // The sequence advances only for packets that left, so receivers' gaps measure loss, not outages.
        if (client.send(packet)) {
            sequence++;
            sent++;
        } else {
            unsent++;
        }
    }

    public ReceiveStats stats() {
        return stats;
    }

    public Assignment assignment() {
        return client.assignment();
    }

    public LifelineClient client() {
        return client;
    }

    public long sent() {
        return sent;
    }

    public long unsent() {
        return unsent;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
