package dev.lifeline.media.load;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.HdrHistogram.Recorder;

import dev.lifeline.media.client.Assignment;
import dev.lifeline.media.client.LifelineClient;

/** A client that sends audio-like packets when told to and records what it receives. */
public final class AudioParticipant implements AutoCloseable {

    private final int index;
    private final ReceiveStats stats;
    private final ByteBuffer packet = AudioPacket.allocate();
    private volatile LifelineClient client;
    private volatile String leftRelayId;
    private volatile long leftAtNanos;
    private volatile long mediaAgainNanos;
    private int sequence;
    private final List<Assignment> assignments = new CopyOnWriteArrayList<>();
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
                noteMediaAgain(receivedNanos);
            }

            @Override
            public void onAssigned(Assignment assignment, boolean resumed) {
                assignments.add(assignment);
            }
        }, "p" + index);
        return this;
    }

    /**
     * From {@code atNanos} on, waits for media through a relay other than {@code relayId} (which failed or
     * drains): a packet still in flight through the old relay does not count.
     */
    public void awaitMediaAwayFrom(String relayId, long atNanos) {
        mediaAgainNanos = 0;
        leftAtNanos = atNanos;
        leftRelayId = relayId;
    }

    /** When media first arrived through another relay after {@link #awaitMediaAwayFrom}; 0 while it has not. */
    public long mediaAgainNanos() {
        return mediaAgainNanos;
    }

    private void noteMediaAgain(long receivedNanos) {
        String left = leftRelayId;
        LifelineClient current = client;
        if (left != null && mediaAgainNanos == 0 && current != null && receivedNanos >= leftAtNanos
                && !left.equals(current.assignment().relayId())) {
            mediaAgainNanos = receivedNanos;
        }
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

    /** Every assignment the client took, in order: the join's, then each resume's. */
    public List<Assignment> assignments() {
        return List.copyOf(assignments);
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
