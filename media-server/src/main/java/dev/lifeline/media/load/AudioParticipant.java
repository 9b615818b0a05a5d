package dev.lifeline.media.load;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

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
    /** After the mark: when the client gave up on its relay, why, when it was on the standby, when signaling answered. */
    private volatile long lostNanos;
    private volatile String lostCause = "";
    private volatile long standbyNanos;
    private volatile long recordedNanos;
    private final ConcurrentHashMap<String, AtomicInteger> losses =
            new ConcurrentHashMap<>();
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
                if (resumed && recordedNanos == 0 && leftRelayId != null) {
                    recordedNanos = System.nanoTime();
                }
            }

            @Override
            public void onRelayLost(Assignment lost, String cause, long detectedNanos) {
                losses.computeIfAbsent(cause, c -> new AtomicInteger()).incrementAndGet();
                if (lostNanos == 0 && leftRelayId != null && detectedNanos >= leftAtNanos) {
                    lostCause = cause;
                    lostNanos = detectedNanos;
                }
            }

            @Override
            public void onStandby(Assignment standby, long boundNanos) {
                if (standbyNanos == 0 && leftRelayId != null && boundNanos >= leftAtNanos) {
                    standbyNanos = boundNanos;
                }
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
        lostNanos = 0;
        lostCause = "";
        standbyNanos = 0;
        recordedNanos = 0;
        leftAtNanos = atNanos;
        leftRelayId = relayId;
    }

    /** When, after {@link #awaitMediaAwayFrom}, the client gave up on its relay; 0 while it has not. */
    public long lostNanos() {
        return lostNanos;
    }

    /** Why: {@code unreachable} (ICMP), {@code silent} (keepalives missed), {@code draining}; empty while not. */
    public String lostCause() {
        return lostCause;
    }

    /** When, after the mark, it was bound to the session's standby relay; 0 if it did not take the standby. */
    public long standbyNanos() {
        return standbyNanos;
    }

    /** When, after the mark, signaling first answered its resume; 0 while it has not. */
    public long recordedNanos() {
        return recordedNanos;
    }

    /** Every time the client gave up on a relay, by cause, since it joined. */
    public Map<String, Integer> losses() {
        Map<String, Integer> copy = new TreeMap<>();
        losses.forEach((cause, n) -> copy.put(cause, n.get()));
        return copy;
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
