package dev.lifeline.media.packet;

/** Why the relay dropped a datagram; each is a label of the drop counter. */
public enum DropReason {
    EMPTY,
    TOO_LARGE,
    UNKNOWN_TYPE,
    TRUNCATED,
    BAD_TOKEN,
    WRONG_RELAY,
    STALE_EPOCH,
    UNBOUND_SENDER,
    RELAY_FULL,
    DRAINING,
    NOT_FOR_RELAY
}
