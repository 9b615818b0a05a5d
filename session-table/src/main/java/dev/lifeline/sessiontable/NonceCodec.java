package dev.lifeline.sessiontable;

import static dev.lifeline.sessiontable.AttributeValues.n;

import java.util.HashMap;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Used join-token nonces (pk=NONCE#&lt;nonce&gt;, sk=JOIN): the item's existence is the record, written
 * with a condition that it does not exist yet; it lives as long as the token it came from.
 */
public final class NonceCodec {

    private NonceCodec() {
    }

    public static Map<String, AttributeValue> encode(String nonce, long expiresAtEpochSecond) {
        Map<String, AttributeValue> item = new HashMap<>(ItemKeys.nonceKey(nonce));
        item.put(TableSchema.TTL_ATTRIBUTE, n(expiresAtEpochSecond));
        return item;
    }
}
