package dev.lifeline.media.relay;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.lifeline.media.packet.DropReason;

/**
 * Who may send media through this relay. Lookups on the forwarding path are one array read by
 * binding id, then an address comparison; all changes take one lock (they are rare).
 *
 * <p>A binding id is {@code generation << 16 | slot}: a slot is reused only with a new generation,
 * so a late packet carrying an old id never reaches a slot's new owner.
 */
public final class BindingTable {

    public static final int MAX_BINDINGS = 1 << 16;

    /** Result of {@link #bind}: a binding, or why there is none. */
    public record BindOutcome(Binding binding, DropReason refused) {
    }

    private final AtomicReferenceArray<Binding> slots = new AtomicReferenceArray<>(MAX_BINDINGS);
    private final int[] generations = new int[MAX_BINDINGS];
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Binding> byParticipant = new ConcurrentHashMap<>();
    private final int maxBindings;
    private int nextFreeScan;
    private int bindingCount;

    public BindingTable(int maxBindings) {
        if (maxBindings < 1 || maxBindings > MAX_BINDINGS) {
            throw new IllegalArgumentException("maxBindings must be in 1.." + MAX_BINDINGS);
        }
        this.maxBindings = maxBindings;
    }

    /** The binding with this id, or null. Lock-free; safe from any event loop. */
    public Binding lookup(int bindingId) {
        int slot = bindingId & 0xFFFF;
        Binding binding = slots.get(slot);
        return binding != null && binding.id == bindingId ? binding : null;
    }

    /** Members of the binding's session, including itself. The returned array must not be modified. */
    public static Binding[] roomOf(Binding binding) {
        return binding.room.members;
    }

    /**
     * Admits {@code address} as {@code participantId} of {@code sessionId} at {@code epoch}.
     * Idempotent for a retransmitted BIND from the same address; a new address for the same
     * participant (it resumed from a new socket) replaces the old binding.
     */
    public synchronized BindOutcome bind(String sessionId, String participantId, long epoch,
                                         InetSocketAddress address, long nowNanos) {
        Room room = rooms.get(sessionId);
        if (room != null && epoch < room.epoch) {
            return new BindOutcome(null, DropReason.STALE_EPOCH);
        }
        String key = sessionId + '/' + participantId;
        Binding existing = byParticipant.get(key);
        if (existing != null && existing.address.equals(address)) {
            existing.lastSeenNanos = nowNanos;
            existing.room.epoch = Math.max(existing.room.epoch, epoch);
            return new BindOutcome(existing, null);
        }
        if (existing != null) {
            remove(existing);
            room = rooms.get(sessionId);
        }
        if (bindingCount >= maxBindings) {
            return new BindOutcome(null, DropReason.RELAY_FULL);
        }
        if (room == null) {
            room = new Room(sessionId, epoch);
            rooms.put(sessionId, room);
        }
        room.epoch = Math.max(room.epoch, epoch);
        int slot = freeSlot();
        int id = (++generations[slot] & 0x7FFF) << 16 | slot;
        Binding binding = new Binding(id, address, room, participantId, nowNanos);
        Binding[] members = Arrays.copyOf(room.members, room.members.length + 1);
        members[members.length - 1] = binding;
        room.members = members;
        byParticipant.put(key, binding);
        slots.set(slot, binding);
        bindingCount++;
        return new BindOutcome(binding, null);
    }

    public synchronized void unbind(Binding binding) {
        if (slots.get(binding.id & 0xFFFF) == binding) {
            remove(binding);
        }
    }

    /** Removes bindings that sent nothing for {@code idleNanos}; returns how many went. */
    public synchronized int expireIdle(long nowNanos, long idleNanos) {
        int removed = 0;
        for (Binding binding : snapshot()) {
            if (nowNanos - binding.lastSeenNanos > idleNanos) {
                remove(binding);
                removed++;
            }
        }
        return removed;
    }

    public synchronized List<Binding> snapshot() {
        List<Binding> all = new ArrayList<>(bindingCount);
        for (Room room : rooms.values()) {
            all.addAll(Arrays.asList(room.members));
        }
        return all;
    }

    public int sessionCount() {
        return rooms.size();
    }

    public synchronized int bindingCount() {
        return bindingCount;
    }

    private void remove(Binding binding) {
        slots.set(binding.id & 0xFFFF, null);
        byParticipant.remove(binding.room.sessionId + '/' + binding.participantId, binding);
        Room room = binding.room;
        Binding[] members = Arrays.stream(room.members).filter(m -> m != binding).toArray(Binding[]::new);
        room.members = members;
        if (members.length == 0) {
            rooms.remove(room.sessionId, room);
        }
        bindingCount--;
    }

    private int freeSlot() {
        // bindingCount < maxBindings <= MAX_BINDINGS guarantees a free slot within one lap.
        while (slots.get(nextFreeScan) != null) {
            nextFreeScan = (nextFreeScan + 1) % MAX_BINDINGS;
        }
        int slot = nextFreeScan;
        nextFreeScan = (nextFreeScan + 1) % MAX_BINDINGS;
        return slot;
    }
}
