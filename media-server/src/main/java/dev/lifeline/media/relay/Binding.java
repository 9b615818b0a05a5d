package dev.lifeline.media.relay;

import java.net.InetSocketAddress;

/** One participant's UDP address, admitted by a media token; media from any other address is dropped. */
public final class Binding {

    final int id;
    final InetSocketAddress address;
    final Room room;
    final String participantId;
    volatile long lastSeenNanos;

    Binding(int id, InetSocketAddress address, Room room, String participantId, long nowNanos) {
        this.id = id;
        this.address = address;
        this.room = room;
        this.participantId = participantId;
        this.lastSeenNanos = nowNanos;
    }

    public int id() {
        return id;
    }

    public InetSocketAddress address() {
        return address;
    }

    public String sessionId() {
        return room.sessionId;
    }

    public String participantId() {
        return participantId;
    }
}
