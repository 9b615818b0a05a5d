package dev.lifeline.media.signaling;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.lifeline.media.session.Placement;
import dev.lifeline.media.session.SessionStore;
import dev.lifeline.media.session.StaleEpochException;
import dev.lifeline.sessiontable.SessionRecord;

/** The DynamoDB store's conditional-write semantics in memory, for pure signaling tests. */
final class InMemorySessionStore implements SessionStore {

    final Map<String, SessionRecord> sessions = new ConcurrentHashMap<>();
    int reassignments;
    /** When set, the next reassign loses a race to this record (another signaling instance won). */
    SessionRecord concurrentWinner;

    @Override
    public Optional<SessionRecord> find(String sessionId) {
        return Optional.ofNullable(sessions.get(sessionId));
    }

    @Override
    public synchronized SessionRecord create(String sessionId, Placement placement, String participantId)
            throws StaleEpochException {
        if (sessions.containsKey(sessionId)) {
            throw new StaleEpochException(sessionId);
        }
        SessionRecord record = new SessionRecord(sessionId, 1, placement.relayId(), placement.relayAddress(), "r1",
                Set.of(participantId), 0, placement.standbyRelayId(), placement.standbyRelayAddress());
        sessions.put(sessionId, record);
        return record;
    }

    @Override
    public synchronized SessionRecord reassign(SessionRecord current, Placement placement) throws StaleEpochException {
        if (concurrentWinner != null) {
            sessions.put(current.sessionId(), concurrentWinner);
            concurrentWinner = null;
        }
        SessionRecord stored = sessions.get(current.sessionId());
        if (stored == null || stored.epoch() != current.epoch()) {
            throw new StaleEpochException(current.sessionId());
        }
        reassignments++;
        SessionRecord moved = new SessionRecord(stored.sessionId(), stored.epoch() + 1, placement.relayId(),
                placement.relayAddress(), "r1", stored.participants(), 0, placement.standbyRelayId(),
                placement.standbyRelayAddress());
        sessions.put(stored.sessionId(), moved);
        return moved;
    }

    @Override
    public synchronized void addParticipant(String sessionId, String participantId) {
        SessionRecord s = sessions.get(sessionId);
        Set<String> participants = new HashSet<>(s.participants());
        participants.add(participantId);
        sessions.put(sessionId, s.withParticipants(participants));
    }

    @Override
    public synchronized void removeParticipant(String sessionId, String participantId) {
        SessionRecord s = sessions.get(sessionId);
        Set<String> participants = new HashSet<>(s.participants());
        participants.remove(participantId);
        if (participants.isEmpty()) {
            sessions.remove(sessionId);
        } else {
            sessions.put(sessionId, s.withParticipants(participants));
        }
    }
}
