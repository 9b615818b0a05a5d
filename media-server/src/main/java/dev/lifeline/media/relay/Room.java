package dev.lifeline.media.relay;

/**
 * A session's participants on this relay. Members are a copy-on-write array: binds are rare and
 * take the table's lock, while the forwarding path reads the array without any lock.
 */
final class Room {

    static final Binding[] EMPTY = new Binding[0];

    final String sessionId;
    /** Highest fencing epoch seen for the session; tokens of older epochs are refused. */
    volatile long epoch;
    volatile Binding[] members = EMPTY;

    Room(String sessionId, long epoch) {
        this.sessionId = sessionId;
        this.epoch = epoch;
    }
}
