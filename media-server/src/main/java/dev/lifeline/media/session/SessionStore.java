package dev.lifeline.media.session;

import java.util.Optional;

import dev.lifeline.sessiontable.SessionRecord;

/** Session items with fencing: every change of relay is a conditional write on the epoch. */
public interface SessionStore {

    Optional<SessionRecord> find(String sessionId);

    /** Creates the session at epoch 1; fails if it already exists. */
    SessionRecord create(String sessionId, String relayId, String relayAddress, String participantId)
            throws StaleEpochException;

    /**
     * Moves the session to another relay at the writer's next token (epoch + 1, its region), only if the item
     * still carries {@code current}'s token (epoch and region).
     */
    SessionRecord reassign(SessionRecord current, String relayId, String relayAddress) throws StaleEpochException;

    void addParticipant(String sessionId, String participantId);

    /** Removes the participant; the item is deleted with its last participant. */
    void removeParticipant(String sessionId, String participantId);
}
