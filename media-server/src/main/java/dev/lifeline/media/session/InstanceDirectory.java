package dev.lifeline.media.session;

import java.util.List;

import dev.lifeline.sessiontable.InstanceHeartbeat;

/** Instance heartbeats in the session table. */
public interface InstanceDirectory {

    void publish(InstanceHeartbeat heartbeat);

    /** Heartbeat items of one role in one region, fresh or not (the caller judges freshness). */
    List<InstanceHeartbeat> list(String region, String role);
}
