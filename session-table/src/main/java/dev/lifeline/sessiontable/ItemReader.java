package dev.lifeline.sessiontable;

import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Typed reads of one item's attributes for the codecs: each required read either returns a usable
 * value or throws {@link MalformedItemException} naming the attribute and what is wrong with it.
 */
final class ItemReader {

    private final Map<String, AttributeValue> item;

    ItemReader(Map<String, AttributeValue> item) {
        this.item = item;
    }

    /** The string, or null when absent or not a string. */
    String string(String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    String requiredString(String name) {
        String s = string(name);
        if (s == null || s.isBlank()) {
            throw new MalformedItemException(name + " is missing or not a non-empty string");
        }
        return s;
    }

    /** The partition key, which must be {@code prefix<rest>}; returns the rest (named in the message). */
    String partitionKeyAfter(String prefix, String rest) {
        String pk = string(TableSchema.PARTITION_KEY);
        if (pk == null || !pk.startsWith(prefix)) {
            throw new MalformedItemException(TableSchema.PARTITION_KEY + " is not " + prefix + "<" + rest + ">: " + pk);
        }
        return pk.substring(prefix.length());
    }

    /** A whole number of any sign (a timestamp, an epoch). */
    long wholeNumber(String name) {
        AttributeValue v = item.get(name);
        if (v == null || v.n() == null) {
            throw new MalformedItemException(name + " is missing or not a number");
        }
        return parseWhole(name, v.n());
    }

    /** A whole number that is not negative (sessions, capacity). */
    long count(String name) {
        long n = wholeNumber(name);
        if (n < 0) {
            throw new MalformedItemException(name + " is negative: " + n);
        }
        return n;
    }

    /** Absent is null; present, it must be a whole number. */
    Long optionalWholeNumber(String name) {
        return item.containsKey(name) ? wholeNumber(name) : null;
    }

    /** Optional measurements: absent or unreadable is "not reported", never a reason to drop the item. */
    Double optionalDecimal(String name) {
        AttributeValue v = item.get(name);
        if (v == null || v.n() == null) {
            return null;
        }
        try {
            return Double.valueOf(v.n());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    boolean requiredFlag(String name) {
        AttributeValue v = item.get(name);
        if (v == null || v.bool() == null) {
            throw new MalformedItemException(name + " is missing or not a boolean");
        }
        return v.bool();
    }

    boolean flag(String name, boolean whenAbsent) {
        AttributeValue v = item.get(name);
        return v == null || v.bool() == null ? whenAbsent : v.bool();
    }

    AttributeValue attribute(String name) {
        return item.get(name);
    }

    static long parseWhole(String name, String number) {
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw new MalformedItemException(name + " is not a whole number: " + number);
        }
    }
}
