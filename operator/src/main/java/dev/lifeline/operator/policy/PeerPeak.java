package dev.lifeline.operator.policy;

import java.time.Duration;
import java.time.Instant;

/**
 * The most sessions a peer region reported within a trailing window, so that its sessions are
 * still known when it fails: the relays of a crash-looping region stop heartbeating (their
 * sessions age out) before its breaker opens and it drains, and the survivors must still
 * pre-scale for the users who will reconnect to them.
 *
 * <p>An approximate sliding maximum: the peak is replaced by a lower reading only once it is older
 * than the window.
 */
public record PeerPeak(long sessions, Instant at) {

    public PeerPeak next(long reported, Instant now, Duration window) {
        if (reported >= sessions || now.isAfter(at.plus(window))) {
            return new PeerPeak(reported, now);
        }
        return this;
    }
}
