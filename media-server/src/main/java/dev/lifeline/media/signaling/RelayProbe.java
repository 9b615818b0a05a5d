package dev.lifeline.media.signaling;

/**
 * Asks a relay directly how it is, for when a client reports it failing before its heartbeat
 * shows it: a SIGKILLed relay's last heartbeat stays fresh for a few seconds.
 */
public interface RelayProbe {

    enum Status { ALIVE, DRAINING, DEAD }

    Status check(String relayAddress);
}
