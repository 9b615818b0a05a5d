package dev.lifeline.media.relay;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.lifeline.media.packet.DropReason;

/** Packet counters, striped ({@link LongAdder}) so event loops on several cores do not contend. */
public final class RelayCounters {

    public final LongAdder received = new LongAdder();
    /** Datagrams that were valid and acted on; with the drop counters this adds up to {@link #received}. */
    public final LongAdder accepted = new LongAdder();
    public final LongAdder forwarded = new LongAdder();
    /** Forwarded copies dropped because the socket's send queue was full: the relay's own loss. */
    public final LongAdder overloadDropped = new LongAdder();
    public final LongAdder binds = new LongAdder();
    public final LongAdder pings = new LongAdder();
    private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);

    public RelayCounters() {
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason, new LongAdder());
        }
    }

    public void drop(DropReason reason) {
        dropped.get(reason).increment();
    }

    public long dropped(DropReason reason) {
        return dropped.get(reason).sum();
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
