package dev.lifeline.sessiontable;

import static dev.lifeline.sessiontable.AttributeNames.*;
import static dev.lifeline.sessiontable.AttributeValues.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Session items (pk=SESSION#&lt;sessionId&gt;, sk=META). Only the media-server reads and writes them;
 * {@link AttributeNames#EPOCH} is the fencing token of its conditional writes. The standby relay is optional: an
 * item without one (or with half of one) reads as having none.
 */
public final class SessionCodec {

    private SessionCodec() {
    }

    /** The whole item, as first written; {@code expiresAtEpochSecond} is its TTL. */
    public static Map<String, AttributeValue> encode(SessionRecord session, long expiresAtEpochSecond) {
        Map<String, AttributeValue> item = new HashMap<>(ItemKeys.sessionKey(session.sessionId()));
        item.put(EPOCH, n(session.epoch()));
        item.put(RELAY_ID, s(session.relayId()));
        item.put(RELAY_ADDRESS, s(session.relayAddress()));
        item.put(REGION, s(session.region()));
        if (!session.participants().isEmpty()) {
            // DynamoDB has no empty sets: no participants is no attribute.
            item.put(PARTICIPANTS, participants(session.participants()));
        }
        item.put(CREATED_AT, n(session.createdAtMillis()));
        if (session.hasStandby()) {
            item.put(STANDBY_RELAY_ID, s(session.standbyRelayId()));
            item.put(STANDBY_RELAY_ADDRESS, s(session.standbyRelayAddress()));
        }
        item.put(TableSchema.TTL_ATTRIBUTE, n(expiresAtEpochSecond));
        return item;
    }

    /** @throws MalformedItemException naming what is wrong */
    public static SessionRecord decode(Map<String, AttributeValue> item) {
        ItemReader read = new ItemReader(item);
        AttributeValue participants = read.attribute(PARTICIPANTS);
        return new SessionRecord(read.partitionKeyAfter(ItemKeys.SESSION_PREFIX, "sessionId"),
                read.wholeNumber(EPOCH), read.requiredString(RELAY_ID), read.requiredString(RELAY_ADDRESS),
                read.requiredString(REGION), participants == null ? Set.of() : Set.copyOf(participants.ss()),
                read.wholeNumber(CREATED_AT), read.string(STANDBY_RELAY_ID), read.string(STANDBY_RELAY_ADDRESS));
    }

    /** The value of {@link AttributeNames#PARTICIPANTS} (a string set), also the operand of ADD and DELETE. */
    public static AttributeValue participants(Set<String> participantIds) {
        return AttributeValue.fromSs(List.copyOf(participantIds));
    }
}
