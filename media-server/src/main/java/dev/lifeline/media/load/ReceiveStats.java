package dev.lifeline.media.load;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Recorder;

/**
 * What one participant received: per sender the highest sequence seen (for loss and gaps), the
 * one-way latency distribution, and the time of the last packet (for "media flowing again").
 */
public final class ReceiveStats {

    private static final class PerSender {
        final java.util.BitSet seen = new java.util.BitSet();
        int highestSequence = -1;
        long received;
        int largestGap;
    }

    private final ConcurrentHashMap<Integer, PerSender> senders = new ConcurrentHashMap<>();
    private final Recorder latencyMicros;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private volatile long lastReceivedNanos;
    private volatile long firstReceivedAfterMarkNanos;
    private volatile long markNanos = Long.MAX_VALUE;

    public ReceiveStats(Recorder latencyMicros) {
        this.latencyMicros = latencyMicros;
    }

    public void onMedia(ByteBuffer packet, long receivedNanos) {
        if (!AudioPacket.valid(packet)) {
            malformed.incrementAndGet();
            return;
        }
        PerSender s = senders.computeIfAbsent(AudioPacket.sender(packet), k -> new PerSender());
        int sequence = AudioPacket.sequence(packet);
        synchronized (s) {
            // During a move a packet can arrive through both relays; a receiver keeps the first copy.
            if (sequence < 0 || s.seen.get(sequence)) {
                duplicates.incrementAndGet();
                return;
            }
            s.seen.set(sequence);
            if (sequence > s.highestSequence) {
                s.largestGap = Math.max(s.largestGap, sequence - s.highestSequence - 1);
                s.highestSequence = sequence;
            }
            s.received++;
        }
        received.incrementAndGet();
        lastReceivedNanos = receivedNanos;
        if (receivedNanos >= markNanos && firstReceivedAfterMarkNanos == 0) {
            firstReceivedAfterMarkNanos = receivedNanos;
        }
        long latency = (receivedNanos - AudioPacket.sentNanos(packet)) / 1000;
        if (latency >= 0) {
            latencyMicros.recordValue(Math.min(latency, 60_000_000L));
        }
    }

    /** From now on, remember when the first packet arrives (measures time to media after a failure). */
    public void mark(long nanos) {
        firstReceivedAfterMarkNanos = 0;
        markNanos = nanos;
    }

    public long firstReceivedAfterMarkNanos() {
        return firstReceivedAfterMarkNanos;
    }

    public long duplicates() {
        return duplicates.get();
    }

    public long received() {
        return received.get();
    }

    public long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    /** Packets a sender sent (up to its highest sequence seen) that never arrived. */
    public long lost() {
        long lost = 0;
        for (PerSender s : senders.values()) {
            synchronized (s) {
                lost += Math.max(0, s.highestSequence + 1 - s.received);
            }
        }
        return lost;
    }

    public int largestGap() {
        return senders.values().stream().mapToInt(s -> s.largestGap).max().orElse(0);
    }
}
