package dev.lifeline.sessiontable;

import static dev.lifeline.sessiontable.AttributeNames.*;
import static dev.lifeline.sessiontable.AttributeValues.*;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Operator heartbeat items. The peer view is the {@code peers} attribute: a map from peer region to
 * the epoch milliseconds it was last seen.
 */
public final class RegionHeartbeatCodec {

    private RegionHeartbeatCodec() {
    }

    /** The item; it expires {@code lifetime} after {@link RegionHeartbeat#updatedAt()}. Unknown load is left out. */
    public static Map<String, AttributeValue> encode(RegionHeartbeat h, Duration lifetime) {
        Map<String, AttributeValue> item = new HashMap<>(ItemKeys.regionHeartbeatKey(h.region()));
        item.put(REGION, s(h.region()));
        item.put(UPDATED_AT, n(h.updatedAt().toEpochMilli()));
        item.put(PHASE, s(h.phase()));
        if (h.sessions() != null) {
            item.put(SESSIONS, n(h.sessions()));
        }
        if (h.capacity() != null) {
            item.put(CAPACITY, n(h.capacity()));
        }
        Map<String, AttributeValue> peers = new HashMap<>();
        h.peers().forEach((peer, seen) -> peers.put(peer, n(seen.toEpochMilli())));
        item.put(PEERS, AttributeValue.fromM(peers));
        if (h.suspects() != null) {
            // A list, not a string set: DynamoDB refuses an empty set, and "suspects nobody" must be written.
            item.put(SUSPECTS, AttributeValue.fromL(h.suspects().stream().sorted().map(AttributeValue::fromS).toList()));
        }
        item.put(TableSchema.TTL_ATTRIBUTE, n(TableSchema.expiresAt(h.updatedAt(), lifetime)));
        return item;
    }

    /** @throws MalformedItemException naming what is wrong */
    public static RegionHeartbeat decode(Map<String, AttributeValue> item) {
        ItemReader read = new ItemReader(item);
        return new RegionHeartbeat(read.requiredString(REGION), Instant.ofEpochMilli(read.wholeNumber(UPDATED_AT)),
                read.requiredString(PHASE), read.optionalWholeNumber(SESSIONS), read.optionalWholeNumber(CAPACITY),
                peers(read.attribute(PEERS)), suspects(read.attribute(SUSPECTS)));
    }

    /**
     * Absent: an operator that publishes no vote ({@code null}). Not a list reads as no vote as well, and entries that
     * are not strings are skipped: a bad vote must not make the whole heartbeat unreadable, which would make its
     * region look silent.
     */
    private static Set<String> suspects(AttributeValue value) {
        if (value == null || value.type() != AttributeValue.Type.L) {
            return null;
        }
        Set<String> suspects = new HashSet<>();
        for (AttributeValue v : value.l()) {
            if (v.s() != null) {
                suspects.add(v.s());
            }
        }
        return suspects;
    }

    /** Absent or not a map reads as no peers seen (as before this codec existed); an unreadable time is malformed. */
    private static Map<String, Instant> peers(AttributeValue value) {
        if (value == null || !value.hasM()) {
            return Map.of();
        }
        Map<String, Instant> peers = new HashMap<>();
        value.m().forEach((peer, seen) -> {
            if (seen.n() == null) {
                throw new MalformedItemException(PEERS + "." + peer + " is not a number");
            }
            peers.put(peer, Instant.ofEpochMilli(ItemReader.parseWhole(PEERS + "." + peer, seen.n())));
        });
        return peers;
    }
}
