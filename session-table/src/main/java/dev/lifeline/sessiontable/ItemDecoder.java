package dev.lifeline.sessiontable;

import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Decodes one item kind; a codec's {@code decode} method. */
@FunctionalInterface
public interface ItemDecoder<T> {

    /** @throws MalformedItemException naming what is wrong */
    T decode(Map<String, AttributeValue> item);
}
