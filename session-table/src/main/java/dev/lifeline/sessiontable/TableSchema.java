package dev.lifeline.sessiontable;

import java.time.Duration;
import java.time.Instant;

/** Table-level settings: the key schema the operator creates and checks, and item expiry. */
public final class TableSchema {

    /** Partition key, string. */
    public static final String PARTITION_KEY = "pk";
    /** Sort key, string. */
    public static final String SORT_KEY = "sk";
    /** TTL attribute of every item: epoch seconds (number) after which DynamoDB may delete the item. */
    public static final String TTL_ATTRIBUTE = "expiresAt";
    /** Global tables version 2019.11.21 replicate through this stream view type. */
    public static final String STREAM_VIEW_TYPE = "NEW_AND_OLD_IMAGES";

    private TableSchema() {
    }

    /** The {@link #TTL_ATTRIBUTE} value of an item written at {@code writtenAt} that should live {@code lifetime}. */
    public static long expiresAt(Instant writtenAt, Duration lifetime) {
        return writtenAt.plus(lifetime).getEpochSecond();
    }
}
