package dev.lifeline.media.signaling;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.lifeline.media.session.Placement;
import dev.lifeline.media.session.SessionStore;
import dev.lifeline.media.session.StaleEpochException;
import dev.lifeline.sessiontable.SessionRecord;

/**
 * The session items of a DynamoDB global table as signaling sees them, in memory, for property tests: one replica
 * per region; a write's condition is checked in the writer's replica only (as DynamoSessionStore writes them:
 * create if absent, reassign on the token read, participants while present); every write is replicated to the
 * other replicas when the test delivers it, in any order, and settled last-writer-wins by a write timestamp from
 * one clock, as global tables do.
 */
final class GlobalTableModel {

    /** One version of an item; {@code record == null} is a deletion. */
    record Version(SessionRecord record, long stamp) {
    }

    record Replication(String toRegion, String sessionId, Version version) {
    }

    private final Map<String, Map<String, Version>> replicas = new LinkedHashMap<>();
    private final List<Replication> pending = new ArrayList<>();
    private long clock;

    GlobalTableModel(List<String> regions) {
        regions.forEach(r -> replicas.put(r, new LinkedHashMap<>()));
    }

    SessionStore replica(String region) {
        return new Replica(region);
    }

    int pending() {
        return pending.size();
    }

    /** Delivers one pending replication (index modulo the number pending); a later version already there wins. */
    void deliver(int index) {
        Replication r = pending.remove(Math.floorMod(index, pending.size()));
        Version local = replicas.get(r.toRegion()).get(r.sessionId());
        if (local == null || local.stamp() < r.version().stamp()) {
            replicas.get(r.toRegion()).put(r.sessionId(), r.version());
        }
    }

    void deliverAll() {
        while (!pending.isEmpty()) {
            deliver(0);
        }
    }

    /** The item in every replica; all equal once everything is delivered. */
    Map<String, SessionRecord> items(String sessionId) {
        Map<String, SessionRecord> items = new LinkedHashMap<>();
        replicas.forEach((region, items1) -> {
            Version v = items1.get(sessionId);
            items.put(region, v == null ? null : v.record());
        });
        return items;
    }

    private void write(String region, String sessionId, SessionRecord record) {
        Version version = new Version(record, ++clock);
        replicas.get(region).put(sessionId, version);
        for (String other : replicas.keySet()) {
            if (!other.equals(region)) {
                pending.add(new Replication(other, sessionId, version));
            }
        }
    }

    private final class Replica implements SessionStore {

        private final String region;

        Replica(String region) {
            this.region = region;
        }

        @Override
        public Optional<SessionRecord> find(String sessionId) {
            Version v = replicas.get(region).get(sessionId);
            return v == null ? Optional.empty() : Optional.ofNullable(v.record());
        }

        @Override
        public SessionRecord create(String sessionId, Placement placement, String participantId)
                throws StaleEpochException {
            if (find(sessionId).isPresent()) {
                throw new StaleEpochException(sessionId);
            }
            SessionRecord created = new SessionRecord(sessionId, 1, placement.relayId(), placement.relayAddress(), region,
                    Set.of(participantId), 0, placement.standbyRelayId(), placement.standbyRelayAddress());
            write(region, sessionId, created);
            return created;
        }

        @Override
        public SessionRecord reassign(SessionRecord current, Placement placement) throws StaleEpochException {
            Optional<SessionRecord> stored = find(current.sessionId());
            if (stored.isPresent() && !stored.get().fence().equals(current.fence())) {
                throw new StaleEpochException(current.sessionId());
            }
            Set<String> participants = stored.map(SessionRecord::participants).orElse(Set.of());
            SessionRecord moved = new SessionRecord(current.sessionId(), current.fence().next(region).epoch(),
                    placement.relayId(), placement.relayAddress(), region, participants, 0, placement.standbyRelayId(),
                    placement.standbyRelayAddress());
            write(region, current.sessionId(), moved);
            return moved;
        }

        @Override
        public void addParticipant(String sessionId, String participantId) {
            SessionRecord s = find(sessionId).orElseThrow();
            Set<String> participants = new HashSet<>(s.participants());
            participants.add(participantId);
            write(region, sessionId, s.withParticipants(participants));
        }

        @Override
        public void removeParticipant(String sessionId, String participantId) {
            throw new UnsupportedOperationException("nobody leaves in these tests");
        }
    }
}
