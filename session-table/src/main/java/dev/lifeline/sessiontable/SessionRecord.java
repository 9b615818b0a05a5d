package dev.lifeline.sessiontable;

import java.util.Set;

/** A session item: which relay owns the session, under which fencing epoch, with whom. */
public record SessionRecord(String sessionId, long epoch, String relayId, String relayAddress, String region,
                            Set<String> participants, long createdAtMillis) {

    /** Its fencing token: epoch and the region that wrote it. */
    public SessionFence fence() {
        return SessionFence.of(this);
    }
}
