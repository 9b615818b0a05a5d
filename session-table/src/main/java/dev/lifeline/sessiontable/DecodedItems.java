package dev.lifeline.sessiontable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The items of one read, decoded: the well-formed ones, and a report for each one that was skipped.
 *
 * @param values the well-formed items, in the order read
 * @param malformed each skipped item as "sk: what is wrong"
 */
public record DecodedItems<T>(List<T> values, List<String> malformed) {

    public DecodedItems {
        values = List.copyOf(values);
        malformed = List.copyOf(malformed);
    }

    /** Decodes every item; one malformed item never spoils the others. */
    public static <T> DecodedItems<T> decode(Collection<Map<String, AttributeValue>> items, ItemDecoder<T> decoder) {
        List<T> values = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            try {
                values.add(decoder.decode(item));
            } catch (MalformedItemException e) {
                malformed.add(ItemKeys.describe(item) + ": " + e.getMessage());
            }
        }
        return new DecodedItems<>(values, malformed);
    }
}
