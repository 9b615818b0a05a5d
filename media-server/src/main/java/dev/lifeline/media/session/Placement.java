package dev.lifeline.media.session;

import java.util.Optional;

import dev.lifeline.sessiontable.InstanceHeartbeat;

/**
 * Where a session's media goes: the relay that owns it, and the standby relay its participants are pre-authorised
 * to move to at the next epoch if the owner dies (empty strings when no other relay was eligible).
 */
public record Placement(String relayId, String relayAddress, String standbyRelayId, String standbyRelayAddress) {

    public static Placement of(InstanceHeartbeat relay, Optional<InstanceHeartbeat> standby) {
        return new Placement(relay.instanceId(), relay.address(), standby.map(InstanceHeartbeat::instanceId).orElse(""),
                standby.map(InstanceHeartbeat::address).orElse(""));
    }

    /** A relay and no standby. */
    public static Placement only(String relayId, String relayAddress) {
        return new Placement(relayId, relayAddress, "", "");
    }

    public boolean hasStandby() {
        return !standbyRelayId.isEmpty();
    }
}
