package dev.lifeline.sessiontable;

import java.util.Set;

/**
 * A session item: which relay owns the session, under which fencing epoch, with whom, and which relay stands by.
 *
 * <p>The standby ({@code standbyRelayId}, {@code standbyRelayAddress}; empty strings when there is none) is the relay
 * every participant was pre-authorised to move to at epoch + 1 if the owning relay dies, so that media flows again
 * before anyone asks the table. It is one per session, so both sides of a call land on the same relay; it owns
 * nothing until signaling records the move (the conditional write of epoch + 1).
 */
public record SessionRecord(String sessionId, long epoch, String relayId, String relayAddress, String region,
                            Set<String> participants, long createdAtMillis, String standbyRelayId,
                            String standbyRelayAddress) {

    public SessionRecord {
        standbyRelayId = standbyRelayId == null ? "" : standbyRelayId;
        standbyRelayAddress = standbyRelayAddress == null ? "" : standbyRelayAddress;
    }

    /** A session with no standby relay. */
    public SessionRecord(String sessionId, long epoch, String relayId, String relayAddress, String region,
                         Set<String> participants, long createdAtMillis) {
        this(sessionId, epoch, relayId, relayAddress, region, participants, createdAtMillis, "", "");
    }

    public boolean hasStandby() {
        return !standbyRelayId.isEmpty() && !standbyRelayAddress.isEmpty();
    }

    /** The same session with other participants (what an ADD or DELETE of the participant set writes). */
    public SessionRecord withParticipants(Set<String> newParticipants) {
        return new SessionRecord(sessionId, epoch, relayId, relayAddress, region, Set.copyOf(newParticipants),
                createdAtMillis, standbyRelayId, standbyRelayAddress);
    }

    /** Its fencing token: epoch and the region that wrote it. */
    public SessionFence fence() {
        return SessionFence.of(this);
    }
}
