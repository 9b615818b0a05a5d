package dev.lifeline.media.session;

import java.util.Optional;

import dev.lifeline.sessiontable.SessionRecord;

/** Session items with fencing: every change of relay is a conditional write on the epoch. */
public interface SessionStore {

    Optional<SessionRecord> find(String sessionId);

    /** Creates the session at epoch 1 on {@code placement}'s relay, with its standby; fails if it already exists. */
    SessionRecord create(String sessionId, Placement placement, String participantId) throws StaleEpochException;

    /**
     * Moves the session to {@code placement}'s relay (and standby) at the writer's next token (epoch + 1, its
     * region), only if the item still carries {@code current}'s token (epoch and region).
     */
    SessionRecord reassign(SessionRecord current, Placement placement) throws StaleEpochException;

    void addParticipant(String sessionId, String participantId);

    /** Removes the participant; the item is deleted with its last participant. */
    void removeParticipant(String sessionId, String participantId);
}
