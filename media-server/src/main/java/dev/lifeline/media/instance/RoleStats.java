package dev.lifeline.media.instance;

/** What a role reports in heartbeats, health and drain. */
public interface RoleStats {

    String role();

    /** host:port clients use: UDP for media, HTTP/WebSocket for signaling. */
    String address();

    int sessions();

    int capacity();

    /** Rate since the previous call; called once per heartbeat. */
    double takePacketsPerSecond();

    double takeLossRatio();

    double takeEventLoopLagMillis();

    /** Whether this role has nothing left that a drain must wait for. */
    boolean empty();

    /** Stops new work and tells clients to move; called once when the drain starts, then periodically. */
    void nudgeClientsToMove();

    /** Overloaded: refuse new sessions (not ready) though existing ones continue. */
    boolean overloaded();
}
